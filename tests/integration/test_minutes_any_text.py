"""Every minutes format holds any text the policy lets in, and a record written before the policy
(a NUL, a vertical tab, an escape in an opinion or a name) still gives its Word and PDF minutes."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation import events as ev
from facilitation import texts
from facilitation.errors import MeetingError
from facilitation.minutes import minutes
from live.minutes import render
from live.record import identity_of
from support.meetings import MOD, new_meeting, phone

FORMATS = ("html", "md", "json", "docx", "pdf")
HARD = ["👨\u200d👩\u200d👧 王\u00adfang", "مرحبا שלום 你好", "Jose\u0301 \U00020000\U0002a6d6", "第一行\n\t第二行 ¡™ ☃"]


def held(name: str, opinion: str) -> object:
    room = new_meeting()
    pid = room.check_in(name)
    room.run(phone(pid), "submit_opinion", text=opinion)
    room.mod("moderate_opinion", opinion_id="o1", visible=True)
    room.mod("open_poll", question="您同意吗？", kind="single", options=[name, "其他"])
    room.run(phone(pid), "cast_ballot", poll_id="v1", choice=0)
    room.mod("close_meeting")
    return room.meeting


def accepted(text: str, limit: int) -> bool:
    try:
        texts.clean(text, "x", limit)
        return True
    except MeetingError:
        return False


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=12).filter(lambda s: accepted(s, texts.NAME) and accepted(s, 80)),
       opinion=st.text(min_size=1, max_size=300).filter(lambda s: accepted(s, texts.TEXT)))
def test_any_text_the_policy_accepts_renders_in_every_format(name: str, opinion: str) -> None:
    m = held(texts.clean(name, "name", texts.NAME), texts.clean(opinion, "opinion", texts.TEXT))
    for public in (False, True):
        model = minutes(m, identity_of(m, 1_800_000_000), public=public)
        for fmt in FORMATS:
            assert len(render(model, fmt, "zh-CN")) > 100, (fmt, public)


def test_hard_text_renders_in_the_pdf_too() -> None:
    m = held(HARD[0], "\n".join(HARD))
    for public in (False, True):
        assert render(minutes(m, identity_of(m, 1_800_000_000), public=public), "pdf", "zh-CN").startswith(b"%PDF")


def test_a_record_from_before_the_policy_still_gives_word_and_pdf_minutes() -> None:
    room = new_meeting()
    pid = room.check_in("王芳")
    # As an older version stored them: the rules of the time let these through.
    room.apply([ev.ParticipantCheckedIn(participant_id="p2", name="Li\x0bMing\x00", category="registered", role="attendee",
                                        by="self", actor=ev.By(ev.PARTICIPANT, "p2")),
                ev.OpinionSubmitted(opinion_id="o1", participant_id=pid, item=0, text="电梯\x1b[31m要装\x00",
                                    actor=ev.By(ev.PARTICIPANT, pid))])
    room.mod("moderate_opinion", opinion_id="o1", visible=True)
    m = room.meeting
    for public in (False, True):
        body = render(minutes(m, identity_of(m, 1_800_000_000), public=public), "docx", "zh-CN")
        assert body.startswith(b"PK")
        assert render(minutes(m, identity_of(m, 1_800_000_000), public=public), "pdf", "zh-CN").startswith(b"%PDF")
    assert MOD is not None
