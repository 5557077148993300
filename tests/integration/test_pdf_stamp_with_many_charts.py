"""A PDF of the minutes of a meeting with many polls still states its record to `yishi verify`:
reading a file stops after a fixed amount inflated, and the stamp is in the document's keywords,
which are written as they are, never compressed, however many charts come before them."""
from __future__ import annotations

import subprocess

from facilitation.minutes import Identity, minutes
from live.minutes import render
from live.record import STATED, stated_identity

from support.meetings import new_meeting, phone

OPTIONS = [f"方案{n}：在{n}号楼前设置临时停车位并由物业统一管理" for n in range(1, 13)]


def test_a_pdf_whose_charts_inflate_past_the_budget_still_states_its_record():
    room = new_meeting()
    voters = [room.check_in(f"居民{n}") for n in range(12)]
    for n in range(14):  # polls of twelve long options: tall charts
        room.mod("open_poll", question=f"第{n + 1}次意向表决：停车位设在哪里？", kind="single", options=OPTIONS)
        for i, voter in enumerate(voters):
            room.run(phone(voter), "cast_ballot", poll_id=f"v{n + 1}", choice=(i + n) % len(OPTIONS))
        room.mod("close_poll", poll_id=f"v{n + 1}")
    identity = Identity("m1", room.meeting.seq, "ab" * 32, 1_780_000_000)
    pdf = render(minutes(room.meeting, identity), "pdf", "zh-CN")
    # The stamp reads in the file as it is, nothing inflated: the keywords of the document information
    # and of its XMP metadata.
    said = STATED.findall(pdf.decode("latin-1"))
    assert said and set(said) == {("m1", str(room.meeting.seq), "ab" * 32)}
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"Keywords:        yishi-record m1 / {room.meeting.seq} / {'ab' * 32}" in info
    assert stated_identity(pdf, "pdf") == {"meeting_id": "m1", "events": room.meeting.seq, "last_hash": "ab" * 32}
