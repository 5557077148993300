"""How the minutes model reads in one language: names with categories, times, durations, charts.

Every renderer (HTML, Markdown, Word) draws from the same model through this presenter, so they
say the same thing in the same words.
"""
from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable
from datetime import date as Day, datetime, timedelta
from decimal import Decimal
from typing import Any

from voting import charts
from voting.majority import describe

from .labels import Labels


# The public version is pinned to the notice board for this many days from the day it was generated.
NOTICE_DAYS = 7
BEIJING = "Asia/Shanghai"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# The body that issues the public minutes, when the place names it ("幸福里社区居委会二楼会议室").
_ISSUER_IN_PLACE = re.compile(r"[\w（）()·]*?(?:村民委员会|居民委员会|村委会|居委会|业主委员会|业委会)")


def stamp(model: dict[str, Any]) -> str:
    """The one line every format carries, which `yishi verify` reads back."""
    r = model["record"]
    return f"yishi-record {r['meeting_id']} / {r['events']} / {r['last_hash']}"


class Drawn:
    """One chart in the formats drawn so far. A format not drawn yet is drawn when first asked for,
    together with the others of `also` not drawn yet: one figure saved in several formats costs
    less than one figure per format."""

    def __init__(self, draw: Callable[[tuple[str, ...]], dict[str, bytes]]) -> None:
        self._draw = draw
        self._formats: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, fmt: str, also: tuple[str, ...] = ()) -> bytes:
        with self._lock:
            if fmt not in self._formats:
                wanted = (fmt, *(f for f in also if f != fmt and f not in self._formats))
                self._formats.update(self._draw(wanted))
            return self._formats[fmt]


# Charts by what they show: a poll's chart is drawn once for all the formats and versions
# (internal, public) of the minutes that show it, SVG for the page, PNG for the PDF and Word.
@functools.lru_cache(maxsize=256)
def _poll_chart(question: str, labels: tuple[str, ...], counts: tuple[int, ...]) -> Drawn:
    return Drawn(lambda formats: charts.poll_charts(question, list(labels), list(counts), formats))


@functools.lru_cache(maxsize=64)
def _ranking_chart(question: str, labels: tuple[str, ...], ranked: str, points: str, out: str) -> Drawn:
    return Drawn(lambda formats: charts.ranking_charts(question, list(labels), json.loads(ranked), formats,
                                                       points=points, out=out))


@functools.lru_cache(maxsize=64)
def _evaluation_chart(question: str, labels: tuple[str, ...], evaluated: str, ratings: tuple[str, ...],
                      rate: str) -> Drawn:
    return Drawn(lambda formats: charts.evaluation_charts(question, list(labels), json.loads(evaluated), formats,
                                                          ratings=ratings, rate=rate))


@functools.lru_cache(maxsize=64)
def _heard_chart(labels: tuple[str, ...], seconds: tuple[float, ...], title: str) -> Drawn:
    return Drawn(lambda formats: charts.speaking_time_charts(list(labels), list(seconds), formats, title=title))


def forget_charts() -> None:
    """Empty the charts drawn so far (the benchmark times each format from nothing)."""
    for cached in (_poll_chart, _ranking_chart, _evaluation_chart, _heard_chart):
        cached.cache_clear()


