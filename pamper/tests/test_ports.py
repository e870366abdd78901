"""Spare ports for the servers the suite starts: outside the range outgoing connections use, never the same
twice, and a PostgreSQL start that finds its port taken moves to another instead of failing the run."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from pamper.lib import ports
from pamper.tests import replica


def test_ports_come_from_outside_the_ephemeral_range_and_are_never_given_twice() -> None:
    low, high = ports.ephemeral_range()
    given = [ports.free_port() for _ in range(50)]
    assert len(set(given)) == 50
    assert all(not low <= port <= high for port in given)
    for port in given[:5]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # free when handed out


def test_a_port_taken_by_a_listener_is_not_handed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        taken = held.getsockname()[1]
        held.listen()
        picks = iter([taken, taken, 23_456])
        monkeypatch.setattr(ports.random, "randrange", lambda *_: next(picks))
        monkeypatch.setattr(ports, "ephemeral_range", lambda: (40_000, 60_999))
        monkeypatch.setattr(ports, "_given", set())
        assert ports.free_port() == 23_456


@pytest.mark.own_servers
@pytest.mark.skipif(not replica.have_postgres(), reason="the PostgreSQL server binaries are not installed")
def test_a_postgres_start_whose_port_was_taken_meanwhile_tries_another(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(tempfile.mkdtemp(prefix="pamper-port-race-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    replica._as_postgres("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync")
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\nfsync = off\n")
    with socket.socket() as thief:  # what an outgoing connection does to a port picked too early
        thief.bind(("127.0.0.1", 0))
        thief.listen()
        stolen = thief.getsockname()[1]
        spare = iter([stolen, ports.free_port()])
        monkeypatch.setattr(replica, "free_port", lambda: next(spare))
        try:
            port = replica._start(data, root / "server.log")
            assert port != stolen
            assert replica._as_postgres("psql", "-h", "127.0.0.1", "-p", str(port), "-d", "postgres", "-At",
                                        "-c", "SELECT 1") == "1"
        finally:
            try:
                replica.stop(data)
            finally:
                shutil.rmtree(root, ignore_errors=True)


def test_a_preferred_port_is_given_when_free_and_another_when_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_given", set())
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        taken = held.getsockname()[1]
        assert ports.free_port(prefer=taken) != taken
    spare = ports.free_port()
    monkeypatch.setattr(ports, "_given", set())
    assert ports.free_port(prefer=spare) == spare
