"""Demo reviews: attended past visits by demo customers, reviews written by demo_text, a few replies.

`generate_reviews()` is called by the venues seed after the venues exist. It
works in bulk (a fixed number of queries per 2,000 venues), is deterministic
for the same seed, venue slugs and day (visit dates count back from today),
skips venues that already have reviews (so running it twice adds nothing),
and leaves every aggregate as reviews.actions would.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from pamper.accounts.models import ADMIN_ROLES, Membership, User
from pamper.bookings.models import Booking, BookingItem, Source, Status
from pamper.lib import clock
from pamper.reviews import ratings
from pamper.reviews.models import Kind, Review, TreatmentRating, VenueRating, first_name
from pamper.search.index import set_ratings
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

from . import review_text as demo_text
from .accounts import DEMO_CLINIC_SLUG

CHUNK = 2000
POOL_SIZE = 800
HISTORY_DAYS = 540
DEMO_CUSTOMER_EMAIL = "customer@example.com"
DEMO_REVIEWER_DOMAIN = "demo.pamper.example"  # every demo reviewer's address ends in @ this (a reserved name)
DEMO_CUSTOMER_DAYS = (4, 47)  # an attended visit still to review, and one reviewed

FIRST_NAMES = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Sophie", "Grace", "Freya", "Chloe", "Ella", "Emily", "Poppy", "Zara", "Aisha", "Priya", "Nadia", "Leila", "Hana", "Sofia", "Lucia", "Elena", "Marta", "Giulia", "Chiara", "Anna", "Lena", "Clara", "Ines", "Camille", "Manon", "Julie", "Eva", "Noor", "Fatima", "Maya", "Ruby", "Rosa", "Jack", "Oliver", "Harry", "Leo", "Noah", "Arjun", "Omar", "Yusuf", "Luca", "Marco", "Hugo", "Lucas", "Jonas", "Finn", "Daniel", "Tom", "Sam", "Ben", "Kwame", "Tariq"]
LAST_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Khan", "Patel", "Shah", "Ali", "Hussain", "Murphy", "Kelly", "Byrne", "Walsh", "Rossi", "Russo", "Bianchi", "Garcia", "Martinez", "Lopez", "Fernandez", "Muller", "Schmidt", "Fischer", "Weber", "Dubois", "Martin", "Bernard", "Petit", "Jansen", "Visser", "Bakker", "Nowak", "Kowalski", "Novak", "Silva", "Santos", "Costa", "Okafor", "Mensah", "Adeyemi", "Cohen", "Levi", "Nguyen", "Chen"]


@dataclass
class DemoReport:
    venues: int = 0
    reviews: int = 0
    replies: int = 0
    skipped: int = 0
    seconds: float = 0.0
    texts: set[str] = field(default_factory=set, repr=False)


@dataclass(frozen=True)
class Offer:
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


def generate_reviews(
    *, venues: Iterable[Venue] | None = None, seed: int = 0, per_venue: tuple[int, int] = (0, 25), now: dt.datetime | None = None,
    update_search: bool = True,
) -> DemoReport:
    """Reviews for each venue (all published venues when venues is None), per_venue=(fewest, most) each.

    Returns counts and the time taken. Venues without staff or treatment
    services, and venues that already have reviews, are skipped. Pass
    update_search=False when the search index is rebuilt afterwards anyway
    (it reads Venue.rating_avg and review_count, which are always written).
    """
    lo, hi = per_venue
    if not 0 <= lo <= hi <= 200:
        raise ValueError("per_venue must be (low, high) with 0 <= low <= high <= 200.")
    started = time.monotonic()
    today = (now or clock.now()).astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = Venue.objects.filter(is_published=True) if venues is None else Venue.objects.filter(pk__in=[v.pk for v in venues])
    report = DemoReport()
    with transaction.atomic():
        pool = demo_customers(seed, hi)
        demo_customer = User.objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
        for chunk in _chunks(qs.exclude(reviews__isnull=False).order_by("pk").values_list("pk", "slug", "name")):
            _generate_chunk(chunk, seed=seed, per_venue=(lo, hi), today=today, now=now or clock.now(), pool=pool,
                            demo_customer=demo_customer, report=report, update_search=update_search)
    report.seconds = time.monotonic() - started
    return report


def _chunks(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    items = list(rows)  # read every id first: no open cursor while writing
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


def _offers(venue_ids: list[int]) -> dict[int, list[Offer]]:
    """Active treatment services per venue with the staff who give them (any active staff when none is linked)."""
    staff_by_venue: dict[int, list[int]] = defaultdict(list)
    for sid, vid in Staff.objects.filter(venue_id__in=venue_ids, is_active=True).order_by("position", "pk").values_list("pk", "venue_id"):
        staff_by_venue[vid].append(sid)
    active = {sid for ids in staff_by_venue.values() for sid in ids}
    givers: dict[int, list[int]] = defaultdict(list)
    link = Staff.services.through.objects.filter(service__venue_id__in=venue_ids).order_by("staff_id")
    for staff_id, service_id in link.values_list("staff_id", "service_id"):
        if staff_id in active:
            givers[service_id].append(staff_id)
    offers: dict[int, list[Offer]] = defaultdict(list)
    services = Service.objects.filter(venue_id__in=venue_ids, is_active=True, kind=ServiceKind.TREATMENT).order_by("position", "pk")
    for row in services.values_list(
        "pk", "venue_id", "treatment_id", "treatment__name", "price", "currency", "duration_minutes", "buffer_before", "buffer_after"
    ):
        staff = tuple(givers.get(row[0]) or staff_by_venue.get(row[1]) or ())
        if staff:
            offers[row[1]].append(Offer(row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], staff))
    return offers


def _staff_first_names(venue_ids: list[int]) -> dict[int, str]:
    return {pk: first_name(name) for pk, name in Staff.objects.filter(venue_id__in=venue_ids).values_list("pk", "name")}


def _repliers(venue_ids: list[int]) -> dict[int, int]:
    rows = Membership.objects.filter(venue_id__in=venue_ids, role__in=ADMIN_ROLES).order_by("pk").values_list("venue_id", "user_id")
    found: dict[int, int] = {}
    for vid, uid in rows:
        found.setdefault(vid, uid)
    return found


@dataclass
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

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.offer.minutes)


def _plan_venue(
    rng: random.Random, *, venue_id: int, name: str, offers: list[Offer], staff_names: dict[int, str], pool: list[Person],
    count: int, today: dt.datetime, now: dt.datetime, can_reply: bool, reserved_days: set[int],
) -> list[Draft]:
    quality = min(4.9, max(2.2, rng.gauss(4.25, 0.45)))
    days = [d for d in rng.sample(range(1, HISTORY_DAYS), k=count + len(reserved_days)) if d not in reserved_days][:count]
    drafts = []
    for person, days_ago in zip(rng.sample(pool, k=count), days, strict=True):
        offer = rng.choice(offers)
        staff_id = rng.choice(offer.staff_ids)
        start = today - dt.timedelta(days=days_ago) + dt.timedelta(hours=rng.randint(9, 16), minutes=rng.choice((0, 15, 30, 45)))
        staff = staff_names.get(staff_id, "")
        review = demo_text.write_review(rng, overall=demo_text.draw_overall(rng, quality), treatment=offer.treatment, staff=staff, venue=name)
        end = start + dt.timedelta(minutes=offer.minutes)
        reviewed_at = min(end + dt.timedelta(hours=rng.uniform(2, 240)), now - dt.timedelta(minutes=5))
        draft = Draft(venue_id, person, offer, staff_id, start, start - dt.timedelta(days=rng.randint(1, 21)), review, reviewed_at)
        if can_reply and rng.random() < {5: 0.1, 4: 0.12, 3: 0.35}.get(review.overall, 0.6):
            draft.reply = demo_text.write_reply(rng, overall=review.overall, customer_first_name=person.first, treatment=offer.treatment, staff=staff)
            draft.replied_at = min(reviewed_at + dt.timedelta(hours=rng.uniform(3, 96)), now - dt.timedelta(minutes=1))
        drafts.append(draft)
    return drafts


def _demo_customer_drafts(venue_id: int, offers: list[Offer], person: Person, today: dt.datetime, now: dt.datetime) -> list[Draft]:
    """The demo login's own visits: one reviewed, one waiting for a review (so the demo shows the form)."""
    offer = offers[0]
    recent, older = (today - dt.timedelta(days=d) + dt.timedelta(hours=11) for d in DEMO_CUSTOMER_DAYS)
    review = demo_text.DemoReview(5, 5, 5, 5, 4, "Clear explanations before anything started, and the results are lovely. I've booked again.")
    end = older + dt.timedelta(minutes=offer.minutes)
    return [
        Draft(venue_id, person, offer, offer.staff_ids[0], recent, recent - dt.timedelta(days=10), None, None),
        Draft(venue_id, person, offer, offer.staff_ids[0], older, older - dt.timedelta(days=7), review, min(end + dt.timedelta(days=1), now)),
    ]


