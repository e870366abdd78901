"""The venues drawn by forked workers are the venues one process draws, ids included; names settle in order."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from pamper.accounts.models import User
from pamper.catalog.loader import load_catalogue
from pamper.demo import locale
from pamper.demo.generate import seed_demo
from pamper.demo.places import demo_cities
from pamper.demo.reset import delete_all_venues
from pamper.demo.tests.fresh_process import run_in_fresh_process
from pamper.demo.venue_names import Namer, VenueDraft
from pamper.tests.world import NOW
from pamper.venues.models import Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

TABLES = ("venues_venue", "venues_service", "venues_staff", "venues_shift", "venues_openinghours",
          "venues_staff_services", "venues_closure", "venues_timeoff", "venues_resource")

# The seed with workers, in a process of its own (fresh_process.py).
WITH_WORKERS = f"""
import datetime as dt, json, django
django.setup()
from pamper.demo import generate, parallel
assert parallel.can_fork()
generate.CHUNK = 7
report = generate.seed_demo(venues=40, seed=11, now=dt.datetime.fromisoformat({NOW.isoformat()!r}))
print(json.dumps([report.venues, report.rows]))
"""


def _snapshot() -> dict[str, list]:
    """Every row the seed writes, ids counted from the demo clinic's (the first venue) and its first ids."""
    venue0 = Venue.objects.order_by("pk").values_list("pk", flat=True).first()
    service0 = Service.objects.order_by("pk").values_list("pk", flat=True).first()
    staff0 = Staff.objects.order_by("pk").values_list("pk", flat=True).first()
    return {
        "venues": [(pk - venue0, *rest) for pk, *rest in Venue.objects.order_by("pk").values_list(
            "pk", "name", "slug", "email", "kind", "description", "address", "postcode", "latitude", "phone")],
        "services": [(pk - service0, venue - venue0, *rest) for pk, venue, *rest in Service.objects.order_by(
            "pk").values_list("pk", "venue_id", "name", "price", "duration_minutes", "resource__name")],
        "staff": [(pk - staff0, venue - venue0, name, sorted(s - service0 for s in services if s))
                  for pk, venue, name, services in _staff_rows()],
        "shifts": sorted((staff - staff0, *rest) for staff, *rest in Shift.objects.values_list(
            "staff_id", "weekday", "start", "end")),
        "hours": sorted((venue - venue0, *rest) for venue, *rest in OpeningHours.objects.values_list(
            "venue_id", "weekday", "opens", "closes")),
        "closures": sorted((venue - venue0, *rest) for venue, *rest in Closure.objects.values_list(
            "venue_id", "start_date", "end_date")),
        "time_off": sorted((staff - staff0, *rest) for staff, *rest in TimeOff.objects.values_list(
            "staff_id", "start", "end")),
    }


def _staff_rows() -> list[tuple]:
    rows: dict[int, tuple] = {}
    for pk, venue, name, service in Staff.objects.order_by("pk").values_list("pk", "venue_id", "name", "services"):
        rows.setdefault(pk, (pk, venue, name, []))[3].append(service)
    return list(rows.values())


def _indexes_and_keys() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) UNION"
                       " SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
                       [list(TABLES), list(TABLES)])
        return {row[0] for row in cursor.fetchall()}


def _clear() -> None:
    delete_all_venues()
    User.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_workers_draw_the_same_venues_as_one_process() -> None:
    """PostgreSQL outside a transaction: forked workers draw and write chunks of 7 venues while the parent settles
    the names in order. The same rows as the seed in one process, ids included; every index and key comes back;
    the sequences move past the ids written."""
    if connection.vendor != "postgresql":
        pytest.skip("workers only on PostgreSQL")
    load_catalogue()
    indexes = _indexes_and_keys()
    report = seed_demo(venues=40, seed=11, now=NOW)  # a test worker runs threads: one process
    first = _snapshot()
    assert report.venues == 40 and len(first["venues"]) == 40
    _clear()
    venues, rows = run_in_fresh_process(WITH_WORKERS)
    assert venues == 40 and rows == report.rows
    assert _snapshot() == first
    assert _indexes_and_keys() == indexes
    with connection.cursor() as cursor:
        for model in (Venue, Service, Staff):
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
            assert cursor.fetchone()[0] > model.objects.order_by("-pk").values_list("pk", flat=True).first()
    _clear()  # the workers committed: leave the flush nothing it could trip on


def _draft(index: int, name: str) -> VenueDraft:
    row = (index, None, None, *([0] * 11), None, *([0] * 11))
    return VenueDraft(index, row, name, name.lower().replace(" ", "-"), demo_cities()[0], "salon", "en")


def test_a_taken_name_is_drawn_again_then_told_apart_and_every_slug_is_new(monkeypatch) -> None:
    """Names drawn again come from the venue's own name generator; when every draw is taken, the venue is told
    apart by its area or a number; slugs get -2, -3 after a taken one."""
    draws: list[str] = []
    monkeypatch.setattr(locale, "venue_name", lambda rng, city, kind, lang: draws.pop(0))
    namer = Namer(name_rng=random.Random, taken_names={"hair rooms"}, taken_slugs=set())
    city = demo_cities()[0]

    # The draft's own name drawn again, then five more: the first not taken wins.
    draws[:] = ["Hair Rooms", "Hair Rooms", "Cut Above", "Fringe", "Bob", "Crop"]
    again = namer.row(_draft(1, "Hair Rooms"))
    assert again[1] == "Cut Above" and not draws
    assert again[14] == f"hello@{again[2]}.example.com"

    draws[:] = ["Hair Rooms"] * 6  # every draw taken
    apart = namer.row(_draft(2, "Hair Rooms"))
    assert apart[1] == (f"Hair Rooms {city.district}" if city.district else "Hair Rooms 2")
    draws[:] = ["Hair Rooms"] * 6
    numbered = namer.row(_draft(3, "Hair Rooms"))
    assert numbered[1] == "Hair Rooms 3"

    fresh = namer.row(_draft(4, "Nail Bar"))  # not taken: no draw at all, the draft's slug base kept
    drawn_already = _draft(5, "Nail bar")  # taken whatever the case; the generator drew the next names itself
    drawn_already.redraws = ("NAIL BAR", "Studio Nine", "Crop", "Bob", "Fringe")
    second = namer.row(drawn_already)
    assert fresh[1:3] == ("Nail Bar", "nail-bar") and second[1] == "Studio Nine"
    assert len({again[2], apart[2], numbered[2], fresh[2], second[2]}) == 5
