"""A hearing's record (听证笔录) as every format of the minutes prints it: the stages, each party
with whom they speak for, their side and what they registered to say, their testimony and
closing statement with the recorder's notes, and the questions asked. Blocks of plain lines, so
that the page, the Word file and the Markdown say the same in the same words."""
from __future__ import annotations

from typing import Any

from .present import Presenter


def _part(p: Presenter, kind: str, x: dict[str, Any] | None) -> list[str]:
    name = p.word(kind)
    if x is None:
        return [p.L("hearing_not_heard", part=name)]
    line = p.L("hearing_part", part=name, number=x["speech"], start=p.time(x["started_at"]),
               duration=p.duration(x["seconds"]), allotted=p.duration(x["allotted"]))
    if "time" in x["over"]:
        line += p.paren(p.L.hearing_part_over)
    notes = p.L("hearing_notes", notes=x["summary"]) if x["summary"] else p.L.hearing_no_notes
    return [line, notes]


def blocks(p: Presenter) -> list[dict[str, Any]]:
    """[{title, lines}]: the record's opening lines (no title), one block per party, the questions."""
    h = p.m.get("hearing")
    if not h:
        return []
    L = p.L
    intro = []
    if h["stages"]:
        intro.append(L("hearing_stages", stages=p.sep.join(f"{p.word('stage_' + s['stage'])} {p.time(s['at'])}"
                                                            for s in h["stages"])))
    intro.append(L("hearing_times", testimony=p.duration(h["seconds"]["testimony"]),
                   closing=p.duration(h["seconds"]["closing"])))
    out: list[dict[str, Any]] = [{"title": "", "lines": intro}]
    for x in h["parties"]:
        side = p.word(x["side"])
        speaks = (L("hearing_party_concerned", side=side) if x["for_kind"] == "concerned" and not x["speaks_for"]
                  else L("hearing_party_for", kind=p.word("for_" + x["for_kind"]), speaks_for=x["speaks_for"] or "—",
                         side=side))
        lines = [speaks,
                 L("hearing_party_summary", summary=x["summary"]),
                 L("hearing_registered" if x["registered_by"] else "hearing_registered_self",
                   at=p.datetime(x["registered_at"]))]
        if x["withdrawn"]:
            lines.append(L("hearing_withdrawn", at=p.datetime(x["withdrawn"]["at"]), reason=x["withdrawn"]["reason"] or "—"))
        else:
            lines += _part(p, "testimony", x["testimony"]) + _part(p, "closing", x["closing"])
        title = (f"{x['order']}. " if x["order"] else "") + p.who(x["party"])
        out.append({"title": title, "lines": lines})
    questions = [f"{q['number']}. {p.who(q['speaker'])} · {p.word(q['stance'])} · {p.time(q['started_at'])} · "
                 f"{p.duration(q['seconds'])}" + (f"{p.colon}{q['summary']}" if q["summary"] else "")
                 for q in h["questions"]]
    out.append({"title": L.hearing_questions, "lines": questions or [L.hearing_no_questions]})
    return [dict(b, lines=[line[:1].upper() + line[1:] for line in b["lines"]]) for b in out]  # "For a group: …"