def _generate_chunk(
    chunk: list[tuple], *, seed: int, per_venue: tuple[int, int], today: dt.datetime, now: dt.datetime, pool: list[Person],
    demo_customer: User | None, report: DemoReport, update_search: bool,
) -> None:
    venue_ids = [row[0] for row in chunk]
    offers, names, repliers = _offers(venue_ids), _staff_first_names(venue_ids), _repliers(venue_ids)
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
            me = Person(demo_customer.pk, (demo_customer.name or "Guest").split()[0], demo_customer.name, demo_customer.email)
            drafts += _demo_customer_drafts(venue_id, offers[venue_id], me, today, now)
            reserved = set(DEMO_CUSTOMER_DAYS)
        drafts += _plan_venue(rng, venue_id=venue_id, name=name, offers=offers[venue_id], staff_names=names, pool=pool, count=count,
                              today=today, now=now, can_reply=True, reserved_days=reserved)
        report.venues += 1
    _write(drafts, repliers, now, report, update_search)


def _demo_venue(chunk: list[tuple], offers: dict[int, list[Offer]]) -> int | None:
    """The demo clinic when it is in this chunk (by its slug), else None."""
    return next((vid for vid, slug, _ in chunk if slug == DEMO_CLINIC_SLUG and offers.get(vid)), None)


