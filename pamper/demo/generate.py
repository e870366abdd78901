"""Generate N demo venues deterministically from a seed, and the demo logins and clinic.

Venue i draws everything from its own random generator seeded with (seed, i),
so the same N and seed give the same venues, services and staff. Dates ahead
(closures, time off) are counted from the day the seed runs.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from pamper.catalog.models import Treatment
from pamper.lib.money import COUNTRY_CURRENCY
from pamper.venues.actions import slug_base
from pamper.venues.models import Closure, Resource, Service, Staff, TimeOff, Venue

from . import locale, offer, schedule, texts
from .accounts import ensure_demo_clinic, ensure_demo_users
from .parallel import can_fork
from .places import City, pick_city, scatter
from .rand import take
from .showcase import showcase_city, with_featured
from .venue_finish import finish_side_by_side
from .writer import BulkWriter, bulk_load_mode, check_references

PROGRESS_STEP = 500
CAPITAL_PREMIUM = frozenset({"London", "Paris", "Dublin", "Amsterdam"})


@dataclass
class SeedReport:
    venues: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def catalogue_treatments() -> list[offer.TreatmentInfo]:
    """Every catalogue treatment as plain data for the pure generator."""
    out = []
    for t in Treatment.objects.select_related("category").order_by("slug"):
        variants = tuple(v if isinstance(v, str) else str(v.get("slug") or v.get("name")) for v in t.variants or [])
        synonyms = " ".join(s for s in t.synonyms or [] if isinstance(s, str))
        out.append(offer.TreatmentInfo(
            id=t.id, slug=t.slug, name=t.name, category=t.category.slug, session_minutes=t.session_minutes,
            price_from=t.price_from, price_to=t.price_to, variants=variants,
            consultation_required=t.consultation_required, patch_test=t.patch_test_lead_hours is not None,
            words=offer.words_of(t.slug.replace("-", " "), t.name, synonyms),
        ))
    return out


class VenueGenerator:
    """Writes one venue with everything it has, from its own random generator."""

    def __init__(self, *, seed: int, treatments: list[offer.TreatmentInfo], now: dt.datetime, writer: BulkWriter,
                 taken_slugs: set[str]) -> None:
        self.seed, self.now, self.writer, self.taken = seed, now, writer, taken_slugs
        self.treatments, self.menu = treatments, offer.menu_index(treatments)
        writer.desks((kind, t.id, offer.desk_for(kind, t)) for kind in offer.KINDS for t in treatments)
        self.adapt = writer.adapt
        self.created_at = self.adapt.datetime(now)
        self._zones: dict[str, tuple[zoneinfo.ZoneInfo, dt.date]] = {}
        self._slug_bases: dict[tuple[str, str], str] = {}
        self._instants: dict[dt.datetime, object] = {}
        self.taken_names: set[str] = set()

    def zone(self, name: str) -> tuple[zoneinfo.ZoneInfo, dt.date]:
        """The ZoneInfo and today's local date there (cached per zone)."""
        if name not in self._zones:
            tz = zoneinfo.ZoneInfo(name)
            self._zones[name] = (tz, self.now.astimezone(tz).date())
        return self._zones[name]

    def instant(self, value: dt.datetime) -> object:
        """An aware datetime as the driver wants it (the same few instants recur, so cached)."""
        if value not in self._instants:
            self._instants[value] = self.adapt.datetime(value)
        return self._instants[value]

    def slug(self, name: str, city: str) -> str:
        """A slug no other venue has: the name and city, then -2, -3 ... (names repeat, so bases are cached)."""
        key = (name, city)
        base = self._slug_bases.get(key) or self._slug_bases.setdefault(key, slug_base(name, city))
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug

    def venue(self, index: int) -> None:
        rng = random.Random(self.seed * 2**32 + index)
        showcase = showcase_city(index)  # the first few: clinics the searches people try first find (showcase.py)
        city = showcase or pick_city(rng)
        kind = "clinic" if showcase else rng.choices(offer.KINDS, weights=offer.KIND_WEIGHTS)[0]
        factor = offer.price_factor(rng, city.country, city.population, city.name in CAPITAL_PREMIUM)
        offered = offer.draw_treatments(rng, kind, self.menu)
        if showcase:
            offered = with_featured(offered, self.treatments)
        services = offer.build_services(rng, kind, city.country, factor, offered)
        venue_id = self.write_venue(rng, city, kind, services)
        self.write_services(rng, venue_id, COUNTRY_CURRENCY[city.country], services)
        week = schedule.opening_hours(rng, city.country, kind)
        self.writer.add_temp("pamper_seed_venue_week", (venue_id, self.writer.week(week)))
        tz, today = self.zone(city.timezone)
        for start, end, reason in schedule.closures(rng, city.country, today):
            self.writer.add(Closure, (venue_id, self.adapt.date(start), self.adapt.date(end), reason))
        for position, member in enumerate(offer.build_staff(rng, kind, services)):
            self.write_staff(rng, venue_id, city, member, position, week, tz, today)
        self.writer.maybe_flush()

    def unique_name(self, rng: random.Random, city: City, kind: str, lang: str) -> str:
        """A venue name no other demo venue has: drawn again a few times, then told apart by its area or a
        number, as a second shop of a name is ('London Hair Rooms Islington')."""
        name = locale.venue_name(rng, city, kind, lang)
        for _ in range(5):
            if name.casefold() not in self.taken_names:
                break
            name = locale.venue_name(rng, city, kind, lang)
        base, n = name, 1
        while name.casefold() in self.taken_names:
            n += 1
            name = f"{base} {city.district}" if n == 2 and city.district else f"{base} {n}"
        self.taken_names.add(name.casefold())
        return name

    def write_venue(self, rng: random.Random, city: City, kind: str, services: list[offer.ServiceDraft]) -> int:
        lang = locale.language(rng, city)
        name = self.unique_name(rng, city, kind, lang)
        slug = self.slug(name, city.name)
        latitude, longitude = scatter(rng, city)
        treatments = [s.name for s in services if s.kind == "treatment"]
        area = f"{city.district}, {city.name}" if city.district else city.name
        about = texts.description(rng, kind, area, take(rng, treatments, min(2, len(treatments))))
        clinic = kind == "clinic"
        venue_id = self.writer.next_id(Venue)
        address = locale.street_address(rng, city, lang)
        self.writer.add(Venue, (
            venue_id, name, slug, kind, about, address, city.name, locale.postcode(rng, city, address), city.country,
            latitude, longitude, city.timezone,
            COUNTRY_CURRENCY[city.country], locale.phone(rng, city), f"hello@{slug[:40].strip('-')}.example.com",
            True, 15, 120 if clinic else 60, 60, 48 if clinic else 24, True, 24, False, 0, self.created_at, lang,
        ))
        return venue_id

    def write_services(self, rng: random.Random, venue_id: int, currency: str,
                       services: list[offer.ServiceDraft]) -> None:
        device = None
        if any(s.uses_device for s in services):
            device = self.writer.next_id(Resource)
            self.writer.add(Resource, (device, venue_id, "Laser", "device"))
        for position, s in enumerate(services):
            service_id = self.writer.next_id(Service)
            bookable = s.kind == "consultation" or rng.random() < 0.97
            self.writer.add(Service, (
                service_id, venue_id, s.treatment.id, s.kind, s.name, "", s.variant, self.adapt.decimal(s.price),
                currency, s.duration, s.buffer_before, s.buffer_after, device if s.uses_device else None, bookable,
                True, position,
            ))

    def write_staff(self, rng: random.Random, venue_id: int, city: City, member: offer.StaffDraft, position: int,
                    week: schedule.Week, tz: zoneinfo.ZoneInfo, today: dt.date) -> None:
        first, last = locale.person(rng, city.country, member.woman)
        name = f"{first} {last}"
        title = member.title
        if member.doctor:
            name, title = f"{locale.doctor_title(city.country, member.woman)} {name}", "Aesthetic doctor"
        staff_id = self.writer.next_id(Staff)
        self.writer.add(Staff, (staff_id, venue_id, name, title, "", True, position))
        for desk in member.desks:
            self.writer.add_temp("pamper_seed_staff_desk", (staff_id, venue_id, desk))
        shifts = schedule.staff_shifts(rng, week, lead=position == 0)
        self.writer.add_temp("pamper_seed_staff_week", (staff_id, self.writer.week(shifts)))
        for start, end, reason in schedule.time_off(rng, today, tz):
            self.writer.add(TimeOff, (staff_id, self.instant(start), self.instant(end), reason))


