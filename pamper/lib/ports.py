"""Spare TCP ports on 127.0.0.1 for the servers that tests, benchmarks and the scale test start themselves
(PostgreSQL pairs, gunicorn, moto, localstripe, SMTP).

A port from ``bind(("127.0.0.1", 0))`` comes from the kernel's ephemeral range, the same range every outgoing
connection takes its local port from. Between picking such a port and a server binding it (seconds, for a
PostgreSQL replica made by initdb and pg_basebackup) any of the suite's many connections can take it, and the
server then fails with "could not start server". So `free_port` picks below that range, at random, checks the
port with a bind, and never hands out the same port twice in one process.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_LOWEST = 10_000
_given: set[int] = set()


def ephemeral_range() -> tuple[int, int]:
    """The kernel's range for outgoing connections' local ports (Linux's default where it cannot be read)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(prefer: int | None = None) -> int:
    """A port nothing listens on now, outside the ephemeral range, not given before by this process; `prefer`
    when that one is free (the demo's local Stripe server keeps its usual 8420 unless something holds it)."""
    if prefer is not None and prefer not in _given and _bindable(prefer):
        _given.add(prefer)
        return prefer
    low, high = ephemeral_range()
    pool = range(_LOWEST, low) if low - _LOWEST >= 1000 else range(high + 1, 65536)
    for _ in range(200):
        port = random.randrange(pool.start, pool.stop)
        if port not in _given and _bindable(port):
            _given.add(port)
            return port
    raise RuntimeError("no spare TCP port found outside the ephemeral range")
