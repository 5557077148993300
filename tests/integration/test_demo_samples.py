"""`yishi demo`'s meetings convened from the sample registers: the owners of building 3 decide on
the lift by the owners' special majority, and a villagers' assembly invites every adult."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from facilitation import binding
from facilitation.minutes import minutes
from facilitation.quorum import quorum
from live.demo import create_owners_demo, create_village_demo, sample_people
from live.minutes import render
from live.record import identity_of
from live.services import Meetings
from live.store import Store


async def test_the_owners_decide_on_the_lift_by_number_and_by_area(tmp_path):
    url = f"sqlite:///{tmp_path / 'y.db'}"
    meetings = Meetings(Store(url))
    mid, _ = await create_owners_demo(meetings)
    await meetings.close()
    m = await Meetings(Store(url)).state(mid)  # as a new process reads it back
    assert m.status == "closed" and m.form == "owners" and len(m.roster) == 35
    assert sum(Decimal(r["area"]) for r in m.roster) == Decimal("3302.88")
    (poll,) = m.polls.values()
    assert poll.rule == "owners_special" and len(poll.entered_by_staff) == 2
    result = binding.result(m, poll)
    assert result["passed"] is True
    assert [c["what"] for c in result["checks"]] == ["participation_owners", "participation_area",
                                                     "approval_owners", "approval_area"]
    model = minutes(m, identity_of(m))
    md = render(model, "md", "en").decode()
    assert "Result: passed" in md and "Area taking part: 2,956.79 of 3,302.88 m²" in md
    public = render(minutes(m, identity_of(m), public=True), "md", "zh-CN").decode()
    assert "表决结果：通过" in public and not any(p.name in public for p in sample_people("building-owners.csv"))


async def test_the_villagers_assembly_invites_every_registered_adult(tmp_path):
    meetings = Meetings(Store(f"sqlite:///{tmp_path / 'y.db'}"))
    mid, _ = await create_village_demo(meetings)
    m = await meetings.state(mid)
    people = sample_people("village-register.csv")
    adults = [p for p in people if p.birth_year and date.today().year - p.birth_year >= 18 and p.registered is not False]
    assert m.form == "assembly" and len(m.roster) == len(adults) and len(adults) < len(people)
    q = quorum(m)
    assert (q["members"], q["required"], q["present"]) == (len(adults), len(adults) // 2 + 1, 0)
    await meetings.close()
