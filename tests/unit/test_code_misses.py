"""Wrong codes: one address is stopped long before it could lock a meeting's or a community's
codes for everyone; many addresses together still meet the scope's own limit."""
from live.misses import Misses


def test_one_address_is_stopped_before_it_locks_everyone_out():
    misses = Misses(per_scope=30, window_s=60.0, per_address=10)
    for i in range(10):
        assert not misses.blocked("m1", "10.0.0.66", now=float(i))
        misses.missed("m1", "10.0.0.66", now=float(i))
    assert misses.blocked("m1", "10.0.0.66", now=10.0)  # the guesser is refused
    assert not misses.blocked("m1", "10.0.0.7", now=10.0)  # a resident typing their code is not
    assert not misses.blocked("m2", "10.0.0.66", now=10.0)  # nor is another meeting
    assert not misses.blocked("m1", "10.0.0.66", now=71.0)  # and the window passes


def test_many_addresses_together_still_meet_the_scopes_limit():
    misses = Misses(per_scope=30, window_s=60.0, per_address=10)
    for i in range(30):
        misses.missed("m1", f"10.0.1.{i}", now=float(i))
    assert misses.blocked("m1", "10.0.9.9", now=30.0)
    assert misses.blocked("m1", "", now=30.0)


def test_the_servers_own_machine_counts_for_the_scope_only_and_stale_entries_go():
    misses = Misses(per_scope=3, window_s=60.0, per_address=1)
    misses.missed("m1", "", now=0.0)
    assert not misses.blocked("m1", "", now=0.0)
    for i in range(5000):
        misses.missed(f"meeting{i}", "10.0.0.1", now=0.0)
    misses.missed("m1", "10.0.0.2", now=200.0)  # past the sweep size: everything stale is dropped
    assert len(misses._held) == 2
    misses.forget("m1")
    assert not misses._held
