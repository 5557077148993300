"""Looking into a zip file (a Word file, a workbook) before anything inflates it.

A zip states in its central directory how large each part becomes. A "bomb" is a small file whose
parts become gigabytes, or one of hundreds of thousands of empty parts (each costs memory just to
be listed). `refusal` reads the directory's end first (how many parts) and then the directory, and
names what is wrong before a part is inflated. Python's zipfile never inflates a part past the size
the directory states, so what the directory states bounds what a reader of the file can be given.
"""
from __future__ import annotations

import zipfile
from typing import IO

MAX_ENTRIES = 1000  # a Word file or a workbook has a few dozen parts
MAX_RATIO = 100  # XML inflates to five or ten times its stored size; a bomb to a thousand
FREE_PART = 1024 * 1024  # a part that inflates to less than this is taken whatever its ratio


def refusal(f: IO[bytes], max_total: int, *, max_ratio: int = MAX_RATIO, max_entries: int = MAX_ENTRIES,
            free_part: int = FREE_PART) -> str | None:
    """Why the zip in `f` is refused ("entries", "inflated", "ratio"), or None. zipfile.BadZipFile
    when it is not a zip."""
    if parts(f) > max_entries:
        return "entries"
    total = 0
    with zipfile.ZipFile(f) as z:
        for info in z.infolist():
            if info.file_size > free_part and info.file_size > max_ratio * info.compress_size:
                return "ratio"
            total += info.file_size
            if total > max_total:
                return "inflated"
    return None


def parts(f: IO[bytes]) -> int:
    """How many parts the zip in `f` says it has, read from the directory's end without listing
    them. zipfile.BadZipFile when it is not a zip."""
    end = zipfile._EndRecData(f)  # type: ignore[attr-defined]
    if not end:
        raise zipfile.BadZipFile("not a zip file")
    return int(end[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]
