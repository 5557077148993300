"""Every JSON route answers a body over its limit and a body that is not an object the same way:
413 `too_large` with the limit, 400 `bad_payload` saying what is wrong; nothing is made."""
from __future__ import annotations

from typing import Any


async def test_json_bodies_over_the_limit_or_not_objects_get_one_answer(server: Any) -> None:
    meeting = await server.create_meeting()
    mid = meeting["id"]
    facilitator = {"Authorization": f"Bearer {server.token}", "Accept-Language": "en"}
    routes = [  # (path, headers, limit in KB)
        ("/api/meetings", facilitator, 256),
        (f"/api/meetings/{mid}/keys", facilitator, 256),
        ("/api/forms/assembly", facilitator, 32),
        (f"/api/meetings/{mid}/reply", {"Accept-Language": "en"}, 4),
        (f"/api/meetings/{mid}/items/1/escalate", facilitator, 64),
    ]
    async with server.http() as http:
        listed = len((await http.get("/api/meetings", headers=facilitator)).json()["meetings"])
        for path, headers, kb in routes:
            big = b'{"title": "' + b"x" * (kb * 1024) + b'"}'
            r = await http.post(path, content=big, headers={**headers, "Content-Type": "application/json"})
            assert (r.status_code, r.json()["code"]) == (413, "too_large"), (path, r.text)
            assert r.json()["error"] == f"This message is too large: at most {kb} KB.", (path, r.text)
            r = await http.post(path, json=[1, 2], headers=headers)
            assert (r.status_code, r.json()["code"]) == (400, "bad_payload"), (path, r.text)
            assert "an object was expected" in r.json()["error"], (path, r.text)
            r = await http.post(path, content=b"{not json", headers=headers)
            assert (r.status_code, r.json()["code"]) == (400, "bad_payload"), (path, r.text)
            assert "it is not JSON" in r.json()["error"], (path, r.text)
        assert len((await http.get("/api/meetings", headers=facilitator)).json()["meetings"]) == listed
