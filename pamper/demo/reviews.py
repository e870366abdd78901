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
from collections.abc import Callable, Iterable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from pamper.accounts.models import User
from pamper.bookings.models import Booking, BookingItem
from pamper.lib import clock
from pamper.reviews.models import Review, TreatmentRating, VenueRating
from pamper.venues.models import Client, Venue

from .parallel import can_fork
from .review_load import chunks, load_side_by_side
from .review_plan import DemoReport, Job, Person, plan_chunk
from .review_ratings import delete_ratings, write_aggregates, write_ratings
from .review_rows import existing_clients, write_visits
from .writer import analyze, drop_for_load, restore_after_load

CHUNK = 2000
PARALLEL_FROM = 3 * CHUNK  # fewer venues: worker processes would cost more than they save
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
    bulk_load: bool = False, meanwhile: Callable[[], None] | None = None,
) -> DemoReport:
    """Reviews for each venue (all published venues when venues is None), per_venue=(fewest, most) each.

    Returns counts and the time taken. Venues without staff or treatment
    services, and venues that already have reviews, are skipped. Pass
    update_search=False when the search index is rebuilt afterwards anyway
    (it reads Venue.rating_avg and review_count, which are always written).
    `progress(n)` is told after each chunk of n venues. bulk_load=True (the
    seed, for many venues) drops the written tables' secondary indexes and
    foreign keys for the load and puts them back at the end; on PostgreSQL
    outside a transaction it also plans and writes the chunks in worker
    processes and puts the indexes back from several connections (the same
    rows: each chunk's ids are reserved up front). `meanwhile()`, when given,
    runs once the ratings are written, while the indexes are being rebuilt
    (the seed rebuilds the search index then).
    """
    lo, hi = per_venue
    if not 0 <= lo <= hi <= 200:
        raise ValueError("per_venue must be (low, high) with 0 <= low <= high <= 200.")
    started = time.monotonic()
    now = now or clock.now()
    today = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = (Venue.objects.filter(is_published=True) if venues is None
          else Venue.objects.filter(pk__in=[v.pk for v in venues]))
    with transaction.atomic():
        user = User.objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
        me = Person(user.pk, (user.name or "Guest").split()[0], user.name, user.email) if user else None
        job = Job(seed, (lo, hi), today, now, demo_customers(seed, hi), me)
        todo = list(qs.exclude(reviews__isnull=False).order_by("pk").values_list("pk", "slug", "name"))
    progress = progress or (lambda _: None)
    if bulk_load and len(todo) >= PARALLEL_FROM and can_fork():
        report = load_side_by_side(todo, job, chunk=CHUNK, tables=REVIEW_TABLES, progress=progress,
                                   meanwhile=meanwhile)
    else:
        report = _load_here(todo, job, update_search=update_search, progress=progress, bulk_load=bulk_load)
        if meanwhile is not None:
            meanwhile()
    report.seconds = time.monotonic() - started
    return report


def _load_here(todo: list[tuple], job: Job, *, update_search: bool, progress: Callable[[int], None],
               bulk_load: bool) -> DemoReport:
    """Every chunk in this process and one transaction."""
    report = DemoReport()
    with transaction.atomic():
        restore = drop_for_load(REVIEW_TABLES, keep_unique=True) if bulk_load else []
        if bulk_load:  # read and clear once for all, not per chunk (the tables grow without fresh statistics)
            job.known_clients = existing_clients([row[0] for row in todo])
            delete_ratings([row[0] for row in todo])
        for chunk in chunks(todo, CHUNK):
            drafts, repliers = plan_chunk(chunk, job, report)
            reviewed = write_visits(drafts, repliers, report, job.known_clients)
            if connection.vendor != "postgresql":
                write_aggregates(reviewed, job.now, update_search, delete_old=not bulk_load)
            progress(len(chunk))
        write_ratings(sorted(report.reviewed), job.now, update_search, delete_old=not bulk_load)
        restore_after_load(restore)
        if bulk_load:
            analyze(REVIEW_TABLES)
    return report


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
