"""Markdown: every section of the minutes as headings, lists and pipe tables.

User text cannot change the structure: markdown punctuation is backslash-escaped, HTML is
escaped as text, and line breaks inside a field do not start new blocks.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .present import Presenter, stamp

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
_LEADING = re.compile(r"^([-+=]|\d+(?=[.)]))")  # would start a list or a heading underline


def esc(text: object) -> str:
    """Text that renders as itself: no emphasis, links, HTML, headings or table cells from user input."""
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    return _LEADING.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), flat)


def table(head: Iterable[str], rows: Iterable[Iterable[object]], numeric: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    head = list(head)
    out = ["| " + " | ".join(esc(h) for h in head) + " |",
           "|" + "|".join("---:" if i in numeric else "---" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out + [""]


def bold_label(p: Presenter, label: str) -> str:
    """**Label:** then the text; the space of the English colon goes outside the emphasis.

    The Chinese colon goes outside too: CommonMark closes no emphasis between "：" and a letter,
    so "**书面意见：**正文" would show its asterisks."""
    if p.colon.endswith(" "):
        return f"**{esc(label)}{p.colon.strip()}** "
    return f"**{esc(label)}**{p.colon}"


def note(p: Presenter, thing: dict[str, Any] | None) -> str:
    """The small note after what staff entered for the person (in italics), or ""."""
    # the emphasis inside the brackets: CommonMark opens no emphasis between a letter and "（"
    return p.paren(f"*{esc(p.L.entered_by_staff)}*") if p.entered(thing) else ""


def _people(p: Presenter, people: list[dict[str, Any]]) -> str:
    own, staff, note = p.people(people)
    return esc(own + staff) + (p.paren(f"*{esc(note)}*") if note else "")


def render_markdown(model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> str:
    p = Presenter(model, lang, site=site, notice_days=notice_days)
    L, m = p.L, model
    out: list[str] = [f"# {esc(m['meeting']['title'])} · {esc(L.minutes)}", "",
                      f"*{esc(L.public_version if m['public'] else L.internal_version)}*", ""]
    out += table(["", ""], p.header_rows())
    out += [esc(p.zone_note()), ""]
    if m["open_objections"]:
        out += [f"> **{esc(L('open_objections', n=len(m['open_objections'])))}**", ""]

    a = m["attendance"]
    out += [f"## {esc(L.attendance)}", "", esc(p.attendance_summary()), ""]
    out += [f"- {esc(line)}" for line in p.quorum_lines()] + ([""] if a["quorum"] else [])
    if notice := p.notice_lines():
        out += [bold_label(p, L.meeting_notice).rstrip(), ""] + [f"- {esc(line)}" for line in notice] + [""]
    if proxies := p.proxy_lines():
        out += [bold_label(p, L.proxies).rstrip(), ""] + [f"- {esc(line)}" for line in proxies] + [""]
    out += table([L.category, L.present, L.invited, L.absent, L.walk_ins],
                 [[p.cat(r["category"]), r["present"], r["invited"], r["absent"], r["walk_ins"]] for r in a["by_category"]],
                 {1, 2, 3, 4})
    if not m["public"]:
        out += [f"### {esc(L.names)}", ""]
        out += [f"- {bold_label(p, p.cat(r['category']) + p.paren(str(r['present'])))}"
                + _people(p, r["people"]) for r in a["by_category"] if r["people"]] + [""]
    if a["absent_people"]:
        out += [bold_label(p, L.absent_people) + esc(p.sep.join(p.who(x) for x in a["absent_people"])), ""]

    out += [f"## {esc(L.agenda)}", ""]
    out += [f"{i['index'] + 1}\\. {esc(i['title'])}" + (f" — {esc(p.word(i['outcome']['outcome']))}" if i["outcome"] else "")
            + "  " for i in m["items"]] + [""]
    for item in m["items"]:
        out += _item(p, item)

    if hearing := p.hearing_blocks():  # a hearing's record (听证笔录)
        out += [f"## {esc(L.hearing_record)}", ""]
        for block in hearing:
            out += ([f"### {esc(block['title'])}", ""] if block["title"] else []) + [
                esc(text) + "  " for text in block["lines"]] + [""]
    h = m["heard"]
    out += [f"## {esc(L.heard)}", "", esc(p.heard_summary()), ""]
    if h["by_category"]:
        out += table([L.category, L.speeches, L.speakers, L.speaking_time, L.share],
                     [[p.cat(r["category"]), r["speeches"], r["speakers"], p.duration(r["seconds"]),
                       p.share(r["seconds"], h["total_seconds"])] for r in h["by_category"]], {1, 2, 3, 4})
    out += [esc(p.silent()), ""]
    for line in p.floor_lines():
        out += [esc(line), ""]

    out += [f"## {esc(L.signatures)}", "",
            f"- {esc(L.moderator)}{p.colon}{esc(m['meeting']['moderator'])}　{esc(L.signature)}{p.colon}____________",
            f"- {esc(L.recorder)}{p.colon}{esc(m['meeting']['recorder'])}　{esc(L.signature)}{p.colon}____________", ""]
    out += [f"## {esc(L.record)}", "", esc(p.record_intro()), ""]
    out += table(["", ""], p.record_rows())
    out += [esc(p.verify_hint()), "", f"`{stamp(m)}`", ""]
    if m["public"]:  # the notice board: how long it hangs, where to ask, and last who issued it (and their seal)
        out += [f"## {esc(L.notice)}", "", f"**{esc(p.notice_period())}**", "", esc(p.feedback()), "",
                esc(p.check_line(False)), "",
                f"{esc(p.issuer_line())}{p.paren(esc(L.sealed))}  ", esc(p.long_date(p.issued_on())), ""]
    return "\n".join(out)


def _item(p: Presenter, item: dict[str, Any]) -> list[str]:
    L = p.L
    out = [f"## {esc(p.item_title(item))}", ""]
    if item["background"]:
        out += [bold_label(p, L.background) + esc(item["background"]), ""]
    out += [f"### {esc(L.speeches)}", ""]
    for s in item["speeches"]:
        kind = f" · {p.word(s['kind'])}" if s["kind"] != "speech" else ""
        took = p.duration(s["seconds"]) if s["seconds"] is not None else L.speaking_now
        notes = f" · {esc(p.speech_notes(s))}" if p.speech_notes(s) else ""
        out += [f"{s['number']}\\. **{esc(p.who(s['speaker']))}** · {esc(p.word(s['stance']) + kind)} · "
                f"{esc(p.time(s['started_at']))} · {esc(took)}{notes}{note(p, s)}  ",
                esc(s['summary'] or L.no_summary), ""]
    if not item["speeches"]:
        out += [esc(L.no_speeches), ""]
    out += [f"### {esc(L.opinions)}", ""]
    out += [f"- {bold_label(p, p.who(o['author']))}{esc(o['text'])}{note(p, o)}" for o in item["opinions"]["approved"]]
    if not item["opinions"]["approved"]:
        out += [esc(L.no_opinions)]
    op = item["opinions"]
    if op["hidden"] or op["unmoderated"]:
        out += ["", esc(L("opinions_hidden", hidden=op["hidden"], unmoderated=op["unmoderated"]))]
    out += [""]
    if item["polls"]:
        out += [f"### {esc(L.polls)}", ""]
    for poll in item["polls"]:
        out += [f"#### {esc(L.question)}{p.colon}{esc(poll['question'])}", "",
                esc(f"{p.kind(poll)} · {p.secrecy(poll)} · {p.poll_summary(poll)}"), ""]
        if poll["open"]:
            out += [f"> {esc(L.poll_still_open)}", ""]
        if lines := p.binding(poll) + p.ranking_lines(poll):
            out += [f"- {esc(line)}" for line in lines] + [""]
        if poll["kind"] == "evaluation":
            out += table(p.evaluation_head(), p.evaluation_rows(poll), {1, 2, 3, 4, 5}) + [esc(L.satisfaction_formula), ""]
        else:
            out += table([L.option, L.phones, L.hands, L.votes, L.share], p.poll_rows(poll), {1, 2, 3, 4})
        out += [f"- {esc(line)}" for line in p.corrections(poll)] + ([""] if poll.get("corrections") else [])
        if poll["by_category"]:
            out += table([L.by_category, *p.options(poll)], p.category_rows(poll),
                         set(range(1, len(poll["options"]) + 1)))
            if hidden := p.category_note(poll):
                out += [f"*{esc(hidden)}*", ""]
        out += [f"*{esc(L.chart_in_other_formats)}*", ""]
        if rows := p.roll_rows(poll):
            out += [f"**{esc(L.roll)}**", ""] + table(
                [L.voter, L.ballot], [(who, f"{ballot}{p.paren(entered)}" if entered else ballot) for who, ballot, entered in rows], set())
        if receipts := p.receipt_rows(poll):
            out += [f"**{esc(L.receipts)}**", ""] + table([L.receipt, L.ballot], receipts, set())
    if item["objections"]:
        out += [f"### {esc(L.objections)}", ""]
    for x in item["objections"]:
        state = L.objection_open if x["open"] else L.objection_closed
        out += [f"- **{esc(p.who(x['objector']))}** · {esc(L.raised_at)} {esc(p.datetime(x['raised_at']))} · "
                f"**{esc(state)}**{note(p, x)}" + (f" · {esc(raised)}" if (raised := p.raised(x)) else ""),
                f"  - {esc(L.reason)}{p.colon}{esc(x['reason'])}"]
        for e in x["explanations"]:
            out += [f"  - {esc(L.explanation)}{esc(p.paren(L('explained_by', by=e['by'], at=p.datetime(e['at']))))}"
                    f"{p.colon}{esc(e['text'])}"]
        if not x["explanations"]:
            out += [f"  - {esc(L.no_explanation)}"]
        last = x["responses"][-1] if x["responses"] else None
        comment = f" — {last['comment']}{p.paren(p.datetime(last['at']))}" if last and last["comment"] else ""
        out += [f"  - {esc(L.objector_response)}{p.colon}{esc(p.response(x['response']) + comment)}{note(p, last)}"]
    if item["objections"]:
        out += [""]
    out += [f"### {esc(L.outcome)}", ""]
    oc = item["outcome"]
    if oc:
        out += [f"**{esc(p.word(oc['outcome']))}**", ""]
        if oc["opinion"]:
            out += [f"{esc(L.consultation_opinion)}{p.colon}{esc(oc['opinion'])}", ""]
        if oc["actions"]:
            out += table([L.action, L.owner, L.due], [[a["what"], a["owner"] or "—", a["due"] or "—"] for a in oc["actions"]])
        for x in item.get("escalations", []):
            out += [f"{esc(line)}  " for line in p.sent_on(x)] + [""]
        if lines := p.reported(item):
            out += [f"{esc(line)}  " for line in lines] + [""]
        for c in oc.get("corrections", []):
            out += [f"**{esc(p.corrected(c))}**", "", f"{esc(L.correction_reason)}{p.colon}{esc(c['reason'])}", ""]
            if c["opinion"]:
                out += [f"{esc(L.corrected_opinion)}{p.colon}{esc(c['opinion'])}", ""]
    else:  # where the item came from, all the same (the topic, its petition and opinions gathered)
        out += [esc(L.no_outcome), ""]
        if lines := p.reported(item):
            out += [f"{esc(line)}  " for line in lines] + [""]
    return out
