"""Availability: the one-sweep function against a naive per-slot scan on identical input.

A venue with 20 staff over 31 days: opening hours with a late evening,
shifts with a lunch break, about half the diary booked (with buffers), some
time off and a closure day. Both functions get the same `Schedule`; their
slot lists must be identical. Target: the sweep at least 30 times faster.

Run alone with `python -m bench.bench_availability`; `make bench` runs main().
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from bench.common import write_section
from pamper.bookings import availability as av
from pamper.bookings.availability_reference import naive_slots
from pamper.bookings.localtime import LocalCalendar, days, to_minute

STAFF = 20
DAYS = 31
TARGET = 30.0
FIRST = dt.date(2026, 3, 2)  # a Monday; the month holds the London spring change (29 March)


def build(seed: int = 7) -> tuple[av.Schedule, list[av.ServiceSpec], dt.date, dt.date, int]:
    """A seeded, realistic month for one venue: (schedule, [service], first day, last day, now)."""
    rng = random.Random(seed)
    last = FIRST + dt.timedelta(days=DAYS - 1)
    staff = list(range(1, STAFF + 1))
    opening = [av.Weekly(d, 9 * 60, 20 * 60) for d in range(6)] + [av.Weekly(6, 10 * 60, 16 * 60)]
    shifts = {}
    for s in staff:
        start = rng.choice([9 * 60, 9 * 60 + 30, 10 * 60])
        lunch = rng.choice([12 * 60 + 30, 13 * 60, 13 * 60 + 30])
        days_on = rng.sample(range(7), 5)
        shifts[s] = [w for d in days_on for w in (av.Weekly(d, start, lunch),
                                                  av.Weekly(d, lunch + 45, start + 9 * 60 + 45))]
    cal = LocalCalendar("Europe/London")
    booked: dict[int, list[av.Interval]] = {s: [] for s in staff}
    for s in staff:
        for day in days(FIRST, last):
            cursor = cal.utc(day, 9 * 60)
            while cursor < cal.utc(day, 19 * 60):
                length = rng.choice([30, 45, 60, 90])
                if rng.random() < 0.5:
                    booked[s].append((cursor - 5, cursor + length + 10))
                cursor += length + rng.choice([0, 15, 30])
    away = {s: [] for s in staff}
    for s in rng.sample(staff, 4):
        day = FIRST + dt.timedelta(days=rng.randrange(DAYS - 3))
        away[s].append((cal.utc(day, 0), cal.utc(day + dt.timedelta(days=3), 0)))
    schedule = av.Schedule(
        av.Rules("Europe/London", 15, 60, 90), opening=opening,
        closures=[(FIRST + dt.timedelta(days=17), FIRST + dt.timedelta(days=17))], staff=staff, shifts=shifts,
        performs={s: frozenset({1, 2}) for s in staff}, booked=booked, away=away,
    )
    now = to_minute(dt.datetime.combine(FIRST, dt.time(7), tzinfo=dt.UTC)) - 1440
    return schedule, [av.ServiceSpec(1, 45, 5, 10)], FIRST, last, now


def _median_ms(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    # CPU time of this (single-threaded) process: the machine is shared, and
    # wall-clock time would mostly measure the other processes.
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def measure() -> dict[str, float | int | bool]:
    schedule, services, first, last, now = build()
    fast = av.find_slots(schedule, services, first, last, now)
    started = time.process_time()
    slow = naive_slots(schedule, services, first, last, now)  # slow enough that one run is a fair figure
    naive_ms = (time.process_time() - started) * 1000
    identical = fast == slow
    assert identical, "the sweep and the naive scan disagree"
    fast_ms = _median_ms(lambda: av.find_slots(schedule, services, first, last, now), 15)
    one_ms = _median_ms(lambda: av.find_slots(schedule, services, first, last, now, staff_id=3), 15)
    pair = [av.ServiceSpec(1, 45, 5, 10), av.ServiceSpec(2, 30, 0, 10)]
    pair_ms = _median_ms(lambda: av.find_slots(schedule, pair, first, last, now), 5)
    return {
        "slots": len(fast), "identical": identical, "fast_ms": fast_ms, "naive_ms": naive_ms,
        "speedup": naive_ms / fast_ms, "one_staff_ms": one_ms, "two_services_ms": pair_ms,
        "busy_intervals": sum(len(v) for v in schedule.booked.values()),
    }


def report(r: dict) -> str:
    verdict = "meets" if r["speedup"] >= TARGET else "MISSES"
    return "\n".join([
        f"Availability, {STAFF} staff over {DAYS} days (Europe/London, a DST change inside), 45-minute service with "
        "buffers,",
        f"{r['busy_intervals']} booked spans; {r['slots']} bookable start times, identical in both: {r['identical']}.",
        "",
        "| computation | median CPU time |",
        "| --- | --- |",
        f"| one sweep over merged intervals (anyone) | {r['fast_ms']:.1f} ms |",
        f"| naive per-slot scan (anyone) | {r['naive_ms']:.0f} ms |",
        f"| **speed-up** | **{r['speedup']:.0f}x** (target at least {TARGET:.0f}x: {verdict}) |",
        f"| one sweep, one named staff member | {r['one_staff_ms']:.1f} ms |",
        f"| one sweep, two services back to back (anyone) | {r['two_services_ms']:.1f} ms |",
    ])


def main() -> dict:
    results = measure()
    text = report(results)
    print(text)
    write_section("bookings-availability", "Availability (bookings)", text)
    return results


if __name__ == "__main__":
    main()
