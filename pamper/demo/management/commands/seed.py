"""`pamper seed --demo --venues N --seed S [--if-empty] [--replace]`: the demo data.

Loads the catalogue, creates the demo logins and Pamper Demo Clinic, generates
the other venues (deterministic for the same N and S), generates reviews,
rebuilds the search index, refreshes the planner statistics, then finds the
next free slot of the first venues (`--next-free N`). Each long step shows a
progress bar with its rate and time left on stderr when that is a terminal.

The demo logins are published (password pamper-demo, one a superuser), so
nothing is created without `--demo`: a start script or a habit cannot put them
in a production database by accident (`check --deploy` fails while they exist).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from pamper.accounts.models import User
from pamper.bookings.nextfree import refresh_venues
from pamper.catalog.loader import load_catalogue
from pamper.demo.accounts import DEMO_CLINIC_SLUG
from pamper.demo.covers import DEMO_COVERS, add_covers
from pamper.demo.generate import seed_demo
from pamper.demo.parallel import can_fork, in_background
from pamper.demo.pathway import ensure_demo_pathway
from pamper.demo.progress import Bars
from pamper.demo.reset import ResetRefused, delete_all_venues
from pamper.demo.reviews import DEMO_CUSTOMER_EMAIL, generate_reviews
from pamper.demo.writer import refresh_planner_statistics
from pamper.lib.clock import now
from pamper.search.bulkload import settle_rows
from pamper.search.index import rebuild_index
from pamper.venues.models import Venue

NEXT_FREE_VENUES = 3000  # every venue of the `make run` demo; at 200,000 the rest would take about 50 minutes
NEXT_FREE_CHUNK = 100

def _no_flush_wait(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


@contextlib.contextmanager
def flushes_not_awaited() -> Iterator[None]:
    """PostgreSQL: no commit of this command waits for its disk flush, on every connection it opens (the bulk
    loads' workers and threads too). The chunks, next-free and cover steps commit thousands of writes, and a crash
    can only lose the last moments of a demo seed."""
    connection_created.connect(_no_flush_wait)
    try:
        if connection.connection is not None:  # already open: the signal came before
            _no_flush_wait(None, connection)
        yield
    finally:
        connection_created.disconnect(_no_flush_wait)


def _demo_covers() -> list[str]:
    """Generated illustrations (never stock photos) for the demo clinic and the first venues, about 0.1 s each;
    returns the lines to print."""
    lines: list[str] = []
    add_covers(Venue.objects.filter(is_published=True).order_by("id")[:DEMO_COVERS], log=lines.append)
    return lines


class Command(BaseCommand):
    help = ("Load demo data (with --demo only): the demo logins, Pamper Demo Clinic and N venues around real "
            "European cities.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help="Required: yes, create the demo logins (password pamper-demo, one a superuser).")
        parser.add_argument("--venues", type=int, default=3000, help="How many venues in all (default 3000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same venues.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any venue exists.")
        parser.add_argument("--replace", action="store_true", help="Delete every venue (and its bookings) first.")
        parser.add_argument("--next-free", type=int, default=NEXT_FREE_VENUES, metavar="N",
                            help=f"Find the next free slot of the first N venues now (default {NEXT_FREE_VENUES:,}, "
                                 "about 10 ms each); the task worker's sweep finds the others' within minutes.")

    def handle(self, *args: Any, **options: Any) -> None:
        venues, seed = options["venues"], options["seed"]
        if not options["demo"]:
            raise CommandError("The seed creates the demo logins (password pamper-demo, one a superuser): pass --demo "
                               "to load the demo. Never on a production database.")
        if not 1 <= venues <= 1_000_000:
            raise CommandError("--venues must be between 1 and 1,000,000.")
        if not 0 <= seed < 2**31:
            raise CommandError("--seed must be between 0 and 2147483647.")
        if options["next_free"] < 0:
            raise CommandError("--next-free must be 0 or more.")
        self.bars = Bars(enabled=options.get("verbosity", 1) > 0)
        with flushes_not_awaited():
            self.seed(venues, seed, options)

    def seed(self, venues: int, seed: int, options: dict[str, Any]) -> None:
        if Venue.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Venues exist already: demo data not loaded.")
                return
            if not options["replace"]:
                raise CommandError("Venues exist already. Use --if-empty to skip, or --replace to start again.")
            self.delete_venues()
        started = time.monotonic()
        try:
            report = load_catalogue()
        except ValueError as exc:  # the loader's CatalogueError lists every problem
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Catalogue: {report.treatments} treatments in {report.categories} categories "
                          f"({time.monotonic() - started:.1f} s).")
        self.stdout.write(f"Generating {venues:,} venues (seed {seed}) ...")
        notes: list[str] = []  # printed after the bar, which owns the terminal meanwhile
        with self.bars.step("Venues", venues, "venues") as advance:
            result = seed_demo(venues=venues, seed=seed, now=now(), log=notes.append, progress=advance)
        for line in notes:
            self.stdout.write(line)
        counts = ", ".join(f"{n:,} {name}" for name, n in result.rows.items() if n)
        self.stdout.write(f"Venues: {result.venues:,} in {result.seconds:.1f} s ({counts}).")
        self.after_seed(seed, result.venues, options["next_free"])
        self.stdout.write(f"Seed finished in {time.monotonic() - started:.1f} s.")

    def delete_venues(self) -> None:
        """Delete every venue and what depends on it (bookings, reviews, search rows ...) in bulk."""
        started = time.monotonic()
        try:
            deleted = delete_all_venues()
        except ResetRefused as exc:
            raise CommandError(f"Could not delete the existing venues: {exc}") from exc
        self.stdout.write(f"Deleted {sum(deleted.values()):,} rows in {len(deleted)} tables "
                          f"in {time.monotonic() - started:.1f} s.")

    def after_seed(self, seed: int, venues: int, next_free: int) -> None:
        """Add demo reviews and build the search index (it reads the venues' new ratings, so it starts once they
        are written, while the reviews' indexes are still being built), refresh the planner statistics (the
        availability queries of the next step need them), then find the next free slots, while a second process
        draws the cover pictures."""
        started = time.monotonic()
        with contextlib.ExitStack() as bar:
            advance = bar.enter_context(self.bars.step("Reviews", venues, "venues"))

            def index_meanwhile() -> None:
                bar.close()  # the reviews' bar: the index has its own
                self.stdout.write(f"Demo reviews written in {time.monotonic() - started:.1f} s.")
                self.rebuild_search_index(venues)
                bar.enter_context(self.bars.step("Review indexes", None, ""))

            generate_reviews(seed=seed, update_search=False, progress=advance, bulk_load=True,
                             meanwhile=index_meanwhile)
        self.stdout.write(f"Demo reviews generated in {time.monotonic() - started:.1f} s (search index included).")
        clinic = Venue.objects.filter(slug=DEMO_CLINIC_SLUG).first()
        customer = User.objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
        if clinic and customer:  # the mesotherapy pathway, step by step, for the demo customer
            written = ensure_demo_pathway(venue=clinic, customer=customer, now=now())
            self.stdout.write(f"The demo customer's mesotherapy pathway: {written} bookings.")
        started = time.monotonic()
        # The covers (Python drawing pictures) are drawn in a second process meanwhile where it can fork.
        with in_background(_demo_covers, fork=can_fork()) as covers:
            with self.bars.step("Planner statistics", None, ""):
                refresh_planner_statistics()
            self.stdout.write(f"Planner statistics refreshed in {time.monotonic() - started:.1f} s.")
            self.next_free_slots(next_free)
            self.vacuum_search_rows()
            with self.bars.step("Cover pictures", None, ""):
                lines = covers()
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"Cover pictures drawn in {time.monotonic() - started:.1f} s (counted from the statistics).")
        self.stdout.write("Demo logins (password pamper-demo): customer@example.com, owner@example.com, "
                          "doctor@example.com, admin@example.com")

    def rebuild_search_index(self, venues: int) -> None:
        started = time.monotonic()
        with self.bars.step("Search index", venues, "venues") as advance:
            rebuild_index(progress=advance, vacuum=False)  # vacuum_search_rows() once the next free slots are in
        self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f} s.")

    def vacuum_search_rows(self) -> None:
        """PostgreSQL: mark the search rows' pages all-visible once the next free slots are written, so searches
        read the index alone from the first one (search.bulkload.settle_rows); the covers are drawn meanwhile."""
        if connection.vendor != "postgresql":
            return  # SQLite reads no visibility map; its statistics were refreshed before the next free slots
        started = time.monotonic()
        with self.bars.step("Search rows vacuumed", None, ""):
            done = "vacuumed" if settle_rows() else "analysed (no VACUUM inside a transaction)"
        self.stdout.write(f"Search rows {done} in {time.monotonic() - started:.1f} s.")

    def next_free_slots(self, limit: int) -> None:
        """Every result of the first `limit` venues shows its next free slot (or that there is none) from the first
        search on; the task worker's minute sweep takes the rows never computed first, so it fills in the rest."""
        started = time.monotonic()
        published = Venue.objects.filter(is_published=True)
        venue_ids = list(published.order_by("id").values_list("id", flat=True)[:limit])
        with self.bars.step("Next free slots", len(venue_ids), "venues") as advance:
            for i in range(0, len(venue_ids), NEXT_FREE_CHUNK):
                chunk = venue_ids[i : i + NEXT_FREE_CHUNK]
                refresh_venues(chunk, now())
                advance(len(chunk))
        left = published.count() - len(venue_ids)
        later = f"; the other {left:,} are left to the task worker's sweep" if left else ""
        self.stdout.write(f"Next free slots of {len(venue_ids):,} venues found in "
                          f"{time.monotonic() - started:.1f} s{later}.")