class Presenter:
    """`site`: the server's address as phones and scanners reach it (`http://192.168.1.20:8000`), which
    makes the verification link absolute and lets it be drawn as a QR code; "" when unknown."""

    def __init__(self, model: dict[str, Any], lang: str, *, site: str = "", notice_days: int | None = None) -> None:
        self.m = model
        self.lang = lang
        self.site = site.rstrip("/")
        # asked for (yishi minutes --notice-days), else as the meeting set it, else the usual week
        self.notice_days = notice_days or model["meeting"].get("notice_days") or NOTICE_DAYS
        self.L = Labels(lang)
        self._cats = {c["key"]: c for c in model["categories"]}
        zh = lang == "zh-CN"
        self.colon, self.sep = ("：", "、") if zh else (": ", ", ")

    def paren(self, text: str) -> str:
        return f"（{text}）" if self.lang == "zh-CN" else f" ({text})"

    # -- words ----------------------------------------------------------------------

    def cat(self, key: str) -> str:
        c = self._cats.get(key)
        if not c:
            return key
        return c["zh"] if self.lang == "zh-CN" else c["en"]

    def who(self, w: dict[str, Any]) -> str:
        return w["name"] + self.paren(self.cat(w["category"]))

    def word(self, key: str) -> str:
        # a village's meeting in its own words (村民会议), a neighbourhood's in the residents'
        return self.L.worded(key, self.m["meeting"].get("wording"))

    def corrected(self, c: dict[str, Any]) -> str:
        """"2027年1月5日经幸福街道党工委决定更正为：未达成共识。" """
        return self.L("corrected", date=self.long_date(datetime.fromisoformat(c["at"]).date()), by=c["decided_by"],
                      outcome=self.word(c["outcome"]))

    def sent_on(self, x: dict[str, Any]) -> list[str]:
        """Where an item went on to and, once known, what was decided there."""
        lines = [self.L("sent_on", form=self.word(x["to_form"]), meeting=x["to_meeting"],
                        date=self.long_date(datetime.fromisoformat(x["at"]).date()), reason=x["reason"])]
        if x["decided"]:
            said = self.L("decided_there", outcome=self.word(x["decided"]["outcome"]))
            lines.append(said + (f" {self.L.consultation_opinion}{self.colon}{x['decided']['opinion']}"
                                 if x["decided"]["opinion"] else ""))
        return lines

    def raised(self, x: dict[str, Any]) -> str:
        """How an objection came in, when not raised at the meeting: in the publicity period, or as
        an explanation asked for by one who voted or spoke against (naming the polls)."""
        during = x.get("during", "meeting")
        if during == "publicity":
            return self.L.raised_in_publicity
        if during != "request":
            return ""
        basis = x.get("basis") or {}
        questions = {p["id"]: p["question"] for item in self.m["items"] for p in item["polls"]}
        stood = []
        if basis.get("polls"):
            stood.append(self.L("voted_against", polls="”“".join(questions.get(i, i) for i in basis["polls"])))
        if basis.get("speeches"):
            stood.append(self.L.spoke_against)
        return self.L("requested_explanation", basis=self.sep.join(stood))

    def reported(self, item: dict[str, Any]) -> list[str]:
        """Where the item came from (added during the meeting, the topic it takes up and its petition),
        then an entrusted matter: who entrusted it, each report back to them and its reply."""
        lines = [self.L("added_during", time=self.time(item["added"]["at"]),
                        reason=item["added"]["reason"] or self.L.no_reason_given)] if item.get("added") else []
        if topic := item.get("topic"):
            lines.append(self.L("topic_from", source=self.L.word(f"source_{topic['source']}"),
                                kind=self.L.word(f"kind_{topic['kind']}"), proposer=topic["proposer"]))
            if petition := topic.get("petition"):
                lines.append(self.L(f"petition_{petition['base']}", signatures=petition["signatures"],
                                    needed=petition["needed"])
                             + (" " + self.L.petition_reached if topic.get("accepted_by") == "petition" else ""))
            lines += self.advance_opinions(topic.get("opinions"))
        if item.get("entrusted_by"):
            lines.append(self.L("entrusted", body=item["entrusted_by"]))
        for r in item.get("reports") or []:
            lines.append(self.L("reported", body=r["to"], date=self.long_date(datetime.fromisoformat(r["at"]).date()),
                                text=r["text"]))
            reply = r["reply"]
            lines.append(self.L("replied", body=reply["by_body"], text=reply["text"],
                                date=self.long_date(datetime.fromisoformat(reply["at"]).date()))
                         if reply else self.L.awaiting_reply)
        return lines

    def advance_opinions(self, given: dict[str, Any] | None) -> list[str]:
        """The opinions gathered on an item's topic before the meeting: the period, how many by which
        channel, then each statement with its stances by category and whether it unites or divides them."""
        if not given:
            return []
        day = lambda v: self.long_date(datetime.fromisoformat(v).date()) if v else "—"  # noqa: E731
        ends = min(v for v in (given["until"], given["closed_at"]) if v)
        shown = given["statements"]
        lines = [self.L("advance_opinions", opens=day(given["opens"]), ends=day(ends),
                        n=len(shown) + given["hidden"], **given["channels"])]
        if given["hidden"]:
            lines.append(self.L("advance_hidden", n=given["hidden"]))
        for n, s in enumerate(shown, start=1):
            line = self.L("advance_statement", n=n, text=s["text"], name=s["name"],
                          categories=self.sep.join(self.word(f"opinion_{c}") for c in s["categories"]),
                          channel=self.word(f"channel_{s['channel']}"), agree=s["agree"], disagree=s["disagree"])
            if s["by_category"]:
                line += " " + self.L("advance_by_category", counts=("；" if self.sep == "、" else "; ").join(
                    self.L("advance_category", category=self.word(f"opinion_{c}"), **k) for c, k in s["by_category"].items()))
            if s["id"] in given["consensus"]:
                line += " " + self.L.advance_consensus
            elif s["id"] in given["divided"]:
                line += " " + self.L.advance_divided
            lines.append(line)
        return lines

    def ranking_lines(self, poll: dict[str, Any]) -> list[str]:
        """A ranking's result by its method: each option's Borda points, or each round of the
        runoff with who was eliminated and why; then who came first. The table below it counts
        first preferences."""
        r = poll.get("ranked")
        if not r:
            return []
        names = self.options(poll)
        sep = self.sep
        if r["method"] == "borda":
            lines = [self.L("borda_points", points=sep.join(
                self.L("option_points", option=names[i], n=r["points"][i]) for i in r["order"]))]
        else:
            lines = []
            for rd in r["rounds"]:
                counts = sep.join(self.L("option_votes", option=names[i], n=n) for i, n in enumerate(rd["counts"]) if n is not None)
                line = self.L("runoff_round", n=rd["round"], counts=counts, exhausted=rd["exhausted"])
                if rd["eliminated"]:
                    line += " " + self.L("eliminated", options=sep.join(names[i] for i in rd["eliminated"]))
                lines.append(line)
        winners = r["winners"]
        lines.append(self.L("ranked_first", options=sep.join(names[i] for i in winners)) if len(winners) == 1
                     else self.L("ranked_tie", options=sep.join(names[i] for i in winners)) if winners
                     else self.L.no_ranking)
        return lines

    def evaluation_head(self) -> list[str]:
        L = self.L
        return [L.evaluated, L.word("satisfied"), L.word("basically_satisfied"), L.word("dissatisfied"), L.not_rated,
                L.satisfaction_rate]

    def evaluation_rows(self, poll: dict[str, Any]) -> list[list[Any]]:
        """Each one evaluated: the ratings and the satisfaction rate (满意 + 基本满意 over those who rated)."""
        e = poll.get("evaluated") or {"evaluated": []}
        return [[name, r["satisfied"], r["basically_satisfied"], r["dissatisfied"], r["not_rated"],
                 f"{r['satisfaction_percent']}%" if r["satisfaction_percent"] is not None else "—"]
                for name, r in zip(self.options(poll), e["evaluated"])]

    def kind(self, poll: dict[str, Any]) -> str:
        """The kind of poll as the minutes name it; multiple choice with its limit."""
        if poll["kind"] == "multiple":
            return self.L("multiple_kind", max=poll.get("max_choices") or len(poll["options"]))
        if poll["kind"] == "ranking":
            return self.L("ranking_kind", method=self.word(poll.get("method") or "borda"))
        return self.word(poll["kind"])

    def secrecy(self, poll: dict[str, Any]) -> str:
        """What the minutes show of each voter's choice: nothing, all (a roll call), or every ballot by receipt."""
        said = self.L.secret_poll if poll["secret"] else self.L.named_poll if poll.get("named") else self.L.ordinary_poll
        return f"{said}{self.sep}{self.L.changeable_poll}" if poll.get("changeable") else said

    def ballot(self, poll: dict[str, Any], ballot: Any) -> str:
        """One ballot in words: the option, the options ticked, a ranking in order, an evaluation's ratings."""
        names = self.options(poll)
        if isinstance(ballot, int):
            return names[ballot] if 0 <= ballot < len(names) else "—"
        if poll["kind"] == "evaluation":
            words = [self.word("satisfied"), self.word("basically_satisfied"), self.word("dissatisfied")]
            return self.sep.join(self.L("rated", name=names[i], rating=words[r] if 0 <= r < 3 else self.L.not_rated)
                                 for i, r in enumerate(ballot))
        if not ballot:
            return self.L.blank_ballot
        return (" > " if poll["kind"] == "ranking" else self.sep).join(names[i] for i in ballot)

    def receipt_rows(self, poll: dict[str, Any]) -> list[tuple[str, str]]:
        """A secret poll's ballots by receipt (K7P4-QX2M), in receipt order."""
        return [(f"{r[:4]}-{r[4:]}", self.ballot(poll, b)) for r, b in poll.get("receipts") or []]

    def roll_rows(self, poll: dict[str, Any]) -> list[tuple[str, str, str]]:
        """A roll call's votes: who (a proxy's ballot: the member it was cast for), the ballot, who entered it."""
        return [((self.L("by_proxy", name=self.who(v["voter"])) if v["proxy"] else self.who(v["voter"])),
                 self.ballot(poll, v["choice"]), self.L.entered_by_staff if v["entered_by"] else "")
                for v in poll.get("roll") or []]

    def response(self, key: str) -> str:
        return self.L.word("no_response" if key == "none" else key)

    def options(self, poll: dict[str, Any]) -> list[str]:
        return [self.word(o) for o in poll["options"]] if poll["kind"] not in ("single", "multiple", "ranking", "evaluation") \
            else list(poll["options"])

    def category_rows(self, poll: dict[str, Any]) -> list[list[Any]]:
        """The breakdown by category: a category whose counts the public version hides (fewer
        than 3 voters) shows <3 in every cell."""
        return [[self.cat(r["category"]),
                 *(r["counts"] if r["counts"] is not None else [self.L.few_voters] * len(poll["options"]))]
                for r in poll["by_category"]]

    def category_note(self, poll: dict[str, Any]) -> str:
        """Why a category's cells say <3, if any do."""
        return self.L.few_voters_hidden if any(r["counts"] is None for r in poll["by_category"]) else ""

    def item_title(self, item: dict[str, Any]) -> str:
        return f"{self.L('item', n=item['index'] + 1)} {item['title']}"

    # -- times ----------------------------------------------------------------------

    @staticmethod
    def _dt(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    def time(self, value: str | None) -> str:
        dt = self._dt(value)
        return dt.strftime("%H:%M") if dt else "—"

    def datetime(self, value: str | None) -> str:
        dt = self._dt(value)
        return dt.strftime("%Y-%m-%d %H:%M") if dt else "—"

    def date(self) -> str:
        mt = self.m["meeting"]
        dt = self._dt(mt["started_at"])
        return dt.strftime("%Y-%m-%d") if dt else (mt["scheduled"][:10] or "—")

    @staticmethod
    def duration(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        s = round(seconds)
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"

    def share(self, part: int, total: int) -> str:
        return f"{round(100 * part / total) if total else 0}%"

    # -- sections as rows -------------------------------------------------------------

    def header_rows(self) -> list[tuple[str, str]]:
        mt, L = self.m["meeting"], self.L
        ended = self.datetime(mt["ended_at"]) if mt["ended_at"] else L.still_open
        return [
            (L.meeting, mt["title"]), (L.form, self.word(mt["form"])), (L.date, self.date()),
            (L.scheduled, mt["scheduled"] or "—"), (L.started, self.datetime(mt["started_at"])), (L.ended, ended),
            (L.place, mt["place"] or "—"), (L.moderator, mt["moderator"] or "—"),
            (L.recorder, mt["recorder"] or "—"), (L.language, self.word(mt["language"])),
        ]

    def attendance_summary(self) -> str:
        a = self.m["attendance"]
        return self.L("attendance_summary", total=a["total"], voters=a["voters"], observers=a["observers"],
                      invited=a["invited"], absent=a["absent"], walk_ins=a["walk_ins"])

    def person(self, p: dict[str, Any]) -> str:
        notes = [self.L.observer] if p["role"] != "attendee" else []
        notes += [self.L.walk_in] if p["walk_in"] else []
        return p["name"] + (self.paren(self.sep.join(notes)) if notes else "")

    def people(self, people: list[dict[str, Any]]) -> tuple[str, str, str]:
        """A category's names: (checked in on their own phones, checked in by staff, a note on the latter).

        Those staff checked in come after the others, with one note saying how many they are
        (for one, the note every entry has), so the names stay a plain list."""
        own = self.sep.join(self.person(x) for x in people if not x.get("entered_by"))
        staff = [self.person(x) for x in people if x.get("entered_by")]
        note = ("" if not staff else self.L.entered_by_staff if len(staff) == 1
                else self.L("checked_in_by_staff", n=len(staff)))
        if own and staff:
            own += "；" if self.lang == "zh-CN" else "; "
        return own, self.sep.join(staff), note

    def entered(self, thing: dict[str, Any] | None) -> str:
        """The note after something staff entered for the person, "" when they did it themselves.

        It names no one (only that staff entered it), so the public version carries it too."""
        return self.paren(self.L.entered_by_staff) if thing and thing.get("entered_by") else ""

    def last_response(self, objection: dict[str, Any]) -> dict[str, Any] | None:
        """The objector's latest word, the one the minutes show."""
        return objection["responses"][-1] if objection["responses"] else None

    def proxy_lines(self) -> list[str]:
        """Each written proxy: whose, who held it, the desk's note, and if it lapsed or was withdrawn."""
        out = []
        for x in self.m["attendance"].get("proxies") or []:
            line = self.L("proxy_line", principal=x["principal"]["name"], holder=x["holder"]["name"])
            if x["note"]:
                line += self.paren(x["note"])
            if x["status"] != "active":
                line += self.paren(self.L.proxy_lapsed if x["status"] == "lapsed" else self.L.proxy_withdrawn)
            out.append(line)
        return out

    def notice_lines(self) -> list[str]:
        """The notice given before the meeting: to how many, how, how long before; the replies."""
        n = self.m["meeting"].get("notice")
        if not n or not n["invitees"]:
            return []
        if not n["told"]:
            out = [self.L.notice_none]
        else:
            ways = self.sep.join(self.L(f"way_{w}", n=k) for w, k in n["ways"].items())
            out = [self.L("notice_told", told=n["told"], invitees=n["invitees"], ways=ways)]
        if lead := n["lead"]:
            out.append(self.L(f"notice_lead_{lead['to']}", days=lead["days"], hours=lead["hours"]))
        out.append(self.L("notice_replies", **n["replies"]))
        return out

    def quorum_lines(self) -> list[str]:
        q = self.m["attendance"]["quorum"]
        if not q:
            return []
        rule = self.L(f"quorum_{q['rule']}", members=q["members"])
        return [self.L("quorum_line", rule=rule, required=q["required"], present=q["present"]),
                self.L.quorum_met if q["met"] else self.L.quorum_not_met]

    def poll_rows(self, poll: dict[str, Any]) -> list[tuple[str, int, int, int, str]]:
        """(option, phones, hands, total, share) per option."""
        return [(label, phones, hands, total, self.share(total, poll["total"]))
                for label, phones, hands, total in zip(self.options(poll), poll["phone_counts"], poll["hand_counts"],
                                                       poll["counts"])]

    def hand_counts(self, poll: dict[str, Any], counts: list[int]) -> str:
        """Hands per option: 同意 2、反对 0 / yes 2 / no 0."""
        sep = "、" if self.lang == "zh-CN" else " / "
        return sep.join(f"{label} {n}" for label, n in zip(self.options(poll), counts))

    def corrections(self, poll: dict[str, Any]) -> list[str]:
        """One line per correction of the show-of-hands count, oldest first."""
        out = []
        for c in poll.get("corrections") or []:
            before, after = self.hand_counts(poll, c["before"]), self.hand_counts(poll, c["after"])
            line = (self.L("hands_corrected", before=before, after=after, reason=c["reason"]) if c["reason"]
                    else self.L("hands_corrected_no_reason", before=before, after=after))
            out.append(line + self.paren(self.datetime(c["at"])))
        return out

    def binding(self, poll: dict[str, Any]) -> list[str]:
        """A binding poll's rule, its quorum, the result and each check with both counts; [] for a straw poll."""
        if not poll.get("rule"):
            return self.staff_ballots(poll)
        L = self.L
        out = [L("rule_line", rule=describe(poll["rule"], self.lang))]
        if q := poll.get("quorum_at_open"):
            out.append(L("quorum_at_open", present=q["present"], members=q["members"], required=q["required"],
                         met=L.met if q["met"] else L.not_met))
        if poll.get("quorum_override"):
            out.append(L("quorum_overridden", reason=poll["quorum_override"]))
        result = poll.get("result")
        if result is not None and not poll["open"]:
            if result["error"]:
                out.append(L("bad_figures", error=result["error"]))
            out.append(L.passed if result["passed"] else L.not_passed)
            for c in result["checks"]:
                out.append(L(f"check_{c['what']}", have=self.figure(c["have"]), base=self.figure(c["base"]),
                             need=self.figure(c["need"]), met=L.met if c["met"] else L.not_met))
        return out + self.staff_ballots(poll)

    def staff_ballots(self, poll: dict[str, Any]) -> list[str]:
        return [self.L("staff_ballots", n=poll["staff_ballots"])] if poll.get("staff_ballots") else []

    def figure(self, value: int | str) -> str:
        """A count, or an area to the hundredth with thousands separated."""
        return f"{value:,}" if isinstance(value, int) else f"{Decimal(value):,.2f}"

    def poll_summary(self, poll: dict[str, Any]) -> str:
        return self.L("poll_summary", total=poll["total"], ballots=poll["ballots"], hands=sum(poll["hand_counts"]))

    def hearing_blocks(self) -> list[dict[str, Any]]:
        """A hearing's record (听证笔录), in blocks of lines (live/minutes/hearing.py); [] for other forms."""
        from .hearing import blocks

        return blocks(self)

    def heard_summary(self) -> str:
        h = self.m["heard"]
        return self.L("heard_summary", speeches=h["speeches"], time=self.duration(h["total_seconds"]))

    def silent(self) -> str:
        keys = self.m["heard"]["silent_categories"]
        if not keys:
            return self.L.everyone_heard
        sep = "、" if self.lang == "zh-CN" else ", "
        return self.L("silent_categories", list=sep.join(self.cat(k) for k in keys))

    def floor_lines(self) -> list[str]:
        """The floor's policy and its changes, the limits, the moderator's moves, the limits passed,
        the direct replies (schema 5; nothing for minutes of an older schema)."""
        h, L = self.m["heard"], self.L
        if "policy" not in h:
            return []
        sep = "；" if self.lang == "zh-CN" else "; "
        lines = [L("floor_policy", policy=L(f"policy_{h['policy']}"))]
        if len(h["policy_changes"]) > 1:
            changes = [L("floor_change", at=self.time(c["at"]), policy=L(f"policy_{c['policy']}"))
                       for c in h["policy_changes"]]
            lines.append(L("floor_changed", changes=sep.join(changes)))
        if h["limits"]:
            parts = [L(f"limit_{k}", n=v, time=self.duration(v)) for k, v in sorted(h["limits"].items())]
            lines.append(L("floor_limits", limits=sep.join(parts)))
        if h["moves"]:
            moves = [L("floor_move", who=self.who(mv["speaker"]), to=mv["to"], at=self.time(mv["at"])) for mv in h["moves"]]
            lines.append(L("floor_moves", n=len(h["moves"]), list=sep.join(moves)))
        else:
            lines.append(L.floor_no_moves)
        if h["limits_reached"]:
            word = "、" if self.lang == "zh-CN" else ", "
            reached = [L("limit_reached", speech=r["speech"], who=self.who(r["speaker"]),
                         over=word.join(L(f"over_{o}") for o in r["over"])) for r in h["limits_reached"]]
            lines.append(L("limits_reached", list=sep.join(reached)))
        if h["replies"]:
            lines.append(L("replies_count", n=h["replies"]))
        return lines

    def speech_notes(self, s: dict[str, Any]) -> str:
        """What the record adds to a speech's line, after a " · ": the speech it replies to, the
        limits it passed ("" when nothing)."""
        notes = []
        if s.get("replies_to"):
            notes.append(self.L("replies_to", n=s["replies_to"]))
        if s.get("over"):
            sep = "、" if self.lang == "zh-CN" else ", "
            notes.append(self.L("over_note", list=sep.join(self.L(f"over_{o}") for o in s["over"])))
        return " · ".join(notes)

    def record_rows(self) -> list[tuple[str, str]]:
        r, L = self.m["record"], self.L
        return [(L.meeting_id, r["meeting_id"]), (L.events, str(r["events"])), (L.last_hash, r["last_hash"]),
                (L.generated_at, self.datetime(r["generated_at"]) + self.paren(self.zone()))]

    def record_intro(self) -> str:
        r = self.m["record"]
        return self.L("record_intro", generated=f"{self.datetime(r['generated_at'])}")

    def verify_url(self) -> str:
        """Where anyone checks these minutes: absolute when the server's address is known."""
        return self.site + self.m["links"]["verify"]

    def verify_hint(self) -> str:
        return self.L("verify_hint", id=self.m["record"]["meeting_id"], url=self.verify_url())

    # -- time zone ------------------------------------------------------------------

    def zone(self) -> str:
        """The minutes' time zone as a reader names it: 北京时间 for Asia/Shanghai, else the zone's name."""
        tz = self.m["record"]["timezone"]
        return self.L.beijing_time if tz == BEIJING else tz

    def zone_note(self) -> str:
        tz = self.m["record"]["timezone"]
        return self.L.time_zone_beijing if tz == BEIJING else self.L("time_zone", zone=tz)

    # -- the notice board (公示) ------------------------------------------------------

    def long_date(self, d: Day) -> str:
        """2026年11月26日 / 26 November 2026."""
        return f"{d.year}年{d.month}月{d.day}日" if self.lang == "zh-CN" else f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    def issued_on(self) -> Day:
        """The day the minutes were generated, in their time zone: the first day of the publicity period."""
        return datetime.fromisoformat(self.m["record"]["generated_at"]).date()

    def notice_period(self) -> str:
        start = self.issued_on()
        end = start + timedelta(days=self.notice_days - 1)  # both days count
        return self.L("notice_period", start=self.long_date(start), end=self.long_date(end), days=self.notice_days)

    def issuer(self) -> str:
        """Who issues the public minutes and takes questions about them: the body the meeting names;
        if it named none, the one its place names (幸福里社区居委会), else the villagers' or the residents' committee."""
        mt = self.m["meeting"]
        if mt.get("issuer"):
            return str(mt["issuer"])
        found = _ISSUER_IN_PLACE.search(mt["place"] or "")
        if found:
            return found.group(0)
        village = "村" in (mt["place"] or "") + mt["title"]
        return self.L.villagers_committee if village else self.L.residents_committee

    def issuer_line(self) -> str:
        """The issuer as the sign-off writes it (a capital in English)."""
        name = self.issuer()
        return name[:1].upper() + name[1:]

    def feedback(self) -> str:
        return self.L("feedback", issuer=self.issuer())

    def check_line(self, qr: bool) -> str:
        return self.L("check_scan" if qr else "check_open", url=self.verify_url())

    def page_of(self) -> list[tuple[str, str]]:
        """"Page X of Y" in pieces, ("text", …) and ("field", "PAGE" | "NUMPAGES"), for a running footer."""
        marked = self.L("page_of", page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
        return [("field", piece) if n % 2 else ("text", piece)
                for n, piece in enumerate(marked.split("\x00")) if piece]

    # -- charts ---------------------------------------------------------------------

    def poll_chart(self, poll: dict[str, Any], fmt: str, also: tuple[str, ...] = ()) -> bytes:
        """The chart of a poll's result as its kind counts it: a ranking's points or last round, an
        evaluation's ratings of each one with their satisfaction rates, else the count per option.
        `also`: the formats to save from the same figure if it is drawn now."""
        return self._poll_drawn(poll).get(fmt, also)

    def _poll_drawn(self, poll: dict[str, Any]) -> Drawn:
        labels = tuple(self.options(poll))
        # The results as JSON text: the cache's key, and the same figures the minutes print.
        if poll["kind"] == "ranking" and poll.get("ranked"):
            return _ranking_chart(poll["question"], labels, json.dumps(poll["ranked"], sort_keys=True),
                                  self.L.chart_points, self.L.chart_out_in_round)
        if poll["kind"] == "evaluation" and poll.get("evaluated"):
            ratings = tuple(self.word(k) for k in ("satisfied", "basically_satisfied", "dissatisfied"))
            return _evaluation_chart(poll["question"], labels, json.dumps(poll["evaluated"], sort_keys=True),
                                     ratings, self.L.satisfaction_rate)
        return _poll_chart(poll["question"], labels, tuple(poll["counts"]))

    def heard_chart(self, fmt: str, also: tuple[str, ...] = ()) -> bytes | None:
        rows = self.m["heard"]["by_category"]
        if not rows:
            return None
        return _heard_chart(tuple(self.cat(r["category"]) for r in rows), tuple(float(r["seconds"]) for r in rows),
                            self.L.speaking_time).get(fmt, also)
