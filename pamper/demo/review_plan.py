"""What the demo reviews will be: each venue's offers, the visits drawn for it and their reviews, before ids exist.

Reads the venues' services, staff and admins in a few queries per chunk of
venues; the drawing itself is deterministic for a given random generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet

from pamper.accounts.models import ADMIN_ROLES, Membership
from pamper.reviews.models import first_name
from pamper.venues.models import Service, ServiceKind, Staff

from . import review_text as demo_text
from .accounts import DEMO_CLINIC_SLUG
from .rand import between, pick

HISTORY_DAYS = 540
# Timedeltas built once: a plan makes millions of them.
DAYS = [dt.timedelta(days=n) for n in range(HISTORY_DAYS + 1)]
HOURS = [dt.timedelta(hours=n) for n in range(24)]
MINUTES = {m: dt.timedelta(minutes=m) for m in (0, 15, 30, 45)}
LENGTHS = [dt.timedelta(minutes=m) for m in range(601)]
FIVE_MINUTES, ONE_MINUTE = dt.timedelta(minutes=5), dt.timedelta(minutes=1)
REPLY_CHANCE = {5: 0.1, 4: 0.12, 3: 0.35}
DEMO_CUSTOMER_DAYS = (4, 47)  # an attended visit still to review, and one reviewed


@dataclass
class DemoReport:
    venues: int = 0
    reviews: int = 0
    replies: int = 0
    skipped: int = 0
    seconds: float = 0.0
    reviewed: set[int] = field(default_factory=set, repr=False)  # venues given reviews (their ratings follow)


class Offer(NamedTuple):  # a named tuple: a chunk makes tens of thousands, and a frozen dataclass is slow to build
    service_id: int
    treatment_id: int
    treatment: str
    price: object
    currency: str
    minutes: int
    before: int
    after: int
    staff_ids: tuple[int, ...]


@dataclass(frozen=True)
class Person:
    user_id: int
    first: str
    name: str
    email: str


@dataclass(slots=True)
class Draft:
    """One planned visit and its review, before ids exist."""

    venue_id: int
    person: Person
    offer: Offer
    staff_id: int
    start: dt.datetime
    booked_at: dt.datetime
    review: demo_text.DemoReview | None
    reviewed_at: dt.datetime | None
    reply: str = ""
    replied_at: dt.datetime | None = None
    end: dt.datetime = field(init=False)  # start + the offer's minutes, read several times per visit

    def __post_init__(self) -> None:
        self.end = self.start + (LENGTHS[self.offer.minutes] if self.offer.minutes < len(LENGTHS)
                                 else dt.timedelta(minutes=self.offer.minutes))


@dataclass
class Job:
    """What every chunk of one reviews run shares (forked workers get it as it stands when they start)."""

    seed: int
    per_venue: tuple[int, int]
    today: dt.datetime
    now: dt.datetime
    pool: list[Person]
    demo_customer: Person | None
    known_clients: dict[tuple[int, int], int] | None = None  # a bulk load's clients, read once up front


def venue_rng(seed: int, slug: str) -> random.Random:
    """The random generator of one venue's visits: the same seed and slug give the same visits."""
    return random.Random(f"{seed}:{slug}")


def draw_count(rng: random.Random, per_venue: tuple[int, int]) -> int:
    """How many visits a venue gets (its generator's first draw): mostly few, sometimes up to the most."""
    low, high = per_venue
    return min(low + int((high - low + 1) * rng.random() ** 1.3), high)


def most_visits(chunk: list[tuple], job: Job) -> int:
    """An upper bound of the visits plan_chunk draws for this chunk of (id, slug, name) venues (exact when every
    venue has offers): the ids a parallel load reserves for it."""
    demo = 2 if job.demo_customer and any(slug == DEMO_CLINIC_SLUG for _, slug, _ in chunk) else 0
    return demo + sum(draw_count(venue_rng(job.seed, slug), job.per_venue) for _, slug, _ in chunk)


def plan_chunk(chunk: list[tuple], job: Job, report: DemoReport) -> tuple[list[Draft], dict[int, int]]:
    """The visits of a chunk of (id, slug, name) venues, and each venue's replier; counts skipped and planned
    venues in `report`. Venues without a bookable treatment and staff are skipped."""
    venue_ids = [row[0] for row in chunk]
    offers, names, repliers = offers_by_venue(venue_ids), staff_first_names(venue_ids), repliers_by_venue(venue_ids)
    demo_venue = next((vid for vid, slug, _ in chunk if slug == DEMO_CLINIC_SLUG and offers.get(vid)), None)
    drafts: list[Draft] = []
    for venue_id, slug, name in chunk:
        if not offers.get(venue_id):
            report.skipped += 1
            continue
        rng = venue_rng(job.seed, slug)
        count = draw_count(rng, job.per_venue)
        reserved: set[int] = set()
        if venue_id == demo_venue and job.demo_customer is not None:
            drafts += demo_customer_drafts(venue_id, offers[venue_id], job.demo_customer, job.today, job.now)
            reserved = set(DEMO_CUSTOMER_DAYS)
        drafts += plan_venue(rng, venue_id=venue_id, name=name, offers=offers[venue_id], staff_names=names,
                             pool=job.pool, count=count, today=job.today, now=job.now, can_reply=True,
                             reserved_days=reserved)
        report.venues += 1
    return drafts, repliers


