"""A topic's background material beyond its text (背景材料): photos and PDF documents — a plan, a
drawing, a quotation, a photo of the problem — that residents read before the meeting.

The files themselves are kept in the data folder by live/ (live/attachments.py: photos decoded and
written anew, PDFs only ever downloaded); the topics record keeps what each one is (its hash,
type, size and name) and who added or removed it. A removed file is no longer listed or served,
and the record still says it was there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import events as ev
from .errors import MeetingError
from .followup import ATTACHMENT_TYPES

if TYPE_CHECKING:
    from .topics import Topic, Topics

VERSION = 1
MAX_MATERIALS = 12  # a topic's plan, drawings and photos; a notice board holds no more
TYPES = ("TopicMaterialAdded", "TopicMaterialRemoved")


def apply(t: Topic, type_name: str, data: dict[str, Any], at: float) -> None:
    """Fold one of this module's events into the topic (called by topics.Topics.apply)."""
    by = ev.By.from_data(data.get("actor")).role
    if type_name == "TopicMaterialAdded":
        f = data["file"]
        t.materials.append({"sha256": f["sha256"], "type": f["type"], "size": f["size"], "name": f["name"],
                            "at": at, "by": by})
        t.history.append({"what": "material_added", "at": at, "by": by, "name": f["name"]})
    elif type_name == "TopicMaterialRemoved":
        gone = [m for m in t.materials if m["sha256"] == data["sha256"]]
        t.materials = [m for m in t.materials if m["sha256"] != data["sha256"]]
        t.history.append({"what": "material_removed", "at": at, "by": by,
                          "name": gone[0]["name"] if gone else ""})


def _topic(book: Topics, topic_id: str) -> Topic:
    if topic_id not in book.topics:
        raise MeetingError("no_such_topic")
    return book.topics[topic_id]


def add(book: Topics, topic_id: str, file: dict[str, Any], *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    """A file the data folder now holds (live/ read its type and size from it) listed with the topic."""
    t = _topic(book, topic_id)
    if file.get("type") not in ATTACHMENT_TYPES or not isinstance(file.get("size"), int) or file["size"] <= 0:
        raise MeetingError("bad_attachment")
    if (same := listed(t, file["sha256"])) is not None:  # the same file under another name
        raise MeetingError("material_already_added", name=same["name"])
    if len(t.materials) >= MAX_MATERIALS:
        raise MeetingError("too_many_materials", max=MAX_MATERIALS)
    kept = {k: file[k] for k in ("sha256", "type", "size", "name")}
    return "TopicMaterialAdded", {"topic": topic_id, "file": kept, "actor": actor.to_data(), "v": VERSION}


def remove(book: Topics, topic_id: str, sha256: str, *, actor: ev.By) -> tuple[str, dict[str, Any]]:
    t = _topic(book, topic_id)
    if not any(m["sha256"] == sha256 for m in t.materials):
        raise MeetingError("no_such_material")
    return "TopicMaterialRemoved", {"topic": topic_id, "sha256": sha256, "actor": actor.to_data(), "v": VERSION}


def listed(t: Topic, sha256: str) -> dict[str, Any] | None:
    """The material of that hash, while the topic lists it."""
    return next((m for m in t.materials if m["sha256"] == sha256), None)
