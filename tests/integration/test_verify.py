"""Tampering with the record, row by row, in the database itself, and seeing each detected:
an edited, dropped, inserted or reordered event breaks the chain at the first bad row; what the
chain alone cannot see (a cut-off tail, a rewritten and re-hashed chain) the minutes file shows."""
from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from facilitation.minutes import as_schema, minutes
from live.minutes import render
from live.record import check_minutes, fold_records, identity_of, verify_chain, verify_meeting
from live.services import Meetings
from live.store import Store, canonical, event_hash

from support.minutes_meeting import realistic_meeting


@dataclass
class Row:
    id: int
    meeting_id: str
    seq: int
    type: str
    data: str
    at: float
    prev_hash: str
    hash: str


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A finished meeting in a SQLite file, and its minutes in every format as generated then."""
    folder = tmp_path_factory.mktemp("verify")
    db = folder / "yishi.db"

    async def build() -> str:
        store = Store(f"sqlite:///{db}")
        meetings = Meetings(store)
        mid, _ = await realistic_meeting(meetings)
        m = await meetings.state(mid)
        for public in (False, True):
            model = minutes(m, identity_of(m), public=public)
            for fmt in ("json", "pdf", "docx", "md", "html"):
                (folder / f"minutes{'-public' if public else ''}.{fmt}").write_bytes(render(model, fmt, "zh-CN"))
        await meetings.close()
        store.close()
        return mid

    mid = asyncio.run(build())
    with sqlite3.connect(db) as conn:  # one file, no WAL beside it: copies are complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return db, mid


def rows(conn: sqlite3.Connection, mid: str) -> list[Row]:
    """As the store reads them for verification: in storage order."""
    return [Row(*r) for r in conn.execute(
        "SELECT id, meeting_id, seq, type, data, at, prev_hash, hash FROM events WHERE meeting_id = ? ORDER BY id",
        (mid,))]


def tampered(recorded: tuple[Path, str], tamper: Any) -> Any:
    """Apply `tamper(conn, rows)` in a transaction, verify, and roll back."""
    db, mid = recorded
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        tamper(conn, rows(conn, mid))
        return verify_chain(mid, rows(conn, mid))
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def edited_data(data: str) -> str:
    d = json.loads(data)
    for k, v in d.items():
        if isinstance(v, str):
            d[k] = v + "（改）"
            return canonical(d)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            d[k] = v + 1
            return canonical(d)
    d["forged"] = True
    return canonical(d)


def count(recorded: tuple[Path, str]) -> int:
    with sqlite3.connect(recorded[0]) as conn:
        return len(rows(conn, recorded[1]))


def test_the_untouched_record_is_intact(recorded):
    report = tampered(recorded, lambda conn, rs: None)
    assert report.intact and report.events == count(recorded) > 80


def test_editing_any_event_is_detected_at_that_event(recorded):
    for k in range(1, count(recorded) + 1):
        def edit(conn, rs, k=k):
            conn.execute("UPDATE events SET data = ? WHERE id = ?", (edited_data(rs[k - 1].data), rs[k - 1].id))
        report = tampered(recorded, edit)
        assert (report.intact, report.bad_seq, report.reason) == (False, k, "content_changed"), k
        assert report.events == k - 1


def test_changing_the_time_or_type_of_any_event_is_detected(recorded):
    for k in range(1, count(recorded) + 1):
        def retime(conn, rs, k=k):
            conn.execute("UPDATE events SET at = at + 60 WHERE id = ?", (rs[k - 1].id,))
        assert tampered(recorded, retime).bad_seq == k
    report = tampered(recorded, lambda conn, rs: conn.execute("UPDATE events SET type = 'MeetingClosed' WHERE id = ?",
                                                               (rs[3].id,)))
    assert (report.bad_seq, report.reason) == (4, "content_changed")


def test_dropping_any_event_but_the_last_is_detected_at_its_place(recorded):
    n = count(recorded)
    for k in range(1, n):
        report = tampered(recorded, lambda conn, rs, k=k: conn.execute("DELETE FROM events WHERE id = ?", (rs[k - 1].id,)))
        assert (report.bad_seq, report.reason, report.found_seq) == (k, "out_of_sequence", k + 1), k


def test_dropping_and_renumbering_is_still_detected(recorded):
    n = count(recorded)
    for k in range(1, n):
        def drop_and_renumber(conn, rs, k=k):
            conn.execute("DELETE FROM events WHERE id = ?", (rs[k - 1].id,))
            for r in rs[k:]:
                conn.execute("UPDATE events SET seq = seq - 1 WHERE id = ?", (r.id,))
        report = tampered(recorded, drop_and_renumber)
        assert report.bad_seq == k and report.reason in ("broken_link", "content_changed"), k


def _insert(conn: sqlite3.Connection, rs: list[Row], k: int, *, keep_storage_order: bool) -> None:
    """A forged event, correctly hashed onto event k-1, put in place k; later events moved up."""
    mid = rs[0].meeting_id
    for r in reversed(rs[k - 1:]):  # from the end, so that (meeting, seq) stays unique
        conn.execute("UPDATE events SET seq = seq + 1, id = id + ? WHERE id = ?",
                     (1 if keep_storage_order else 0, r.id))
    prev = rs[k - 2].hash if k > 1 else ""
    data = canonical({"opinion_id": "o99", "participant_id": "p1", "item": 0, "text": "伪造的意见"})
    at = rs[k - 1].at
    h = event_hash(mid, k, "OpinionSubmitted", data, at, prev)
    new_id = rs[k - 1].id if keep_storage_order else None
    conn.execute("INSERT INTO events (id, meeting_id, seq, type, data, at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                 (new_id, mid, k, "OpinionSubmitted", data, at, prev, h))


def test_inserting_an_event_anywhere_is_detected(recorded):
    for k in range(1, count(recorded) + 1):
        # As most would do it: the new row is stored last, the others renumbered.
        naive = tampered(recorded, lambda conn, rs, k=k: _insert(conn, rs, k, keep_storage_order=False))
        assert (naive.bad_seq, naive.reason) == (k, "out_of_sequence"), k
        # Even with the rows' storage order rewritten to match: the next event no longer follows.
        careful = tampered(recorded, lambda conn, rs, k=k: _insert(conn, rs, k, keep_storage_order=True))
        assert (careful.bad_seq, careful.reason) == (k + 1, "broken_link"), k


def test_reordering_two_events_anywhere_is_detected(recorded):
    n = count(recorded)
    for k in range(1, n):
        def swap_content(conn, rs, k=k):
            a, b = rs[k - 1], rs[k]
            for row, other in ((a, b), (b, a)):
                conn.execute("UPDATE events SET type=?, data=?, at=?, prev_hash=?, hash=? WHERE id=?",
                             (other.type, other.data, other.at, other.prev_hash, other.hash, row.id))
        report = tampered(recorded, swap_content)
        assert (report.bad_seq, report.reason) == (k, "broken_link"), k

        def swap_seq(conn, rs, k=k):
            a, b = rs[k - 1], rs[k]
            conn.execute("UPDATE events SET seq = -1 WHERE id = ?", (a.id,))
            conn.execute("UPDATE events SET seq = ? WHERE id = ?", (a.seq, b.id))
            conn.execute("UPDATE events SET seq = ? WHERE id = ?", (b.seq, a.id))
        report = tampered(recorded, swap_seq)
        assert (report.bad_seq, report.reason, report.found_seq) == (k, "out_of_sequence", k + 1), k


# -- what only the minutes can show ---------------------------------------------------


def copy_of(recorded: tuple[Path, str], tmp_path: Path) -> Path:
    target = tmp_path / "yishi.db"
    shutil.copy(recorded[0], target)
    return target


def check(db: Path, mid: str, minutes_file: Path) -> dict[str, Any]:
    store = Store(f"sqlite:///{db}")
    try:
        return verify_meeting(store, mid, minutes_file.read_bytes())
    finally:
        store.close()


def test_every_format_of_the_minutes_matches_the_untouched_record(recorded, tmp_path):
    db, mid = recorded
    for name in ("minutes.json", "minutes.pdf", "minutes.docx", "minutes.md", "minutes.html", "minutes-public.json",
                 "minutes-public.pdf"):
        result = check(db, mid, db.parent / name)
        assert result["record"]["intact"] and result["minutes"]["matches"], (name, result)
        assert result["minutes"]["stated"]["events"] == count(recorded)


def test_cutting_off_the_last_events_is_caught_by_the_minutes(recorded, tmp_path):
    db, mid = recorded
    copy = copy_of(recorded, tmp_path)
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM events WHERE meeting_id = ? AND seq > ?", (mid, count(recorded) - 3))
    for name in ("minutes.json", "minutes.pdf", "minutes.docx", "minutes.md"):
        result = check(copy, mid, db.parent / name)
        assert result["record"]["intact"]  # the chain alone cannot tell
        assert not result["minutes"]["matches"]
        assert "events were removed from the end of the record" in result["minutes"]["problems"][0]


def test_a_rewritten_and_rehashed_record_no_longer_matches_its_minutes(recorded, tmp_path):
    db, mid = recorded
    copy = copy_of(recorded, tmp_path)
    with sqlite3.connect(copy) as conn:
        rs = rows(conn, mid)
        prev = ""
        for r in rs:  # change event 10 and recompute every hash after it: a consistent forgery
            data = edited_data(r.data) if r.seq == 10 else r.data
            h = event_hash(mid, r.seq, r.type, data, r.at, prev)
            conn.execute("UPDATE events SET data=?, prev_hash=?, hash=? WHERE id=?", (data, prev, h, r.id))
            prev = h
    for name in ("minutes.json", "minutes.pdf", "minutes.docx", "minutes.md", "minutes.html"):
        result = check(copy, mid, db.parent / name)
        assert result["record"]["intact"]
        assert not result["minutes"]["matches"] and "is not the record's" in result["minutes"]["problems"][0], name


def test_an_edited_json_minutes_file_is_caught_field_by_field(recorded, tmp_path):
    db, mid = recorded
    model = json.loads((db.parent / "minutes.json").read_bytes())
    model["items"][0]["polls"][0]["counts"][1] = 3
    model["items"][0]["speeches"][1]["summary"] = "我完全同意加装电梯。"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(model, ensure_ascii=False))
    problems = check(db, mid, forged)["minutes"]["problems"]
    assert any("items[0].speeches[1].summary" in p for p in problems)
    assert any("items[0].polls[0].counts[1]" in p for p in problems)


def test_a_stamp_changed_by_hand_is_caught(recorded, tmp_path):
    db, mid = recorded
    md = (db.parent / "minutes.md").read_text()
    last = json.loads((db.parent / "minutes.json").read_bytes())["record"]["last_hash"]
    forged = tmp_path / "forged.md"
    forged.write_text(md.replace(last, "0" * 64))
    assert not check(db, mid, forged)["minutes"]["matches"]
    unstamped = tmp_path / "unstamped.md"
    unstamped.write_text(md.replace(last, "not a hash"))
    assert check(db, mid, unstamped)["minutes"]["problems"] == ["the file does not state which record it was generated from"]


def test_minutes_generated_before_a_late_explanation_still_match_and_say_they_are_older(recorded, tmp_path):
    db, mid = recorded
    copy = copy_of(recorded, tmp_path)

    async def explain_late() -> None:
        from facilitation.roles import MODERATOR, Actor

        store = Store(f"sqlite:///{copy}")
        meetings = Meetings(store)
        m = await meetings.state(mid)
        open_one = next(o for o in m.objections.values() if not o.explanations)
        await meetings.execute(mid, Actor(MODERATOR), "give_explanation",
                               {"objection_id": open_one.id, "text": "会后补充：临时通道已设计完成。", "by": "王秀兰"})
        await meetings.close()
        store.close()

    asyncio.run(explain_late())
    for name in ("minutes.json", "minutes.pdf", "minutes.docx"):
        result = check(copy, mid, db.parent / name)
        assert result["minutes"]["matches"] and result["minutes"]["newer_events"] == 1, name
    store = Store(f"sqlite:///{copy}")
    m = fold_records(mid, store.events(mid))
    store.close()
    newer = minutes(m, identity_of(m))
    assert "会后补充：临时通道已设计完成。" in json.dumps(newer, ensure_ascii=False)


def test_the_check_names_a_file_of_another_meeting(recorded, tmp_path):
    db, mid = recorded
    other = json.loads((db.parent / "minutes.json").read_bytes())
    store = Store(f"sqlite:///{db}")
    records, chain = store.events(mid), verify_chain(mid, store.rows(mid))
    store.close()
    other["record"]["meeting_id"] = "ffffffff"
    result = check_minutes(mid, records, chain, json.dumps(other).encode())
    assert not result.matches and "ffffffff" in result.messages()[0]


def test_public_minutes_with_hidden_small_categories_verify_and_a_filled_in_cell_is_caught(recorded, tmp_path):
    db, mid = recorded
    model = json.loads((db.parent / "minutes-public.json").read_bytes())
    rating = [p for p in model["items"][2]["polls"] if p["kind"] == "rating"][0]
    assert {r["category"]: r["counts"] for r in rating["by_category"]}["registered"] is None
    for fmt in ("json", "pdf", "docx", "md", "html"):
        result = check(db, mid, db.parent / f"minutes-public.{fmt}")
        assert result["minutes"]["matches"], (fmt, result["minutes"]["problems"])
    # Someone fills in the hidden cell (with the true counts, as the internal minutes have them).
    cell = [r["category"] for r in rating["by_category"]].index("registered")
    poll = model["items"][2]["polls"].index(rating)
    rating["by_category"][cell]["counts"] = [1, 0, 1]
    forged = tmp_path / "filled-in.json"
    forged.write_text(json.dumps(model, ensure_ascii=False))
    result = check(db, mid, forged)
    assert not result["minutes"]["matches"]
    assert any(f"items[2].polls[{poll}].by_category[{cell}].counts" in p for p in result["minutes"]["problems"])


def test_minutes_issued_under_schema_3_still_verify(recorded, tmp_path):
    """Before schema 4 polls had no rule, quorum, result nor staff_ballots: files issued then
    (today's files as that version wrote them) still match the record, internal and public."""
    db, mid = recorded
    for name in ("minutes.json", "minutes-public.json"):
        issued = as_schema(json.loads((db.parent / name).read_bytes()), 3)
        assert issued["schema"] == "yishi-minutes/3" and "result" not in issued["items"][0]["polls"][0]
        old = tmp_path / f"schema-3-{name}"
        old.write_text(json.dumps(issued, ensure_ascii=False))
        result = check(db, mid, old)
        assert result["minutes"]["matches"], (name, result["minutes"]["problems"])
        # a schema-4 field left in a file stating schema 3 is not what schema 3 had
        issued["items"][0]["polls"][0]["rule"] = "present"
        old.write_text(json.dumps(issued, ensure_ascii=False))
        assert not check(db, mid, old)["minutes"]["matches"], name


def test_public_minutes_issued_under_schema_2_still_verify(recorded, tmp_path):
    """Before schema 3 the public version showed every category's ballots: a file issued then
    (today's public file as that version wrote it) still matches the record."""
    db, mid = recorded
    issued = as_schema(json.loads((db.parent / "minutes-public.json").read_bytes()), 3)  # as schema 3 wrote it
    internal = json.loads((db.parent / "minutes.json").read_bytes())
    issued["schema"] = "yishi-minutes/2"
    filled = 0
    for item, full in zip(issued["items"], internal["items"]):
        for poll, full_poll in zip(item["polls"], full["polls"]):
            for row, full_row in zip(poll["by_category"], full_poll["by_category"]):
                filled += row["counts"] is None
                row["counts"] = full_row["counts"]
    assert filled >= 3
    old = tmp_path / "minutes-public-schema-2.json"
    old.write_text(json.dumps(issued, ensure_ascii=False))
    result = check(db, mid, old)
    assert result["minutes"]["matches"], result["minutes"]["problems"]
    # The same file stating schema 3 shows what schema 3 hides: it does not match.
    issued["schema"] = "yishi-minutes/3"
    old.write_text(json.dumps(issued, ensure_ascii=False))
    assert not check(db, mid, old)["minutes"]["matches"]