def fetch(rows: QuerySet) -> list[tuple]:
    """The rows of a values_list query; on PostgreSQL straight from the driver, which returns the right types
    already (Django's conversion per row and field costs more than the query there)."""
    if connection.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def offers_by_venue(venue_ids: list[int]) -> dict[int, list[Offer]]:
    """Active treatment services without a clinical pathway per venue, with the staff who give them (any active
    staff when none is linked)."""
    staff_by_venue: dict[int, list[int]] = defaultdict(list)
    working = Staff.objects.filter(venue_id__in=venue_ids, is_active=True).order_by("position", "pk")
    for sid, vid in fetch(working.values_list("pk", "venue_id")):
        staff_by_venue[vid].append(sid)
    active = {sid for ids in staff_by_venue.values() for sid in ids}
    services = Service.objects.filter(venue_id__in=venue_ids, is_active=True, kind=ServiceKind.TREATMENT)
    # A visit for a treatment with a clinical pathway (consultation, patch test) would need that pathway's
    # records too; the demo's past visits are the ordinary treatments, so none contradicts the rules.
    services = services.filter(treatment__consultation_required=False, treatment__patch_test_lead_hours__isnull=True)
    rows = fetch(services.order_by("position", "pk").values_list(
        "pk", "venue_id", "treatment_id", "treatment__name", "price", "currency", "duration_minutes", "buffer_before",
        "buffer_after",
    ))
    givers: dict[int, list[int]] = defaultdict(list)
    if rows:
        # Links read by a range of service ids (index range scan; the seed numbers a venue's services in a row),
        # then kept for these services: a join on the venues made PostgreSQL scan every link per chunk.
        wanted = {row[0] for row in rows}
        link = Staff.services.through.objects.filter(service_id__gte=min(wanted), service_id__lte=max(wanted))
        link = link.order_by("staff_id")
        for staff_id, service_id in fetch(link.values_list("staff_id", "service_id")):
            if staff_id in active and service_id in wanted:
                givers[service_id].append(staff_id)
    offers: dict[int, list[Offer]] = defaultdict(list)
    for row in rows:
        staff = tuple(givers.get(row[0]) or staff_by_venue.get(row[1]) or ())
        if staff:
            offers[row[1]].append(Offer(row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], staff))
    return offers


def staff_first_names(venue_ids: list[int]) -> dict[int, str]:
    names = fetch(Staff.objects.filter(venue_id__in=venue_ids).values_list("pk", "name"))
    return {pk: first_name(name) for pk, name in names}


def repliers_by_venue(venue_ids: list[int]) -> dict[int, int]:
    admins = Membership.objects.filter(venue_id__in=venue_ids, role__in=ADMIN_ROLES).order_by("pk")
    rows = admins.values_list("venue_id", "user_id")
    found: dict[int, int] = {}
    for vid, uid in rows:
        found.setdefault(vid, uid)
    return found


def plan_venue(
    rng: random.Random, *, venue_id: int, name: str, offers: list[Offer], staff_names: dict[int, str],
    pool: list[Person], count: int, today: dt.datetime, now: dt.datetime, can_reply: bool, reserved_days: set[int],
) -> list[Draft]:
    quality = min(4.9, max(2.2, rng.gauss(4.25, 0.45)))
    drawn = rng.sample(range(1, HISTORY_DAYS), k=count + len(reserved_days))
    days = [d for d in drawn if d not in reserved_days][:count]
    drafts = []
    latest_review, latest_reply = now - FIVE_MINUTES, now - ONE_MINUTE
    for person, days_ago in zip(rng.sample(pool, k=count), days, strict=True):
        offer = pick(rng, offers)
        staff_id = pick(rng, offer.staff_ids)
        start = today - DAYS[days_ago] + HOURS[between(rng, 9, 16)] + MINUTES[pick(rng, (0, 15, 30, 45))]
        staff = staff_names.get(staff_id, "")
        review = demo_text.write_review(rng, overall=demo_text.draw_overall(rng, quality), treatment=offer.treatment,
                                        staff=staff, venue=name)
        draft = Draft(venue_id, person, offer, staff_id, start, start - DAYS[between(rng, 1, 21)], review, None)
        draft.reviewed_at = reviewed_at = min(draft.end + dt.timedelta(hours=2 + 238 * rng.random()), latest_review)
        if can_reply and rng.random() < REPLY_CHANCE.get(review.overall, 0.6):
            draft.reply = demo_text.write_reply(rng, overall=review.overall, customer_first_name=person.first,
                                                treatment=offer.treatment, staff=staff)
            draft.replied_at = min(reviewed_at + dt.timedelta(hours=3 + 93 * rng.random()), latest_reply)
        drafts.append(draft)
    return drafts


def demo_customer_drafts(venue_id: int, offers: list[Offer], person: Person, today: dt.datetime,
                         now: dt.datetime) -> list[Draft]:
    """The demo login's own visits: one reviewed, one waiting for a review (so the demo shows the form)."""
    offer = offers[0]
    recent, older = (today - dt.timedelta(days=d) + dt.timedelta(hours=11) for d in DEMO_CUSTOMER_DAYS)
    review = demo_text.DemoReview(5, 5, 5, 5, 4,
                                  "Clear explanations before anything started, and the results are lovely. I've booked "
                                  "again.")
    end = older + dt.timedelta(minutes=offer.minutes)
    return [
        Draft(venue_id, person, offer, offer.staff_ids[0], recent, recent - dt.timedelta(days=10), None, None),
        Draft(venue_id, person, offer, offer.staff_ids[0], older, older - dt.timedelta(days=7), review,
              min(end + dt.timedelta(days=1), now)),
    ]
