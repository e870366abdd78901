"""Generate N demo venues deterministically from a seed, and the demo logins and clinic.

Venue i draws everything from its own random generator seeded with (seed, i),
and its name from another (name_rng), so the same N and seed give the same
venues, services and staff, ids included, whether drawn in this process or
by forked workers (seed_demo). Dates ahead (closures, time off) are counted
from the day the seed runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from pamper.catalog.models import Treatment
from pamper.lib.money import COUNTRY_CURRENCY
from pamper.venues.actions import slug_base
from pamper.venues.models import Closure, Resource, Service, Staff, TimeOff, Venue

from . import locale, offer, schedule, texts
from .accounts import ensure_demo_clinic, ensure_demo_users
from .parallel import can_fork, fork_map, put_back, workers
from .places import City, city_weights, demo_cities, pick_city, scatter
from .rand import take
from .showcase import showcase_cities, showcase_city, with_featured
from .venue_finish import finish_side_by_side
from .venue_names import Chunk, Namer, VenueDraft, next_names
from .writer import BulkWriter, RowSink, bulk_load_mode, check_references, drop_scratch_sql

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


# Ids per venue: the venue with index i gets services from block i, staff from block i, its device (if any) id i
# past the writer's maxima. Counted, not drawn from a shared counter, so forked generators number their chunks
# alike whatever the order they finish in, and a venue's ids do not depend on how the load was chunked. The blocks
# leave gaps; the sequences move past the highest id at the end.
SERVICE_BLOCK = 64  # a salon draws at most 17 treatments, each with a variant and a consultation
STAFF_BLOCK = 8  # offer.STAFF_COUNTS
NAME_SEED = 1 << 64  # set apart from every venue's own seed (seed * 2**32 + index < 2**63)


def name_rng(seed: int, index: int) -> random.Random:
    """The generator venue `index` draws its names from, apart from the one it draws the rest from: whether a name
    is taken is only known in index order (venue_names.py), so drawing again must not change anything else."""
    return random.Random(NAME_SEED + seed * 2**32 + index)


class VenueGenerator:
    """Writes venues with everything they have, each from its own random generator, into a RowSink; returns each
    venue's own row as a draft whose name, slug and e-mail are settled afterwards in index order (venue_names.py),
    as only then is it known which names are taken."""

    def __init__(self, *, seed: int, treatments: list[offer.TreatmentInfo], now: dt.datetime, sink: RowSink,
                 first_ids: dict[type, int]) -> None:
        self.seed, self.now, self.sink, self.first_ids = seed, now, sink, first_ids
        self.treatments, self.menu = treatments, offer.menu_index(treatments)
        self.adapt = sink.adapt
        self.created_at = self.adapt.datetime(now)
        self._zones: dict[str, tuple[zoneinfo.ZoneInfo, dt.date]] = {}
        self._slug_bases: dict[tuple[str, str], str] = {}
        self._instants: dict[dt.datetime, object] = {}
        self.first_names: set[str] = set()  # the first names drawn here so far (casefolded): all taken by now
        demo_cities(), city_weights(), showcase_cities()  # read once here, before any fork (a second each)

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

    def slug_base(self, name: str, city: str) -> str:
        key = (name, city)
        return self._slug_bases.get(key) or self._slug_bases.setdefault(key, slug_base(name, city))

    def chunk(self, indices: range) -> Chunk:
        """Write the venues `indices` but their own rows, and return those as drafts, in order."""
        before = dict(self.sink.written)
        drafts = [self.venue(index) for index in indices]
        self.sink.flush()
        weeks, self.sink.new_weeks = self.sink.new_weeks, []
        return Chunk(drafts, weeks, {t: n - before.get(t, 0) for t, n in self.sink.written.items()})

    def venue(self, index: int) -> VenueDraft:
        rng = random.Random(self.seed * 2**32 + index)
        showcase = showcase_city(index)  # the first few: clinics the searches people try first find (showcase.py)
        city = showcase or pick_city(rng)
        kind = "clinic" if showcase else rng.choices(offer.KINDS, weights=offer.KIND_WEIGHTS)[0]
        factor = offer.price_factor(rng, city.country, city.population, city.name in CAPITAL_PREMIUM)
        offered = offer.draw_treatments(rng, kind, self.menu)
        if showcase:
            offered = with_featured(offered, self.treatments)
        services = offer.build_services(rng, kind, city.country, factor, offered)
        draft = self.venue_draft(rng, index, city, kind, services)
        venue_id = draft.row[0]
        self.write_services(rng, index, venue_id, COUNTRY_CURRENCY[city.country], services)
        week = schedule.opening_hours(rng, city.country, kind)
        self.sink.add_temp("pamper_seed_venue_week", (venue_id, self.sink.week(week)))
        tz, today = self.zone(city.timezone)
        for start, end, reason in schedule.closures(rng, city.country, today):
            self.sink.add(Closure, (venue_id, self.adapt.date(start), self.adapt.date(end), reason))
        staff = offer.build_staff(rng, kind, services)
        if len(staff) > STAFF_BLOCK:
            raise RuntimeError(f"Demo venue {index} has {len(staff)} staff: more than STAFF_BLOCK ({STAFF_BLOCK}).")
        first_staff = self.first_ids[Staff] + (index - 1) * STAFF_BLOCK
        for position, member in enumerate(staff):
            self.write_staff(rng, venue_id, first_staff + position + 1, city, member, position, week, tz, today)
        self.sink.maybe_flush()
        return draft

    def venue_draft(self, rng: random.Random, index: int, city: City, kind: str,
                    services: list[offer.ServiceDraft]) -> VenueDraft:
        lang = locale.language(rng, city)
        names = name_rng(self.seed, index)
        name = locale.venue_name(names, city, kind, lang)
        taken = name.casefold() in self.first_names  # by an earlier venue: the Namer will want the next names
        self.first_names.add(name.casefold())
        latitude, longitude = scatter(rng, city)
        treatments = [s.name for s in services if s.kind == "treatment"]
        area = f"{city.district}, {city.name}" if city.district else city.name
        about = texts.description(rng, kind, area, take(rng, treatments, min(2, len(treatments))))
        clinic = kind == "clinic"
        address = locale.street_address(rng, city, lang)
        row = (
            self.first_ids[Venue] + index, None, None, kind, about, address, city.name,
            locale.postcode(rng, city, address), city.country, latitude, longitude, city.timezone,
            COUNTRY_CURRENCY[city.country], locale.phone(rng, city), None,
            True, 15, 120 if clinic else 60, 60, 48 if clinic else 24, True, 24, False, 0, self.created_at, lang,
        )
        draft = VenueDraft(index, row, name, self.slug_base(name, city.name), city, kind, lang)
        if taken:
            draft.redraws = next_names(names, city, kind, lang)
        return draft

    def write_services(self, rng: random.Random, index: int, venue_id: int, currency: str,
                       services: list[offer.ServiceDraft]) -> None:
        if len(services) > SERVICE_BLOCK:
            raise RuntimeError(f"Demo venue {index} has {len(services)} services: more than SERVICE_BLOCK.")
        device = None
        if any(s.uses_device for s in services):
            device = self.first_ids[Resource] + index
            self.sink.add(Resource, (device, venue_id, "Laser", "device"))
        first = self.first_ids[Service] + (index - 1) * SERVICE_BLOCK
        for position, s in enumerate(services):
            bookable = s.kind == "consultation" or rng.random() < 0.97
            self.sink.add(Service, (
                first + position + 1, venue_id, s.treatment.id, s.kind, s.name, "", s.variant,
                self.adapt.decimal(s.price), currency, s.duration, s.buffer_before, s.buffer_after,
                device if s.uses_device else None, bookable, True, position,
            ))

    def write_staff(self, rng: random.Random, venue_id: int, staff_id: int, city: City, member: offer.StaffDraft,
                    position: int, week: schedule.Week, tz: zoneinfo.ZoneInfo, today: dt.date) -> None:
        first, last = locale.person(rng, city.country, member.woman)
        name = f"{first} {last}"
        title = member.title
        if member.doctor:
            name, title = f"{locale.doctor_title(city.country, member.woman)} {name}", "Aesthetic doctor"
        self.sink.add(Staff, (staff_id, venue_id, name, title, "", True, position))
        for desk in member.desks:
            self.sink.add_temp("pamper_seed_staff_desk", (staff_id, venue_id, desk))
        shifts = schedule.staff_shifts(rng, week, lead=position == 0)
        self.sink.add_temp("pamper_seed_staff_week", (staff_id, self.sink.week(shifts)))
        for start, end, reason in schedule.time_off(rng, today, tz):
            self.sink.add(TimeOff, (staff_id, self.instant(start), self.instant(end), reason))


def seed_demo(*, venues: int, seed: int, now: dt.datetime, log: Callable[[str], None] = lambda _: None,
              progress: Callable[[int], None] = lambda _: None) -> SeedReport:
    """The demo logins and Pamper Demo Clinic, then venues-1 generated venues.

    On PostgreSQL outside a transaction (parallel.can_fork) forked workers
    draw and write chunks of venues on their own connections while this
    process settles the names and writes the venues' own rows; the load's end
    (hours, shifts and links expanded, indexes, keys, statistics) then runs
    on several connections at once (venue_finish.py). Elsewhere it is one
    transaction in this process. Both give the same rows, ids included.
    Expects the catalogue loaded and no other venues (the caller checks).
    `progress(n)` is told each time n more venues are generated.
    """
    started = time.monotonic()
    treatments = catalogue_treatments()
    if not treatments:
        raise ValueError("The catalogue has no treatments: run `pamper load_catalog` first.")
    with transaction.atomic():
        clinic = ensure_demo_clinic(ensure_demo_users())
    forked = can_fork()
    progress(1)  # the demo clinic
    with bulk_load_mode():
        if forked:
            with transaction.atomic():  # committed before the workers start, so they see the scratch tables
                writer = _writer(treatments, shared_scratch=True)
            try:
                _draw(writer, _chunks_forked(writer, seed, treatments, now, venues), seed, clinic, progress,
                      forked=True)
            except BaseException:
                put_back([*drop_scratch_sql(), *writer.restore])
                raise
            log(f"  {venues - 1:,} venues generated ({time.monotonic() - started:.1f} s)")
            written = finish_side_by_side(writer)
        else:
            with transaction.atomic():
                writer = _writer(treatments, shared_scratch=False)
                generator = VenueGenerator(seed=seed, treatments=treatments, now=now, sink=writer,
                                           first_ids=writer.last_id)
                chunks = (generator.chunk(indices) for indices in _ranges(venues))
                _draw(writer, chunks, seed, clinic, progress, forked=False)
                log(f"  {venues - 1:,} venues generated ({time.monotonic() - started:.1f} s)")
                written = writer.finish()
                check_references()
    log(f"  hours, shifts and staff links expanded, indexes built ({time.monotonic() - started:.1f} s)")
    rows = {table.removeprefix("venues_").replace("_", " "): count for table, count in written.items()}
    return SeedReport(venues=Venue.objects.count(), rows=rows, seconds=time.monotonic() - started)


CHUNK = 1000  # venues a worker draws and writes at a time


def _ranges(venues: int) -> list[range]:
    return [range(i, min(i + CHUNK, venues)) for i in range(1, venues, CHUNK)]


def _writer(treatments: list[offer.TreatmentInfo], *, shared_scratch: bool) -> BulkWriter:
    writer = BulkWriter(shared_scratch=shared_scratch)
    writer.desks((kind, t.id, offer.desk_for(kind, t)) for kind in offer.KINDS for t in treatments)
    writer.flush()
    return writer


def _draw(writer: BulkWriter, chunks: Iterable[Chunk], seed: int, clinic: Venue,
          progress: Callable[[int], None], *, forked: bool) -> None:
    """Settle each chunk's names in index order and write its venues' rows and the weeks it met first."""
    namer = Namer(name_rng=functools.partial(name_rng, seed),
                  taken_names={n.casefold() for n in Venue.objects.values_list("name", flat=True)},
                  taken_slugs=set(Venue.objects.values_list("slug", flat=True)) | {clinic.slug})
    for chunk in chunks:
        for draft in chunk.drafts:
            writer.add(Venue, namer.row(draft))
        writer.adopt_weeks(chunk.weeks)
        if forked:  # else the generator wrote into this writer, which counted its rows
            for table, n in chunk.written.items():
                writer.written[table] += n
        writer.maybe_flush()
        progress(len(chunk.drafts))
    writer.flush()
    writer.move_sequences()


_GENERATOR: VenueGenerator | None = None  # set in the parent just before the workers fork; they only read it


def _chunks_forked(writer: BulkWriter, seed: int, treatments: list[offer.TreatmentInfo], now: dt.datetime,
                   venues: int) -> Iterator[Chunk]:
    """The chunks drawn and written by forked workers, each committing its own, yielded in index order."""
    global _GENERATOR  # the forked workers read it (shared, read-only state)
    _GENERATOR = VenueGenerator(seed=seed, treatments=treatments, now=now, sink=RowSink(weeks_written=False),
                                first_ids=writer.last_id)
    ranges = _ranges(venues)
    done: dict[int, Chunk] = {}
    try:
        following = 0
        for number, chunk in fork_map(_draw_in_worker, list(enumerate(ranges)), workers()):
            done[number] = chunk
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        _GENERATOR = None


def _draw_in_worker(task: tuple[int, range]) -> tuple[int, Chunk]:
    number, indices = task
    assert _GENERATOR is not None
    with transaction.atomic():
        return number, _GENERATOR.chunk(indices)
