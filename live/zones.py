"""Which time zone names a request or a command line may ask for.

`ZoneInfo` reads a file named after the zone: an odd name can fail as KeyError, ValueError or
OSError (a name too long for the file system), so every caller asks here instead."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

# IANA names are ASCII letters, digits and `_+-/`, the longest about 30 characters.
ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")


def known_zone(name: str) -> bool:
    if len(name) > 64 or not ZONE_NAME.fullmatch(name):
        return False
    try:
        ZoneInfo(name)
    except (LookupError, ValueError, OSError):
        return False
    return True
