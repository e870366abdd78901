"""Demo reviews: attended past visits by demo customers, reviews written by review_text, a few replies.

`generate_reviews()` is called by the venues seed after the venues exist. It
works in bulk (a fixed number of queries per 2,000 venues), is deterministic
for the same seed, venue slugs and day (visit dates count back from today),
skips venues that already have reviews (so running it twice adds nothing),
and leaves every aggregate as reviews.actions would. The visits are planned in
review_plan.py and written in review_rows.py.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction

from pamper.accounts.models import User
from pamper.bookings.models import Booking, BookingItem
from pamper.lib import clock
from pamper.reviews.models import Review, TreatmentRating, VenueRating
from pamper.venues.models import Client, Venue

from .accounts import DEMO_CLINIC_SLUG
from .review_plan import (
    DEMO_CUSTOMER_DAYS,
    DemoReport,
    Draft,
    Offer,
    Person,
    demo_customer_drafts,
    offers_by_venue,
    plan_venue,
    repliers_by_venue,
    staff_first_names,
)
from .review_rows import delete_ratings, existing_clients, write_ratings, write_visits
from .writer import analyze, drop_for_load, restore_after_load

CHUNK = 2000
REVIEW_TABLES = [m._meta.db_table for m in (Client, Booking, BookingItem, Review, VenueRating, TreatmentRating)]
POOL_SIZE = 800
DEMO_CUSTOMER_EMAIL = "customer@example.com"
DEMO_REVIEWER_DOMAIN = "demo.pamper.example"  # every demo reviewer's address ends in @ this (a reserved name)

FIRST_NAMES = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Sophie", "Grace", "Freya", "Chloe", "Ella",
               "Emily", "Poppy", "Zara", "Aisha", "Priya", "Nadia", "Leila", "Hana", "Sofia", "Lucia", "Elena",
               "Marta", "Giulia", "Chiara", "Anna", "Lena", "Clara", "Ines", "Camille", "Manon", "Julie", "Eva",
               "Noor", "Fatima", "Maya", "Ruby", "Rosa", "Jack", "Oliver", "Harry", "Leo", "Noah", "Arjun", "Omar",
               "Yusuf", "Luca", "Marco", "Hugo", "Lucas", "Jonas", "Finn", "Daniel", "Tom", "Sam", "Ben", "Kwame",
               "Tariq"]
LAST_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Khan", "Patel",
              "Shah", "Ali", "Hussain", "Murphy", "Kelly", "Byrne", "Walsh", "Rossi", "Russo", "Bianchi", "Garcia",
              "Martinez", "Lopez", "Fernandez", "Muller", "Schmidt", "Fischer", "Weber", "Dubois", "Martin", "Bernard",
              "Petit", "Jansen", "Visser", "Bakker", "Nowak", "Kowalski", "Novak", "Silva", "Santos", "Costa",
              "Okafor", "Mensah", "Adeyemi", "Cohen", "Levi", "Nguyen", "Chen"]


def generate_reviews(
    *, venues: Iterable[Venue] | None = None, seed: int = 0, per_venue: tuple[int, int] = (0, 25),
    now: dt.datetime | None = None, update_search: bool = True, progress: Callable[[int], None] | None = None,
    bulk_load: bool = False,
) -> DemoReport:
    """Reviews for each venue (all published venues when venues is None), per_venue=(fewest, most) each.

    Returns counts and the time taken. Venues without staff or treatment
    services, and venues that already have reviews, are skipped. Pass
    update_search=False when the search index is rebuilt afterwards anyway
    (it reads Venue.rating_avg and review_count, which are always written).
    `progress(n)` is told after each chunk of n venues. bulk_load=True (the
    seed, for many venues) drops the written tables' secondary indexes and
    foreign keys for the load and puts them back at the end.
    """
    lo, hi = per_venue
    if not 0 <= lo <= hi <= 200:
        raise ValueError("per_venue must be (low, high) with 0 <= low <= high <= 200.")
    started = time.monotonic()
    today = (now or clock.now()).astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = (Venue.objects.filter(is_published=True) if venues is None
          else Venue.objects.filter(pk__in=[v.pk for v in venues]))
    report = DemoReport()
    with transaction.atomic():
        pool = demo_customers(seed, hi)
        demo_customer = User.objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
        restore = drop_for_load(REVIEW_TABLES, keep_unique=True) if bulk_load else []
        todo = list(qs.exclude(reviews__isnull=False).order_by("pk").values_list("pk", "slug", "name"))
        known = None
        if bulk_load:  # read and clear once for all, not per chunk (the tables grow without fresh statistics)
            known = existing_clients([row[0] for row in todo])
            delete_ratings([row[0] for row in todo])
        for chunk in _chunks(todo):
            _generate_chunk(chunk, seed=seed, per_venue=(lo, hi), today=today, now=now or clock.now(), pool=pool,
                            demo_customer=demo_customer, report=report, update_search=update_search,
                            known_clients=known)
            if progress is not None:
                progress(len(chunk))
        write_ratings(sorted(report.reviewed), now or clock.now(), update_search, delete_old=not bulk_load)
        restore_after_load(restore)
        if bulk_load:
            analyze(REVIEW_TABLES)
    report.seconds = time.monotonic() - started
    return report


def _chunks(items: list[tuple]) -> Iterator[list[tuple]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def demo_customers(seed: int, most: int) -> list[Person]:
    """A fixed pool of demo reviewers (created on first use, passwords unusable)."""
    size = max(POOL_SIZE, most * 4)
    emails = [f"reviewer{i:04d}@{DEMO_REVIEWER_DOMAIN}" for i in range(size)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    rng = random.Random(f"{seed}:people")
    missing = []
    for email in emails:
        if email not in existing:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            missing.append(User(email=email, name=name, password=make_password(None)))
    User.objects.bulk_create(missing, batch_size=500)
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [Person(users[e].pk, (users[e].name or "Guest").split()[0], users[e].name, e) for e in emails]


def _generate_chunk(
    chunk: list[tuple], *, seed: int, per_venue: tuple[int, int], today: dt.datetime, now: dt.datetime,
    pool: list[Person], demo_customer: User | None, report: DemoReport, update_search: bool,
    known_clients: dict[tuple[int, int], int] | None,
) -> None:
    venue_ids = [row[0] for row in chunk]
    offers, names, repliers = offers_by_venue(venue_ids), staff_first_names(venue_ids), repliers_by_venue(venue_ids)
    drafts: list[Draft] = []
    demo_venue = _demo_venue(chunk, offers) if demo_customer else None
    for venue_id, slug, name in chunk:
        if not offers.get(venue_id):
            report.skipped += 1
            continue
        rng = random.Random(f"{seed}:{slug}")
        count = per_venue[0] + int((per_venue[1] - per_venue[0] + 1) * rng.random() ** 1.3)
        count = min(count, per_venue[1])
        reserved: set[int] = set()
        if venue_id == demo_venue and demo_customer is not None:
            me = Person(demo_customer.pk, (demo_customer.name or "Guest").split()[0], demo_customer.name,
                        demo_customer.email)
            drafts += demo_customer_drafts(venue_id, offers[venue_id], me, today, now)
            reserved = set(DEMO_CUSTOMER_DAYS)
        drafts += plan_venue(rng, venue_id=venue_id, name=name, offers=offers[venue_id], staff_names=names, pool=pool,
                             count=count, today=today, now=now, can_reply=True, reserved_days=reserved)
        report.venues += 1
    write_visits(drafts, repliers, now, report, update_search, known_clients)


def _demo_venue(chunk: list[tuple], offers: dict[int, list[Offer]]) -> int | None:
    """The demo clinic when it is in this chunk (by its slug), else None."""
    return next((vid for vid, slug, _ in chunk if slug == DEMO_CLINIC_SLUG and offers.get(vid)), None)
