"""The load of `make scale-test`: threads of searchers, bookers and clinical writers against two nodes.

Searchers are anonymous, each request from its own made-up address (X-Forwarded-For; the nodes trust one
proxy), so the shared rate limits count them apart; bookers use their own tokens and alternate nodes, so the
double-booking race crosses nodes; clinical writers answer a questionnaire as a customer and upload a photo as
the venue's practitioner through one node, then read both back through the other.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from typing import Any
from urllib.parse import urlencode


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    per_node: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    photos_checked: int = 0
    records_checked: int = 0

    def add(self, name: str, port: int, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[name][status] += 1
            self.times[name].append(seconds)
            self.per_node[name][port] += 1

    def fail(self, text: str) -> None:
        with self.lock:
            if len(self.failures) < 20:
                self.failures.append(text)


class Client:
    """One keep-alive connection per node."""

    def __init__(self, ports: list[int], tally: Tally) -> None:
        self.ports, self.tally = ports, tally
        self.conns: dict[int, HTTPConnection] = {}

    def call(self, port: int, method: str, path: str, name: str, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, bytes]:
        started = time.monotonic()
        for attempt in (1, 2):
            reused = port in self.conns
            try:
                conn = self.conns.get(port) or HTTPConnection("127.0.0.1", port, timeout=60)
                self.conns[port] = conn
                conn.request(method, path, body=body, headers=headers or {})
                answer = conn.getresponse()
                status, data = answer.status, answer.read()
                break
            except OSError as exc:  # RemoteDisconnected included
                self.conns.pop(port, None)
                status, data = 0, str(exc).encode()
                if not reused or attempt == 2:  # a kept-alive connection the server closed: try a fresh one
                    break
        self.tally.add(name, port, status, time.monotonic() - started)
        if status >= 500 or status == 0:
            self.tally.fail(f"{method} {path} on port {port}: {status} {data[:300]!r}")
        return status, data


def _address(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def searcher(n: int, plan: dict[str, Any], ports: list[int], tally: Tally, stop: threading.Event) -> None:
    rng, client = random.Random(n), Client(ports, tally)
    port = ports[n % len(ports)]
    while not stop.is_set():
        q, near = rng.choice(plan["searches"])
        client.call(port, "GET", f"/api/v1/search?{urlencode({'q': q, 'near': near})}", "GET /api/v1/search",
                    {"X-Forwarded-For": _address(rng)})


def booker(n: int, plan: dict[str, Any], ports: list[int], tally: Tally, stop: threading.Event) -> None:
    rng, client, turn = random.Random(1000 + n), Client(ports, tally), n
    auth = {"Authorization": f"Bearer {plan['tokens'][n % len(plan['tokens'])]}"}
    while not stop.is_set():
        turn += 1
        port, target = ports[turn % len(ports)], rng.choice(plan["venues"])
        day = rng.choice(plan["days"])
        status, data = client.call(port, "GET", f"/api/v1/venues/{target['venue_id']}/availability?services="
                                   f"{target['service_id']}&from={day}&to={day}", "GET availability", auth)
        slots = json.loads(data).get("slots", []) if status == 200 else []
        if not slots:
            continue
        slot = rng.choice(slots[:6])
        body = json.dumps({"venue_id": target["venue_id"], "services": [target["service_id"]],
                           "start": slot["start"], "staff_id": slot["staff_id"], "notes": plan["note"]}).encode()
        client.call(ports[(turn + 1) % len(ports)], "POST", "/api/v1/bookings", "POST /api/v1/bookings",
                    {**auth, "Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"}, body)


def _multipart(fields: dict[str, str], image: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
             for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
                 "Content-Type: image/png\r\n\r\n".encode() + image + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def clinical_writer(n: int, plan: dict[str, Any], ports: list[int], tally: Tally, stop: threading.Event) -> None:
    """Answers the questionnaire as customer n, uploads a photo for them, reads both back through the other node."""
    c = plan["clinic"]
    client, turn = Client(ports, tally), n
    customers = plan["customers"][n::max(1, plan["writers"])]
    staff = {"Authorization": f"Bearer {c['practitioner_token']}"}
    for customer in customers:
        if stop.is_set():
            return
        turn += 1
        write, read = ports[turn % len(ports)], ports[(turn + 1) % len(ports)]
        auth = {"Authorization": f"Bearer {customer['token']}", "Content-Type": "application/json"}
        secret = f"scale-secret-{uuid.uuid4().hex[:12]}"
        answers = {q["slug"]: (secret if q["kind"] != "yesno" else False) for q in c["questions"]}
        status, data = client.call(write, "POST", "/api/v1/pathway/questionnaire", "POST questionnaire", auth,
                                   json.dumps({"venue_id": c["venue_id"], "treatment_id": c["treatment_id"],
                                               "answers": answers}).encode())
        if status != 201:
            tally.fail(f"questionnaire {status}: {data[:200]!r}")
            continue
        status, data = client.call(read, "GET", "/api/v1/me/health", "GET /me/health (other node)", auth)
        if status == 200 and secret in data.decode():
            tally.records_checked += 1
            client_id = _client_id(json.loads(data), c["venue_id"])
        else:
            tally.fail(f"health record not read back through port {read}: {status}")
            continue
        image = plan["image"]
        body, kind = _multipart({"treatment_id": str(c["treatment_id"]), "angle": "front"}, image)
        status, data = client.call(write, "POST", f"/api/v1/clinical/venues/{c['venue_id']}/clients/{client_id}/photos",
                                   "POST photo", {**staff, "Content-Type": kind}, body)
        if status != 201:
            tally.fail(f"photo upload {status}: {data[:200]!r}")
            continue
        photo_id = json.loads(data)["id"]
        status, data = client.call(read, "GET", f"/api/v1/clinical/photos/{photo_id}", "GET photo (other node)", staff)
        if status == 200 and (data[:4] in (b"\x89PNG", b"RIFF") or data[:3] == b"\xff\xd8\xff"):
            tally.photos_checked += 1
        else:
            tally.fail(f"photo {photo_id} not read back through port {read}: {status}")


def _client_id(record: dict[str, Any], venue_id: int) -> int:
    for v in record["venues"]:
        if v["venue_id"] == venue_id:
            return int(v["client_id"])
    raise KeyError(venue_id)


def drive(plan: dict[str, Any], ports: list[int], seconds: float, searchers: int, bookers: int) -> Tally:
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=searcher, args=(n, plan, ports, tally, stop), daemon=True)
               for n in range(searchers)]
    threads += [threading.Thread(target=booker, args=(n, plan, ports, tally, stop), daemon=True)
                for n in range(bookers)]
    threads += [threading.Thread(target=clinical_writer, args=(n, plan, ports, tally, stop), daemon=True)
                for n in range(plan["writers"])]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=90)
    return tally


def shared_limit(ports: list[int], limit: int, extra: int = 6) -> tuple[int, int]:
    """One address tries to sign up limit + extra times, alternating nodes, from 8 threads, within one fixed window
    of the sign-up limit (an hour; the empty form is refused with 422, cheaply, after the limiter counted it):
    (answers that got through, answers 429). A run that straddles the window's end is done again, new address."""
    counts: Counter = Counter()
    for attempt in range(3):
        window = int(time.time() // 3600)

        def ask(n: int, address: str = f"192.0.2.{attempt + 1}") -> int:
            return Client(ports, Tally()).call(ports[n % len(ports)], "POST", "/api/v1/auth/register", "limit",
                                               {"X-Forwarded-For": address, "Content-Type": "application/json"},
                                               b"{}")[0]

        with ThreadPoolExecutor(max_workers=8) as pool:
            counts = Counter(pool.map(ask, range(limit + extra)))
        if int(time.time() // 3600) == window:
            break
    return sum(n for status, n in counts.items() if status not in (0, 429) and status < 500), counts[429]
