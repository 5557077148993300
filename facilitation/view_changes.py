"""What changed between two views of a meeting, and how to apply it.

A long meeting's console view holds every opinion, speech, objection, poll and participant: sent
whole after every change it grows with the meeting. The change between two views is small: the
top-level entries whose value changed, and for a list whose entries each carry a stable key (`id`,
or `index` for the roster) only the entries added or changed, the keys dropped, and the new order
when it is not what keeping the old order and appending gives; an object that changed in part
(the console's balance, whose people are such a list) gets a change of its own, by the same rules.

The change, as sent (docs/protocol.md, `changes`):
    {"set": {key: value}, "unset": [key], "lists": {key: {"by": "id", "put": [entry],
     "drop": [k], "order": [k]?}}, "dicts"?: {key: <a change>}}
static/js/client.js applies it with the same rules as `apply_changes`.
"""
from __future__ import annotations

from typing import Any

KEYS = ("id", "index")  # what identifies an entry of a list, tried in this order


def _key_of(entries: list[Any]) -> str | None:
    """The key every entry carries, unique across them; None if there is none."""
    if not entries or not all(isinstance(e, dict) for e in entries):
        return None
    for key in KEYS:
        values = [e.get(key) for e in entries]
        if all(type(v) in (str, int) for v in values) and len(set(values)) == len(values):
            return key
    return None


def _list_change(old: list[Any], new: list[Any]) -> dict[str, Any] | None:
    """The change from one keyed list to another, or None when they are not both keyed alike."""
    by = _key_of(old) if old else _key_of(new)
    if by is None or (new and _key_of(new) != by) or (old and _key_of(old) != by):
        return None
    before = {e[by]: e for e in old}
    after = {e[by] for e in new}
    put = [e for e in new if before.get(e[by]) != e]
    drop = [k for k in before if k not in after]
    change: dict[str, Any] = {"by": by, "put": put, "drop": drop}
    # The order apply_changes gives without being told: the old entries kept in place, new ones appended.
    kept = [k for k in before if k in after]
    added = [e[by] for e in new if e[by] not in before]
    if kept + added != [e[by] for e in new]:
        change["order"] = [e[by] for e in new]
    return change


def view_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The change that turns `old` into `new` (apply_changes(old, view_changes(old, new)) == new)."""
    set_: dict[str, Any] = {}
    lists: dict[str, Any] = {}
    dicts: dict[str, Any] = {}
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        was = old.get(key)
        if isinstance(was, list) and isinstance(value, list) and (change := _list_change(was, value)) is not None:
            lists[key] = change
        elif isinstance(was, dict) and isinstance(value, dict) and len((part := view_changes(was, value))["set"]) < len(value):
            dicts[key] = part  # something of it is kept
        else:
            set_[key] = value
    changes = {"set": set_, "unset": [k for k in old if k not in new], "lists": lists}
    if dicts:
        changes["dicts"] = dicts
    return changes


def apply_changes(old: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A new view: `old` with `changes` applied (neither is modified; unchanged parts are shared)."""
    view = {k: v for k, v in old.items() if k not in changes["unset"]}
    view.update(changes["set"])
    for key, change in changes["lists"].items():
        by = change["by"]
        entries = {e[by]: e for e in old[key]}
        for k in change["drop"]:
            del entries[k]
        entries.update((e[by], e) for e in change["put"])  # a changed entry keeps its place
        order = change.get("order")
        view[key] = [entries[k] for k in order] if order is not None else list(entries.values())
    for key, part in changes.get("dicts", {}).items():
        view[key] = apply_changes(old[key], part)
    return view


def is_empty(changes: dict[str, Any]) -> bool:
    return not (changes["set"] or changes["unset"] or changes["lists"] or changes.get("dicts"))
