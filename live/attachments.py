"""Photos and documents attached to action items' updates, kept in the data folder.

A file is stored under `attachments/<meeting>/<sha256>`, named by its content, so the record's
event (ActionUpdated) names it by hash and the same photo sent twice is kept once. Only what a
community office sends as evidence is taken: JPEG and PNG photos, which are decoded and written
anew (the camera's metadata — where the photo was taken, the phone's serial — is not kept, and a
file that only claims to be an image is refused), and PDF documents, kept as sent and only ever
served as a download. Sizes and pixel counts are bounded before anything is decoded.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitation import texts
from facilitation.errors import MeetingError
from facilitation.followup import ATTACHMENT_TYPES, MAX_ATTACHMENTS

from .errors import TransportError

MAX_BYTES = 10 * 1024 * 1024  # a phone's photo is 2-6 MB; a scanned notice a few pages of PDF
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any phone camera; a decompression bomb is far beyond
MAX_SIDE = 2560  # photos are kept at most this wide or tall: enough to read a notice in them
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEETING = re.compile(r"[0-9a-zA-Z_-]{1,64}")


@dataclass(frozen=True)
class Stored:
    sha256: str
    type: str
    size: int
    name: str

    def to_data(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "type": self.type, "size": self.size, "name": self.name}


def kind_of(data: bytes) -> str | None:
    """The file's type by its first bytes, whatever it is called or claims to be."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _photo(data: bytes, kind: str) -> bytes:
    """The photo decoded and written again, without its metadata, at most MAX_SIDE a side."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise TransportError("bad_file", 400, detail="too many pixels")
                img.load()
                img = ImageOps.exif_transpose(img)  # the right way up, as the camera meant it
                img.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                if kind == "image/jpeg":
                    img.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                else:
                    img.save(out, "PNG", optimize=True)
                return out.getvalue()
    except TransportError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            MemoryError) as exc:
        raise TransportError("bad_file", 400, detail=type(exc).__name__) from None


class Attachments:
    def __init__(self, data: Path, folder: str = "attachments") -> None:
        self.root = data / folder  # a folder per meeting (or, for topics' materials, per community) under it

    def _folder(self, meeting_id: str) -> Path:
        if not _MEETING.fullmatch(meeting_id):
            raise TransportError("no_such_meeting", 404)
        return self.root / meeting_id

    def store(self, meeting_id: str, data: bytes, name: str) -> Stored:
        """Keep a file for the meeting; TransportError("bad_file") if it is not one we take."""
        if not data or len(data) > MAX_BYTES:
            raise TransportError("bad_file", 413 if data else 400, detail="size")
        kind = kind_of(data)
        if kind not in ATTACHMENT_TYPES:
            raise TransportError("bad_file", 415, detail="type")
        if kind == "application/pdf":
            if b"%%EOF" not in data[-1024:]:
                raise TransportError("bad_file", 400, detail="not a whole PDF")
            body = data
        else:
            body = _photo(data, kind)
        try:
            shown = texts.clean(Path(name.replace("\\", "/")).name[-texts.NAME:] or "file", "file_name", texts.NAME,
                                lines=False)
        except MeetingError:
            shown = "file"
        sha = hashlib.sha256(body).hexdigest()
        folder = self._folder(meeting_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / sha
        if not path.exists():
            tmp = folder / f".{sha}.{os.getpid()}.tmp"
            tmp.write_bytes(body)
            os.replace(tmp, path)  # whole or not at all
        return Stored(sha, kind, len(body), shown)

    def path(self, meeting_id: str, sha256: str) -> Path | None:
        if not _SHA256.fullmatch(sha256):
            return None
        path = self._folder(meeting_id) / sha256
        return path if path.is_file() else None

    def resolve(self, meeting_id: str, given: Any) -> list[dict[str, Any]]:
        """The attachments of an update as the record will keep them: each a file this meeting
        holds, its type and size read from the file, never taken from the sender."""
        if given is None:
            return []
        if not isinstance(given, list):
            raise TransportError("bad_payload", detail="attachments")
        if len(given) > MAX_ATTACHMENTS:
            raise TransportError("too_many_attachments", max=MAX_ATTACHMENTS)
        out = []
        for a in given:
            sha = a.get("sha256") if isinstance(a, dict) else None
            path = self.path(meeting_id, sha) if isinstance(sha, str) else None
            if path is None:
                raise TransportError("bad_attachment")
            data = path.read_bytes()
            name = a.get("name") if isinstance(a.get("name"), str) else "file"
            name = Path(name.replace("\\", "/")).name[-texts.NAME:] or "file"  # as the upload kept it: the end has the type
            out.append({"sha256": sha, "type": kind_of(data) or "", "size": len(data), "name": name})
        return out