class Rows:
    """Plain-tuple inserts with executemany: building a model instance per row costs more than the insert."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        quote = connection.ops.quote_name
        # Columns other parts add later get their model default, so a new field does not break the seed.
        others = [f for f in model._meta.concrete_fields if f.column not in columns and not f.primary_key]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        names = [*columns, *(f.column for f in others)]
        table, cols = quote(model._meta.db_table), ", ".join(quote(c) for c in names)
        self.sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({cols}) FROM STDIN"

    def insert(self, rows: list[tuple]) -> None:
        """Write the rows: COPY on PostgreSQL (one round trip, not one per row), executemany on SQLite."""
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + self.defaults)
                return
            for i in range(0, len(rows), 5000):
                cursor.executemany(self.sql, [row + self.defaults for row in rows[i : i + 5000]])


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """count fresh primary keys: from the sequence on PostgreSQL; above the maximum on SQLite (whose write lock we hold)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def _sqlite_time(value: dt.datetime | None) -> object:
    """A datetime as Django stores it on SQLite: naive UTC text."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _same(value: dt.datetime | None) -> object:
    return value


def _when_adapter() -> Callable[[dt.datetime | None], object]:
    """The datetime adapter for this database, looked up once (the connection proxy is slow per call)."""
    return _sqlite_time if connection.vendor == "sqlite" else _same


def _clients(drafts: list[Draft]) -> dict[tuple[int, int], int]:
    """Client ids per (venue, user), creating the missing client records."""
    pairs = {(d.venue_id, d.person.user_id): d.person for d in drafts}
    found = {
        (vid, uid): pk
        for pk, vid, uid in Client.objects.filter(venue_id__in={v for v, _ in pairs}, user_id__in={u for _, u in pairs})
        .values_list("pk", "venue_id", "user_id")
    }
    missing = [(key, person) for key, person in pairs.items() if key not in found]
    ids = reserve_ids(Client, len(missing))
    created = _when_adapter()(clock.now())
    rows = []
    for pk, ((vid, uid), person) in zip(ids, missing, strict=True):
        found[(vid, uid)] = pk
        rows.append((pk, vid, uid, person.name, person.email, "", "", created))
    Rows(Client, ("id", "venue_id", "user_id", "name", "email", "phone", "notes", "created_at")).insert(rows)
    return found


BOOKING_COLUMNS = ("id", "venue_id", "client_id", "customer_id", "status", "source", "start", "end", "total_price", "currency",
                   "notes", "cancel_reason", "created_at", "updated_at")
ITEM_COLUMNS = ("booking_id", "venue_id", "service_id", "staff_id", "position", "start", "end", "busy_start", "busy_end",
                "price", "currency", "active")
REVIEW_COLUMNS = ("venue_id", "booking_id", "customer_id", "treatment_id", "staff_id", "kind", "sessions", "overall", "ambience",
                  "cleanliness", "staff_rating", "value", "text", "visited_at", "created_at", "reply_text", "replied_at",
                  "replied_by_id", "hidden_reason")


def _write(drafts: list[Draft], repliers: dict[int, int], now: dt.datetime, report: DemoReport, update_search: bool) -> None:
    clients = _clients(drafts)
    ids = reserve_ids(Booking, len(drafts))
    when = _when_adapter()
    bookings, items, reviews = [], [], []
    for pk, d in zip(ids, drafts, strict=True):
        start, end, price = when(d.start), when(d.end), d.offer.price
        bookings.append((pk, d.venue_id, clients[(d.venue_id, d.person.user_id)], d.person.user_id, Status.ATTENDED.value,
                         Source.ONLINE.value, start, end, price, d.offer.currency, "", "", when(d.booked_at), end))
        items.append((pk, d.venue_id, d.offer.service_id, d.staff_id, 0, start, end,
                      when(d.start - dt.timedelta(minutes=d.offer.before)), when(d.end + dt.timedelta(minutes=d.offer.after)),
                      price, d.offer.currency, True))
        if d.review is not None:
            reviews.append(_review_row(d, pk, repliers, when))
    Rows(Booking, BOOKING_COLUMNS).insert(bookings)
    Rows(BookingItem, ITEM_COLUMNS).insert(items)
    Rows(Review, REVIEW_COLUMNS).insert(reviews)
    report.reviews += len(reviews)
    report.replies += sum(1 for d in drafts if d.replied_at)
    report.texts.update(d.review.text for d in drafts if d.review and d.review.text)
    _write_aggregates([d for d in drafts if d.review is not None], now, update_search)


def _review_row(d: Draft, booking_id: int, repliers: dict[int, int], when: Callable[[dt.datetime | None], object]) -> tuple:
    r = d.review
    assert r is not None
    return (d.venue_id, booking_id, d.person.user_id, d.offer.treatment_id, d.staff_id, Kind.VISIT.value, 1, r.overall,
            r.ambience, r.cleanliness, r.staff, r.value, r.text, when(d.end), when(d.reviewed_at), d.reply,
            when(d.replied_at), repliers.get(d.venue_id) if d.replied_at else None, "")


STAR_COLUMNS = ("count", "avg", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5", "updated_at")


def _write_aggregates(drafts: list[Draft], now: dt.datetime, update_search: bool) -> None:
    """Venue and treatment ratings for the venues just reviewed, the Venue columns, the search rows."""
    by_venue: dict[int, list[Draft]] = defaultdict(list)
    for d in drafts:
        by_venue[d.venue_id].append(d)
    venue_ids = list(by_venue)
    VenueRating.objects.filter(venue_id__in=venue_ids).delete()
    TreatmentRating.objects.filter(venue_id__in=venue_ids).delete()
    venue_rows, treatment_rows, venue_updates = [], [], []
    stamp = _when_adapter()(now)
    summaries = {vid: ratings.summarise(_rated(items)) for vid, items in by_venue.items()}
    for vid, items in by_venue.items():
        s = summaries[vid]
        aspects = tuple(s.aspects[a] for a in ("ambience", "cleanliness", "staff", "value"))
        venue_rows.append((vid, *_counts(s), stamp, s.recent_avg, *aspects))
        venue_updates.append((s.avg, s.count, vid))
        per_treatment: dict[int, list[Draft]] = defaultdict(list)
        for d in items:
            per_treatment[d.offer.treatment_id].append(d)
        for tid, rows in per_treatment.items():
            treatment_rows.append((vid, tid, *_counts(ratings.summarise(_rated(rows))), stamp))
    Rows(VenueRating, ("venue_id", *STAR_COLUMNS, "recent_avg", "ambience_avg", "cleanliness_avg", "staff_avg", "value_avg")).insert(venue_rows)
    Rows(TreatmentRating, ("venue_id", "treatment_id", *STAR_COLUMNS)).insert(treatment_rows)
    _update_venues(venue_updates)
    if update_search:
        _push_all([(vid, s.avg, s.count) for vid, s in summaries.items()])


def _update_venues(rows: list[tuple]) -> None:
    """Set Venue.rating_avg and review_count from (avg, count, id) rows; one statement per 1,000 on PostgreSQL."""
    table = connection.ops.quote_name(Venue._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(f"UPDATE {table} SET rating_avg = %s, review_count = %s WHERE id = %s", rows)  # noqa: S608
            return
        for i in range(0, len(rows), 1000):
            batch = rows[i : i + 1000]
            values = ", ".join(["(%s::numeric, %s::integer, %s::bigint)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS v SET rating_avg = d.avg, review_count = d.n "  # noqa: S608
                f"FROM (VALUES {values}) AS d(avg, n, id) WHERE v.id = d.id",
                [x for row in batch for x in row],
            )


def _push_all(rows: list[tuple[int, object, int]]) -> None:
    """Copy ratings to the search rows in one call."""
    set_ratings(rows)


def _rated(drafts: list[Draft]) -> list[ratings.RatedVisit]:
    return [
        ratings.RatedVisit(r.overall, d.end, r.ambience, r.cleanliness, r.staff, r.value)
        for d in drafts if (r := d.review) is not None
    ]


def _counts(s: ratings.Summary) -> tuple:
    return (s.count, s.avg, *(s.stars[n] for n in range(1, 6)))
