"""Rate limits for what phones send: a token bucket per connection and per participant.

Generous for people, firm for scripts. A person taps a button at most a few times a second and
never for long; a script sends thousands. Each bucket holds BURST commands and refills at RATE a
second, so a phone can do a burst of BURST things at once (check in, vote, ask for the floor, …)
and then keep up one every 1/RATE seconds. The participant's bucket (the same across its
connections, so that opening many sockets with one token gains nothing) and the connection's
(a guest without a token) are both charged. Staff consoles are not limited: they hold a key.
Buckets left idle for IDLE_S are forgotten, so memory follows the phones that are active.
"""
from __future__ import annotations

import time
from typing import Callable

BURST = 20.0
RATE = 2.0  # commands a second, sustained
IDLE_S = 600.0


class Buckets:
    def __init__(self, burst: float = BURST, rate: float = RATE, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate, self.clock = burst, rate, clock
        self._held: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._swept = clock()

    def wait(self, *keys: str) -> float:
        """0 when every key's bucket had a token (each is then charged one); else the seconds until
        the emptiest refills one (nothing is charged)."""
        now = self.clock()
        self._sweep(now)
        levels = []
        for key in keys:
            tokens, when = self._held.get(key, (self.burst, now))
            levels.append(min(self.burst, tokens + (now - when) * self.rate))
        short = [1.0 - level for level in levels if level < 1.0]
        if short:
            return max(short) / self.rate
        for key, level in zip(keys, levels):
            self._held[key] = (level - 1.0, now)
        return 0.0

    def _sweep(self, now: float) -> None:
        if now - self._swept < IDLE_S:
            return
        self._swept = now
        for key in [k for k, (_, when) in self._held.items() if now - when > IDLE_S]:
            del self._held[key]
