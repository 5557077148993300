"""A community's templates of the forms over HTTP: edited with the facilitator's token, a meeting
created with the form takes its agenda steps, speaking time, quorum and the community's wording;
a meeting made before an edit keeps what it was given; bad edits and strangers are refused and
change nothing."""
from __future__ import annotations

from typing import Any

VILLAGE = "heping-cun"


def auth(server: Any, lang: str = "zh-CN") -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}", "Accept-Language": lang}


async def meeting(server: Any, http: Any, made: dict[str, Any]) -> dict[str, Any]:
    r = await http.get(f"/api/meetings/{made['id']}", params={"key": made["key"]})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_a_meeting_follows_its_communitys_template_and_keeps_it(server: Any) -> None:
    at = {"community": VILLAGE}
    async with server.http() as http:
        listed = (await http.get("/api/forms", params=at, headers=auth(server))).json()
        assert listed["wording"] == "neighbourhood"
        hearing = next(f for f in listed["forms"] if f["form"] == "hearing")
        assert hearing["template"]["agenda"] == ["主持人说明程序", "组织方介绍方案", "陈述", "询问", "总结陈述"]
        assert {f["form"] for f in listed["forms"]} >= {"board", "assembly", "representatives"}

        r = await http.post("/api/forms/hearing", params=at, headers=auth(server), json={
            "agenda": ["说明程序", "介绍方案", "各方陈述"], "speaking_seconds": 240, "speakers": "invitees"})
        assert r.status_code == 200, r.text
        r = await http.post("/api/forms/assembly", params=at, headers=auth(server), json={"quorum": "two_thirds"})
        assert r.status_code == 200, r.text
        r = await http.post("/api/forms/wording", params=at, headers=auth(server), json={"wording": "village"})
        assert r.status_code == 200, r.text

        # No items, no speaking time, no categories: the template's and the community's wording
        r = await http.post("/api/meetings", headers=auth(server), json={
            "title": "村道改造听证会", "form": "hearing", "agenda": [], "community": VILLAGE})
        assert r.status_code == 201, r.text
        made = r.json()
        view = await meeting(server, http, made)
        assert [a["title"] for a in view["agenda"]] == ["说明程序", "介绍方案", "各方陈述"]
        assert view["speaking_seconds"] == 240 and view["wording"] == "village"
        assert view["template"]["speakers"] == "invitees" and view["template"]["community"] == VILLAGE
        committee = next(c for c in view["categories"] if c["key"] == "committee")
        assert (committee["zh"], committee["en"]) == ("村民委员会", "villagers' committee")

        # The organiser's own items and speaking time win over the template's.
        own = await server.create_meeting(form="hearing", community=VILLAGE, speaking_seconds=120, roster=[],
                                          agenda=[{"title": "是否拓宽村道"}])
        own_view = await meeting(server, http, own)
        assert [a["title"] for a in own_view["agenda"]] == ["是否拓宽村道"] and own_view["speaking_seconds"] == 120

        assembly = await server.create_meeting(title="村民会议", form="assembly", agenda=[], convene=None,
                                               roster=[{"name": f"村民{i}", "category": "registered"} for i in range(9)],
                                               community=VILLAGE)
        quorum = (await meeting(server, http, assembly))["attendance"]["quorum"]
        assert (quorum["rule"], quorum["required"]) == ("two_thirds", 6)  # the law says more than half: 5

        # Edited later, and reset: the meetings already made keep what they were given.
        r = await http.post("/api/forms/hearing", params=at, headers=auth(server), json={"agenda": ["另一种程序"],
                                                                                       "speaking_seconds": 60})
        assert r.status_code == 200, r.text
        assert (await http.post("/api/forms/assembly/reset", params=at, headers=auth(server))).status_code == 200
        again = await meeting(server, http, made)
        assert [a["title"] for a in again["agenda"]] == ["说明程序", "介绍方案", "各方陈述"]
        assert again["speaking_seconds"] == 240
        assert (await meeting(server, http, assembly))["attendance"]["quorum"]["rule"] == "two_thirds"

        # Another community (and the install's first) is untouched by this one's edits.
        other = await server.create_meeting(form="hearing", agenda=[], roster=[])
        other_view = await meeting(server, http, other)
        assert [a["title"] for a in other_view["agenda"]][0] == "主持人说明程序" and other_view["wording"] == "neighbourhood"
        assert next(c for c in other_view["categories"] if c["key"] == "committee")["zh"] == "居民委员会"


