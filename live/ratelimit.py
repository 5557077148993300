"""Rate limits for what phones send: a token bucket per connection and per participant.

Generous for people, firm for scripts. A person taps a button at most a few times a second and
never for long; a script sends thousands. Each bucket holds BURST commands and refills at RATE a
second, so a phone can do a burst of BURST things at once (check in, vote, ask for the floor, …)
and then keep up one every 1/RATE seconds. The participant's bucket (the same across its
connections, so that opening many sockets with one token gains nothing) and the connection's
(a guest without a token) are both charged. Staff consoles are not limited: they hold a key.
Buckets left idle for IDLE_S are forgotten, so memory follows the phones that are active.

A script can open a new connection for every command, each with a full bucket. So connections
are also counted per network address, and guests' commands (check-ins: the only thing a phone
without a token can do) share a bucket per address. These must let a whole hall through when its
phones reach the server through one address (a router doing NAT): ADDRESS_CONNECT_BURST phones may
connect at once and ADDRESS_CONNECT_RATE a second after that (a hall of 1,200 is in within a
minute; a phone refused retries by itself), and ADDRESS_GUEST_BURST check-ins at once, then
ADDRESS_GUEST_RATE a second. The server's own machine (loopback: the projector and the console's
browsers on the laptop, or a reverse proxy, which then says who the client is) is not limited.
"""
from __future__ import annotations

import time
from typing import Any, Callable

BURST = 20.0
RATE = 2.0  # commands a second, sustained
IDLE_S = 600.0
ADDRESS_CONNECT_BURST = 600.0
ADDRESS_CONNECT_RATE = 10.0  # connections a second from one address, sustained
ADDRESS_GUEST_BURST = 200.0
ADDRESS_GUEST_RATE = 20.0  # check-ins a second from one address, sustained
LOOPBACK = ("127.", "::1", "::ffff:127.")


def address_of(environ: dict[str, Any]) -> str:
    """The client's network address, or "" for the server's own machine (not limited). Read from
    the ASGI scope: engine.io's REMOTE_ADDR is always 127.0.0.1 under ASGI."""
    scope = environ.get("asgi.scope")
    client = scope.get("client") if isinstance(scope, dict) else None
    address = str(client[0]) if client else ""
    return "" if not address or address.startswith(LOOPBACK) else address


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

    def waiting(self, key: str) -> float:
        """The seconds until `key`'s bucket has a token (0 if it has one); nothing is charged."""
        now = self.clock()
        tokens, when = self._held.get(key, (self.burst, now))
        level = min(self.burst, tokens + (now - when) * self.rate)
        return 0.0 if level >= 1.0 else (1.0 - level) / self.rate

    def _sweep(self, now: float) -> None:
        if now - self._swept < IDLE_S:
            return
        self._swept = now
        for key in [k for k, (_, when) in self._held.items() if now - when > IDLE_S]:
            del self._held[key]