def seed_demo(*, venues: int, seed: int, now: dt.datetime, log: Callable[[str], None] = lambda _: None,
              progress: Callable[[int], None] = lambda _: None) -> SeedReport:
    """The demo logins and Pamper Demo Clinic, then venues-1 generated venues in one transaction.

    On PostgreSQL outside a transaction, the load's end (hours, shifts and
    links expanded, indexes, keys, statistics) runs after that transaction
    commits, on several connections at once (venue_finish.py).
    Expects the catalogue loaded and no other venues (the caller checks).
    `progress(n)` is told each time n more venues are generated.
    """
    started = time.monotonic()
    treatments = catalogue_treatments()
    if not treatments:
        raise ValueError("The catalogue has no treatments: run `pamper load_catalog` first.")
    with transaction.atomic():
        clinic = ensure_demo_clinic(ensure_demo_users())
    side_by_side = can_fork()  # PostgreSQL outside a transaction: the load's end runs on several connections
    with bulk_load_mode(), transaction.atomic():
        writer = BulkWriter(shared_scratch=side_by_side)
        generator = VenueGenerator(seed=seed, treatments=treatments, now=now, writer=writer,
                                   taken_slugs=set(Venue.objects.values_list("slug", flat=True)) | {clinic.slug})
        generator.taken_names |= {n.casefold() for n in Venue.objects.values_list("name", flat=True)}
        progress(1)  # the demo clinic
        for index in range(1, venues):
            generator.venue(index)
            if index % PROGRESS_STEP == 0:
                progress(PROGRESS_STEP)
        progress((venues - 1) % PROGRESS_STEP)
        log(f"  {venues - 1:,} venues generated ({time.monotonic() - started:.1f} s)")
        if side_by_side:
            writer.flush()
            writer.move_sequences()
        else:
            written = writer.finish()
            check_references()
    if side_by_side:
        written = finish_side_by_side(writer)
    log(f"  hours, shifts and staff links expanded, indexes built ({time.monotonic() - started:.1f} s)")
    rows = {table.removeprefix("venues_").replace("_", " "): count for table, count in written.items()}
    return SeedReport(venues=Venue.objects.count(), rows=rows, seconds=time.monotonic() - started)
