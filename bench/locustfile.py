"""The people of `make load`, for locust: searchers and bookers with no think time.

bench/load.py prepares everything (dataset, servers, booker tokens, the venues they fight over) and runs
locust headless with this file; it can also be used by hand against a running server:

    PAMPER_LOAD_PLAN=plan.json PAMPER_LOAD_PORTS=8000 locust -f bench/locustfile.py --host http://127.0.0.1:8000

PAMPER_LOAD_PLAN is a JSON file {"searches": [[q, near], ...], "venues": [{"venue_id", "service_id"}, ...],
"tokens": [...], "note": "..."}; PAMPER_LOAD_PORTS the ports to spread users over (bookers alternate between
them, so a double-booking race crosses servers); PAMPER_LOAD_STATUSES where to write every answer's status
counts per endpoint when the run ends (locust's own statistics have latencies, not statuses).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["PAMPER_LOAD_PLAN"]).read_text()) if os.environ.get("PAMPER_LOAD_PLAN") else None
PORTS = [int(p) for p in os.environ.get("PAMPER_LOAD_PORTS", "8000").split(",")]
STATUSES: dict[str, Counter] = defaultdict(Counter)
_numbers = itertools.count()


@events.request.add_listener
def _count(name: str, response, exception, **_: object) -> None:  # type: ignore[no-untyped-def]
    STATUSES[name][getattr(response, "status_code", 0) or 0] += 1


@events.test_stop.add_listener
def _write(**_: object) -> None:
    if out := os.environ.get("PAMPER_LOAD_STATUSES"):
        with open(out, "w") as f:
            json.dump({name: {str(k): v for k, v in counts.items()} for name, counts in STATUSES.items()}, f)


def base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


class Searcher(FastHttpUser):
    """Nine searches in ten through the API, one through the page, for a treatment near a town of the dataset."""

    weight = 200
    wait_time = constant(0)

    def on_start(self) -> None:
        n = next(_numbers)
        self.rng = random.Random(n)
        self.origin = base(PORTS[n % len(PORTS)])

    @task
    def search(self) -> None:
        assert PLAN is not None, "PAMPER_LOAD_PLAN is not set"
        q, near = self.rng.choice(PLAN["searches"])
        query = urlencode({"q": q, "near": near})
        if self.rng.random() < 0.1:
            self.client.get(f"{self.origin}/search/?{query}", name="GET /search/ (page)")
        else:
            self.client.get(f"{self.origin}/api/v1/search?{query}", name="GET /api/v1/search")


class Booker(FastHttpUser):
    """Reads a day's free slots at one of the shared venues and books one of the first six; 409 is a fair loss."""

    weight = 32
    wait_time = constant(0)

    def on_start(self) -> None:
        assert PLAN is not None, "PAMPER_LOAD_PLAN is not set"
        n = next(_numbers)
        self.rng = random.Random(1000 + n)
        self.turn = n
        self.auth = {"Authorization": f"Bearer {PLAN['tokens'][n % len(PLAN['tokens'])]}"}

    @task
    def book(self) -> None:
        assert PLAN is not None
        self.turn += 1
        origin, target = base(PORTS[self.turn % len(PORTS)]), self.rng.choice(PLAN["venues"])
        day = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=self.rng.randint(2, 5))).isoformat()
        path = f"/api/v1/venues/{target['venue_id']}/availability?services={target['service_id']}&from={day}&to={day}"
        with self.client.get(origin + path, headers=self.auth, name="GET availability", catch_response=True) as answer:
            slots = answer.json().get("slots", []) if answer.status_code == 200 else []
        if not slots:
            return
        slot = self.rng.choice(slots[:6])
        payload = {"venue_id": target["venue_id"], "services": [target["service_id"]], "start": slot["start"],
                   "staff_id": slot["staff_id"], "notes": PLAN["note"]}
        headers = {**self.auth, "Idempotency-Key": uuid.uuid4().hex}
        with self.client.post(origin + "/api/v1/bookings", json=payload, headers=headers, name="POST /api/v1/bookings",
                              catch_response=True) as answer:
            if answer.status_code == 409:  # someone else got the slot first: the expected answer to a lost race
                answer.success()
