"""The pure availability function: properties on generated schedules, daylight-saving days, back-to-back visits."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamper.bookings import availability as av
from pamper.bookings import intervals
from pamper.bookings.availability_reference import naive_slots
from pamper.bookings.localtime import LocalCalendar, from_minute, to_minute

MONDAY = dt.date(2026, 6, 1)
EPOCH_MONDAY = to_minute(dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
JANUARY = to_minute(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def minutes(h: int, m: int = 0) -> int:
    return h * 60 + m


def local(slot_start: int, zone: str) -> str:
    return from_minute(slot_start).astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:%M")


# --- generated schedules ---------------------------------------------------------------------------------------------

times = st.integers(min_value=0, max_value=96).map(lambda q: q * 15)  # 96: 24:00, hours until midnight


@st.composite
def weekly(draw: st.DrawFn, count: int = 3) -> list[av.Weekly]:
    out = []
    for _ in range(draw(st.integers(1, count))):
        a, b = sorted(draw(st.tuples(times, times)))
        if a == b:
            continue
        out.append(av.Weekly(draw(st.integers(0, 6)), a, b))
    return out


@st.composite
def busy(draw: st.DrawFn, days: int = 3) -> list[av.Interval]:
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = EPOCH_MONDAY - 120 + draw(st.integers(0, days * 1440))
        spans.append((start, start + draw(st.integers(1, 300))))
    return spans


@st.composite
def schedules(draw: st.DrawFn) -> tuple[av.Schedule, list[av.ServiceSpec]]:
    zone = draw(st.sampled_from(["Europe/London", "Europe/Madrid", "America/New_York", "Asia/Kolkata", "UTC"]))
    staff = list(range(1, draw(st.integers(1, 3)) + 1))
    room = draw(st.sampled_from([None, 7]))
    services = [
        av.ServiceSpec(i, draw(st.sampled_from([15, 30, 45, 60, 120])), draw(st.sampled_from([0, 5, 15])),
                       draw(st.sampled_from([0, 10, 15])), room if i == 1 else None)
        for i in range(1, draw(st.integers(1, 2)) + 1)
    ]
    schedule = av.Schedule(
        av.Rules(zone, draw(st.sampled_from([10, 15, 30])), draw(st.sampled_from([0, 60])), 60),
        opening=draw(weekly(4)),
        closures=[(MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=1))] if draw(st.booleans()) else [],
        staff=staff,
        shifts={s: draw(weekly()) for s in staff},
        performs={s: frozenset(draw(st.sets(st.sampled_from([1, 2]), min_size=1))) for s in staff},
        booked={s: draw(busy()) for s in staff},
        away={s: draw(busy()) for s in staff},
        resource_booked={7: draw(busy())},
    )
    return schedule, services


def covered(pieces: list[av.Interval], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in intervals.merge(pieces))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.sampled_from([None, 1, 2]))
def test_slots_fit_shifts_and_never_touch_busy_time(case, who):  # type: ignore[no-untyped-def]
    schedule, services = case
    now = EPOCH_MONDAY - 1440
    first, last = MONDAY, MONDAY + dt.timedelta(days=2)
    slots = av.find_slots(schedule, services, first, last, now, staff_id=who)
    cal = LocalCalendar(schedule.rules.timezone)
    for slot in slots:
        assert slot.end - slot.start == sum(s.duration for s in services)
        assert slot.start >= now + schedule.rules.min_notice_minutes
        _, minute = cal.wall(slot.start)
        assert minute % schedule.rules.slot_minutes == 0
        for item in slot.items:
            assert who is None or item.staff_id == who
            assert item.service_id in schedule.performs[item.staff_id]
            work = av.working_time(schedule, item.staff_id, first - dt.timedelta(days=1), last + dt.timedelta(days=1),
                                   cal)
            assert covered(work, item.busy_start, item.busy_end), "outside the shift or opening hours"
            taken = schedule.booked[item.staff_id] + schedule.away[item.staff_id]
            if item.resource_id is not None:
                taken = taken + schedule.resource_booked[item.resource_id]
            assert not any(a < item.busy_end and item.busy_start < b for a, b in taken), "overlaps busy time"
    # and nothing is missing: an independent, naive scan finds exactly the same slots
    assert slots == naive_slots(schedule, services, first, last, now, staff_id=who)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_the_first_start_of_each_visit_is_the_first_slot_find_slots_gives(case):  # type: ignore[no-untyped-def]
    """first_starts (the search rows' next free slot) shares the staff's free time between visits and stops at the
    first slot: it must still name exactly the first start find_slots lists, for one service and for two."""
    schedule, services = case
    now = EPOCH_MONDAY - 1440
    first, last = MONDAY, MONDAY + dt.timedelta(days=2)
    visits = {"all": services, "first": services[:1], "last": services[-1:], "none": []}
    expected = {key: (slots[0].start if (slots := av.find_slots(schedule, specs, first, last, now)) else None)
                for key, specs in visits.items()}
    assert av.first_starts(schedule, visits, first, last, now) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=6))
def test_a_two_hour_service_only_where_two_hours_fit(gaps):  # type: ignore[no-untyped-def]
    """One stylist 09:00-18:00; generated bookings; every slot has 120 free minutes, every 120-minute gap has a slot."""
    schedule = av.Schedule(
        av.Rules("UTC", 15, 0, 60), opening=[av.Weekly(0, minutes(9), minutes(18))], staff=[1],
        shifts={1: [av.Weekly(0, minutes(9), minutes(18))]}, performs={1: frozenset({1})},
        booked={1: [(EPOCH_MONDAY + minutes(9) + q * 15, EPOCH_MONDAY + minutes(9) + q * 15 + n * 15)
                    for q, n in gaps]},
    )
    slots = av.find_slots(schedule, [av.ServiceSpec(1, 120)], MONDAY, MONDAY, EPOCH_MONDAY - 1440)
    day = [(EPOCH_MONDAY + minutes(9), EPOCH_MONDAY + minutes(18))]
    free = intervals.subtract(day, intervals.merge(schedule.booked[1]))
    expected = [g for a, b in free for g in range(a, b - 119, 15) if (g - EPOCH_MONDAY) % 15 == 0]
    assert [s.start for s in slots] == sorted(expected)


# --- daylight saving -------------------------------------------------------------------------------------------------


def one_stylist(zone: str, weekday: int, shift: tuple[int, int], slot: int = 30) -> av.Schedule:
    return av.Schedule(
        av.Rules(zone, slot, 0, 365), opening=[av.Weekly(weekday, 0, minutes(23, 59))], staff=[1],
        shifts={1: [av.Weekly(weekday, *shift)]}, performs={1: frozenset({1})},
    )


def wall_slots(zone: str, day: dt.date, shift: tuple[int, int], duration: int = 60) -> list[str]:
    schedule = one_stylist(zone, day.weekday(), shift)
    found = av.find_slots(schedule, [av.ServiceSpec(1, duration)], day, day, JANUARY)
    return [local(s.start, zone) for s in found]


def test_daytime_slots_keep_their_wall_clock_times_across_the_change():
    for zone, days in {
        "Europe/London": [dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 10, 26)],
        "Europe/Madrid": [dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 10, 26)],
    }.items():
        for day in days:
            found = wall_slots(zone, day, (minutes(9), minutes(12)))
            assert found == ["09:00", "09:30", "10:00", "10:30", "11:00"], (zone, day)


def test_utc_instants_move_by_an_hour_on_the_change_days():
    schedule = one_stylist("Europe/London", 6, (minutes(9), minutes(10)))
    before = av.find_slots(schedule, [av.ServiceSpec(1, 60)], dt.date(2026, 3, 22), dt.date(2026, 3, 22), JANUARY)
    after = av.find_slots(schedule, [av.ServiceSpec(1, 60)], dt.date(2026, 3, 29), dt.date(2026, 3, 29), JANUARY)
    assert from_minute(before[0].start) == dt.datetime(2026, 3, 22, 9, tzinfo=dt.UTC)  # GMT
    assert from_minute(after[0].start) == dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC)  # BST


def test_the_short_spring_night_skips_the_missing_hour():
    # London jumps 01:00 -> 02:00; Madrid jumps 02:00 -> 03:00 (local). A shift from midnight to 04:00 is 3 real hours.
    # 00:30 GMT + 60 real minutes ends at 02:30 BST: fine. 03:30 CEST would end after 04:00.
    spring = dt.date(2026, 3, 29)
    assert wall_slots("Europe/London", spring, (0, minutes(4))) == ["00:00", "00:30", "02:00", "02:30", "03:00"]
    assert wall_slots("Europe/Madrid", spring, (0, minutes(4))) == ["00:00", "00:30", "01:00", "01:30", "03:00"]
    schedule = one_stylist("Europe/London", 6, (0, minutes(4)))
    cal = LocalCalendar("Europe/London")
    assert sum(b - a for a, b in av.working_time(schedule, 1, dt.date(2026, 3, 29), dt.date(2026, 3, 29), cal)) == 180


def test_the_long_autumn_night_offers_the_repeated_hour_twice():
    # London 02:00 BST -> 01:00 GMT: 01:00 and 01:30 happen twice. A shift from midnight to 03:00 is 4 real hours.
    london = wall_slots("Europe/London", dt.date(2026, 10, 25), (0, minutes(3)))
    assert london == ["00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00"]
    madrid = wall_slots("Europe/Madrid", dt.date(2026, 10, 25), (0, minutes(4)))
    assert madrid == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "02:00", "02:30", "03:00"]


def test_a_visit_across_the_spring_change_takes_its_real_duration():
    schedule = one_stylist("Europe/Madrid", 6, (minutes(1), minutes(5)))
    found = av.find_slots(schedule, [av.ServiceSpec(1, 90)], dt.date(2026, 3, 29), dt.date(2026, 3, 29), JANUARY)
    first = found[0]
    assert local(first.start, "Europe/Madrid") == "01:00" and local(first.end, "Europe/Madrid") == "03:30"
    assert first.end - first.start == 90


# --- back-to-back visits ---------------------------------------------------------------------------------------------


def test_inner_buffers_are_dropped_when_the_same_person_continues():
    schedule = av.Schedule(
        av.Rules("UTC", 15, 0, 60), opening=[av.Weekly(0, minutes(9), minutes(12))], staff=[1],
        shifts={1: [av.Weekly(0, minutes(9), minutes(12))]}, performs={1: frozenset({1, 2})},
    )
    services = [av.ServiceSpec(1, 60, 15, 15), av.ServiceSpec(2, 30, 15, 15)]
    slots = av.find_slots(schedule, services, MONDAY, MONDAY, EPOCH_MONDAY - 1440)
    assert slots[0].start == EPOCH_MONDAY + minutes(9, 15)
    items = slots[0].items
    assert (items[0].busy_start, items[0].busy_end) == (EPOCH_MONDAY + minutes(9), EPOCH_MONDAY + minutes(10, 15))
    assert (items[1].busy_start, items[1].busy_end) == (EPOCH_MONDAY + minutes(10, 15), EPOCH_MONDAY + minutes(11))
    assert slots[-1].start == EPOCH_MONDAY + minutes(10, 15)  # ends 11:45, cleaned by 12:00


def test_a_specific_person_must_perform_every_service():
    schedule = av.Schedule(
        av.Rules("UTC", 15, 0, 60), opening=[av.Weekly(0, minutes(9), minutes(12))], staff=[1, 2],
        shifts={1: [av.Weekly(0, minutes(9), minutes(12))], 2: [av.Weekly(0, minutes(9), minutes(12))]},
        performs={1: frozenset({1}), 2: frozenset({1, 2})},
    )
    services = [av.ServiceSpec(1, 60), av.ServiceSpec(2, 30)]
    assert av.find_slots(schedule, services, MONDAY, MONDAY, EPOCH_MONDAY - 1440, staff_id=1) == []
    assert av.find_slots(schedule, services, MONDAY, MONDAY, EPOCH_MONDAY - 1440, staff_id=2)
    anyone = av.find_slots(schedule, services, MONDAY, MONDAY, EPOCH_MONDAY - 1440)
    assert {i.staff_id for i in anyone[0].items} <= {1, 2} and anyone[0].items[1].staff_id == 2


def test_interval_helpers():
    assert intervals.merge([(5, 7), (1, 3), (3, 4), (6, 9)]) == [(1, 4), (5, 9)]
    assert intervals.subtract([(0, 10), (20, 30)], [(2, 3), (5, 22), (29, 40)]) == [(0, 2), (3, 5), (22, 29)]
    assert intervals.intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
