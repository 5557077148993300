"""Routes for the minutes (filled in by the minutes module)."""
from __future__ import annotations

from typing import Any


def minutes_routes(app: Any) -> list[Any]:
    return []
