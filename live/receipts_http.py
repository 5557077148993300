"""HTTP for a secret poll's public list of receipts: (receipt, ballot) for every ballot in its box,
once it closed. Anyone may recount the result from it; each voter's phone fetches the whole list
and looks for its own receipt there, so the server never learns which receipt is whose.

| path | who |
|---|---|
| /meetings/{id}/polls/{poll}/receipts | anyone: the list, in receipt order, with the poll's count |
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from facilitation.masking import masker_for
from voting.polls import shown_receipt

if TYPE_CHECKING:
    from .app import Yishi

# Published, and unchanging once the poll closed: a short public cache spares a hall of phones
# asking together at the close.
CACHE = {"Cache-Control": "public, max-age=60"}


def receipts_routes(app: Yishi) -> list[Route]:
    from .app import error

    async def receipts(request: Request) -> Response:
        meeting_id, poll_id = request.path_params["id"], request.path_params["poll"]
        if not await app.meetings.exists(meeting_id):
            return error(request, "no_such_meeting", 404)
        m = await app.meetings.state(meeting_id)
        poll = m.polls.get(poll_id)
        if poll is None:
            return error(request, "no_such_poll", 404)
        if not poll.secret:
            return error(request, "not_secret", 404)
        if poll.open:
            return error(request, "secret_sealed", 409)
        masked = masker_for(m).text
        return JSONResponse({
            "ok": True, "meeting": meeting_id, "poll_id": poll.id, "kind": poll.kind,
            # as the public minutes show them: a resident named in the question masked
            "question": masked(poll.question), "options": [masked(o) for o in poll.options],
            "counts": poll.counts(), "hands": list(poll.hand_counts), "voters": len(poll.ballots),
            "ballots": [{"receipt": receipt, "shown": shown_receipt(receipt),
                         **({"choices": list(b)} if isinstance(b, tuple) else {"choice": b})} for receipt, b in poll.box],
        }, headers=CACHE)

    return [Route("/meetings/{id}/polls/{poll}/receipts", receipts)]