async def test_bad_edits_and_strangers_are_refused_and_change_nothing(server: Any) -> None:
    at = {"community": VILLAGE}
    async with server.http() as http:
        before = (await http.get("/api/forms", params=at, headers=auth(server))).json()

        r = await http.post("/api/forms/representatives", params=at, headers=auth(server),
                            json={"quorum": "more_than_half"})
        assert r.status_code == 400 and r.json()["code"] == "quorum_below_law"
        assert r.json()["error"] == "法律规定了这种形式的法定人数：社区可以提高，不能降低。"
        r = await http.post("/api/forms/representatives", params=at, headers=auth(server, "en"), json={"quorum": None})
        assert r.json()["error"] == "The law sets this form's quorum: a community may ask for more, never for less."
        for form, body, code in [
            ("council", {"speaking_seconds": 5}, "bad_speaking_time"),
            ("council", {"agenda": ["<script>alert(1)</script>" * 40]}, "text_too_long"),
            ("council", {"voters": ["martians"]}, "unknown_category"),
            ("council", {"poll_kinds": ["lottery"]}, "unknown_poll_kind"),
            ("council", {"speakers": {"$ne": 1}}, "bad_who"),
            ("owners", {"voters": "everyone"}, "voters_are_members"),
            ("picnic", {}, "unknown_form"),
        ]:
            r = await http.post(f"/api/forms/{form}", params=at, headers=auth(server), json=body)
            assert (r.status_code, r.json()["code"]) == (400, code), (form, body, r.text)
        r = await http.post("/api/forms/wording", params=at, headers=auth(server), json={"wording": "city"})
        assert r.json()["code"] == "unknown_wording"
        r = await http.post("/api/forms/council", params=at, headers=auth(server), content=b"[" * 5000)
        assert r.status_code == 400 and r.json()["code"] == "bad_payload"
        r = await http.post("/api/forms/council", params={"community": "../x"}, headers=auth(server), json={})
        assert r.status_code == 400 and r.json()["code"] == "bad_payload"

        for method, path, body in [("GET", "/api/forms", None), ("POST", "/api/forms/council", {"speaking_seconds": 60}),
                                   ("POST", "/api/forms/council/reset", None), ("POST", "/api/forms/wording", {"wording": "village"})]:
            r = await http.request(method, path, params=at, json=body, headers={"Authorization": "Bearer wrong"})
            assert r.status_code == 401, path

        assert (await http.get("/api/forms", params=at, headers=auth(server))).json() == before
        r = await http.post("/api/meetings", headers=auth(server), json={"title": "x", "form": "council", "agenda": [],
                                                                          "community": "no such/community"})
        assert r.status_code == 400 and r.json()["code"] == "bad_payload"


async def test_a_forms_floor_policy_and_limits_start_its_meetings_unless_the_creator_says_otherwise(server: Any) -> None:
    at = {"community": VILLAGE}
    async with server.http() as http:
        r = await http.post("/api/forms/council", params=at, headers=auth(server), json={
            "floor_policy": "unheard_categories", "floor_limits": {"person_seconds": 300, "reply_seconds": 30}})
        assert r.status_code == 200, r.text
        assert r.json()["template"]["floor_policy"] == "unheard_categories"
        listed = (await http.get("/api/forms", params=at, headers=auth(server))).json()
        council = next(f for f in listed["forms"] if f["form"] == "council")
        assert council["template"]["floor_limits"] == {"person_seconds": 300, "reply_seconds": 30}
        assert council["builtin"]["floor_policy"] == "first_come"
        assert next(f for f in listed["forms"] if f["form"] == "hearing")["template"]["floor_policy"] == "alternate"

        made = await server.create_meeting(form="council", community=VILLAGE, roster=[], agenda=[{"title": "村道"}])
        view = await meeting(server, http, made)
        assert view["floor"]["policy"] == "unheard_categories"
        assert view["floor"]["limits"] == {"person_seconds": 300, "reply_seconds": 30}
        # The creator's own policy, and a limit of theirs added (0 lifting the form's)
        own = await server.create_meeting(form="council", community=VILLAGE, roster=[], agenda=[{"title": "村道"}],
                                          floor_policy="alternate", floor_limits={"person_seconds": 0, "side_seconds": 600})
        own_view = await meeting(server, http, own)
        assert own_view["floor"]["policy"] == "alternate"
        assert own_view["floor"]["limits"] == {"reply_seconds": 30, "side_seconds": 600}
        # Another community's council is first come, with no limits
        other = await meeting(server, http, await server.create_meeting(form="council", roster=[], agenda=[{"title": "x"}]))
        assert other["floor"] == {**other["floor"], "policy": "first_come", "limits": {}}

        before = (await http.get("/api/forms", params=at, headers=auth(server))).json()
        for body, code in [({"floor_policy": "loudest_first"}, "unknown_floor_policy"),
                           ({"floor_limits": {"person_seconds": -1}}, "bad_limit"),
                           ({"floor_limits": {"shouting": 5}}, "unknown_limit"),
                           ({"floor_limits": "300"}, "bad_template")]:
            r = await http.post("/api/forms/council", params=at, headers=auth(server), json=body)
            assert (r.status_code, r.json()["code"]) == (400, code), (body, r.text)
        r = await http.post("/api/forms/council", params=at, headers=auth(server, "en"),
                            json={"floor_policy": "<b>loudest</b>"})
        assert "first_come, unheard_people, unheard_categories or alternate" in r.json()["error"]
        r = await http.post("/api/forms/council", params=at, headers=auth(server), json={"floor_policy": "loudest_first"})
        assert "未知的排队规则" in r.json()["error"]
        assert (await http.get("/api/forms", params=at, headers=auth(server))).json() == before
