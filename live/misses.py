"""Wrong codes counted over a sliding window, per scope (a meeting's join codes, a community's
resident codes) and per network address.

The scope's count bounds guessing however many addresses it comes from. The address's count,
lower, stops one device long before the scope's: a phone guessing alone can neither get far nor
lock the meeting's or the community's codes for everyone else (it takes several addresses to do
that, and the desk still checks people in meanwhile). An address of "" (the server's own machine)
counts for its scope only.
"""
from __future__ import annotations

import time
from collections import deque

PER_ADDRESS = 10
SWEEP_OVER = 4096  # addresses held before the stale ones are swept


class Misses:
    def __init__(self, per_scope: int, window_s: float, per_address: int = PER_ADDRESS) -> None:
        self.per_scope, self.window_s, self.per_address = per_scope, window_s, per_address
        self._held: dict[tuple[str, str], deque[float]] = {}  # (scope, address or "*") -> when each miss was

    def _recent(self, key: tuple[str, str], now: float) -> int:
        misses = self._held.get(key)
        if misses is None:
            return 0
        while misses and now - misses[0] > self.window_s:
            misses.popleft()
        if not misses:
            del self._held[key]
        return len(misses)

    def blocked(self, scope: str, address: str = "", now: float | None = None) -> bool:
        """Too many wrong codes lately in this scope, or from this address in it."""
        now = time.monotonic() if now is None else now
        if self._recent((scope, "*"), now) >= self.per_scope:
            return True
        return bool(address) and self._recent((scope, address), now) >= self.per_address

    def missed(self, scope: str, address: str = "", now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        keys = [(scope, "*")] + ([(scope, address)] if address else [])
        for key in keys:
            self._held.setdefault(key, deque()).append(now)
        if len(self._held) > SWEEP_OVER:
            for key in list(self._held):
                self._recent(key, now)

    def forget(self, scope: str) -> None:
        for key in [k for k in self._held if k[0] == scope]:
            del self._held[key]
