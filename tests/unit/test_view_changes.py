"""The change between two views: applied to the old view it always gives the new one, and it
carries only what changed (a long meeting's console gets a new opinion, not every opinion)."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings, strategies as st

from facilitation.view_changes import apply_changes, is_empty, view_changes

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=2), inner, max_size=3)),
                      max_leaves=8)


@st.composite
def keyed_lists(draw: Any, key: str) -> list[dict[str, Any]]:
    """Entries with a stable key, as a view's opinions (`id`) or roster (`index`) have."""
    keys = draw(st.lists(st.one_of(st.integers(0, 9), st.sampled_from("abcdef")), unique=True, max_size=7))
    return [{key: k, "text": draw(st.sampled_from(["", "x", "y"])), "n": draw(st.integers(0, 2))} for k in keys]


sections = st.one_of(values, keyed_lists("id"), keyed_lists("index"),
                     st.lists(st.fixed_dictionaries({"id": st.integers(0, 3)}), max_size=4))  # keys may repeat
flat_views = st.dictionaries(st.sampled_from(["seq", "opinions", "roster", "polls", "speaker", "status"]), sections)
# An entry may itself be an object holding keyed lists, as the console's balance holds its people.
views = st.dictionaries(st.sampled_from(["seq", "opinions", "roster", "polls", "balance", "status"]),
                        st.one_of(sections, flat_views))


def wire(x: Any) -> Any:
    """What the other end gets: the change goes through JSON."""
    return json.loads(json.dumps(x))


@settings(max_examples=600)
@given(views, views)
def test_applying_the_change_gives_the_new_view(old: dict[str, Any], new: dict[str, Any]) -> None:
    before = wire(old)
    changes = wire(view_changes(old, new))
    assert apply_changes(old, changes) == new
    assert old == before  # the view the last change was applied to is left as it was


@settings(max_examples=300)
@given(views)
def test_no_change_between_equal_views(view: dict[str, Any]) -> None:
    assert is_empty(view_changes(view, wire(view)))


@given(st.lists(views, min_size=2, max_size=6))
def test_a_chain_of_changes_ends_at_the_last_view(chain: list[dict[str, Any]]) -> None:
    held = chain[0]
    for old, new in zip(chain, chain[1:]):
        held = apply_changes(held, wire(view_changes(old, new)))
    assert held == chain[-1]


def _console(opinions: int) -> dict[str, Any]:
    return {"seq": opinions, "status": "open",
            "all_opinions": [{"id": f"o{i}", "text": "意见" * 20, "visible": True} for i in range(opinions)],
            "roster": [{"index": i, "name": f"住户{i}", "checked_in": None} for i in range(300)]}


def test_a_new_opinion_sends_that_opinion_alone() -> None:
    old, new = _console(1000), _console(1001)
    changes = view_changes(old, new)
    assert changes["set"] == {"seq": 1001}
    assert changes["lists"] == {"all_opinions": {"by": "id", "put": [new["all_opinions"][-1]], "drop": []}}
    assert len(json.dumps(changes)) * 100 < len(json.dumps(new))


def test_an_edited_entry_keeps_its_place_and_a_moved_one_says_the_order() -> None:
    old = {"queue": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    edited = {"queue": [{"id": "a"}, {"id": "b", "stance": "against"}, {"id": "c"}]}
    assert view_changes(old, edited)["lists"]["queue"] == {"by": "id", "put": [{"id": "b", "stance": "against"}],
                                                          "drop": []}
    moved = {"queue": [{"id": "c"}, {"id": "a"}]}
    change = view_changes(old, moved)["lists"]["queue"]
    assert change == {"by": "id", "put": [], "drop": ["b"], "order": ["c", "a"]}
    assert apply_changes(old, view_changes(old, moved)) == moved


def test_a_list_without_stable_keys_is_sent_whole() -> None:
    old = {"open_objections": ["a", "b"], "speaker": None}
    new = {"open_objections": ["b"], "speaker": {"id": "s1"}}
    assert view_changes(old, new) == {"set": new, "unset": [], "lists": {}}  # no "dicts": nothing in part


def test_an_object_changed_in_part_sends_that_part() -> None:
    people = [{"id": f"p{i}", "name": f"住户{i}", "speeches": 1} for i in range(150)]
    old = {"balance": {"sides": {"for": 60}, "people": people}}
    new = {"balance": {"sides": {"for": 120}, "people": [*people[:-1], {**people[-1], "speeches": 2}]}}
    changes = view_changes(old, new)
    assert changes == {"set": {}, "unset": [], "lists": {}, "dicts": {"balance": {
        "set": {"sides": {"for": 120}}, "unset": [],
        "lists": {"people": {"by": "id", "put": [new["balance"]["people"][-1]], "drop": []}}}}}
    assert apply_changes(old, changes) == new
