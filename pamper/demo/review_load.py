"""The demo reviews of many venues loaded side by side: forked workers plan and copy chunks of venues, each on
its own connection, and the dropped indexes and keys are put back from several connections at once.

Used by generate_reviews(bulk_load=True) on PostgreSQL outside a transaction
(parallel.can_fork). Each chunk's booking and client ids are reserved up front
for the most visits it can get (review_plan.most_visits: exact unless a venue
is skipped), so the rows do not depend on which worker finishes first: the
same seed gives the same rows, ids included.

Unlike the load in one process, this is not one transaction: each chunk
commits on its own. When a worker fails the indexes and keys are put back
before the error is raised, and the reviews written so far stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from pamper.bookings.models import Booking
from pamper.reviews.models import TreatmentRating, VenueRating
from pamper.venues.models import Client

from .parallel import Side, add_keys_then_validate, fork_map, put_back, run_sql, split_restore, table_of, workers
from .review_plan import DemoReport, Job, most_visits, plan_chunk
from .review_ratings import delete_ratings, write_treatment_ratings, write_venue_ratings
from .review_rows import existing_clients, reserve_ids, write_visits
from .writer import drop_for_load

RATING_TABLES = frozenset(m._meta.db_table for m in (VenueRating, TreatmentRating))
_JOB: Job | None = None  # set in the parent just before the workers fork: they read it, never write it back


@dataclass
class Task:
    chunk: list[tuple]  # (venue id, slug, name)
    first_booking: int
    first_client: int


def chunks(items: list[tuple], size: int) -> Iterator[list[tuple]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_side_by_side(todo: list[tuple], job: Job, *, chunk: int, tables: Sequence[str],
                      progress: Callable[[int], None], meanwhile: Callable[[], None] | None) -> DemoReport:
    """Plan and write the visits of the `todo` venues in worker processes, then the ratings and the indexes
    (meanwhile() runs while the indexes are built). Returns the counts."""
    global _JOB  # the forked workers read it (shared, read-only state)
    venue_ids = [row[0] for row in todo]
    with transaction.atomic():
        restore = drop_for_load(tables, keep_unique=True)
        job.known_clients = existing_clients(venue_ids)
        delete_ratings(venue_ids)
        tasks = _tasks(todo, job, chunk)
    report = DemoReport()
    try:
        _JOB = job
        for done, part in fork_map(_write_chunk, tasks, workers()):
            report.venues += part.venues
            report.skipped += part.skipped
            report.reviews += part.reviews
            report.replies += part.replies
            report.reviewed |= part.reviewed
            progress(done)
    except BaseException:
        put_back(restore)  # then the worker's error
        raise
    finally:
        _JOB = None
    _finish(sorted(report.reviewed), job.now, restore, tables, meanwhile)
    return report


def _tasks(todo: list[tuple], job: Job, size: int) -> list[Task]:
    """The chunks, each with its own block of booking and client ids (one reservation for all)."""
    bounds = [(part, most_visits(part, job)) for part in chunks(todo, size)]
    total = sum(n for _, n in bounds)
    booking, client = reserve_ids(Booking, total, locked=True), reserve_ids(Client, total, locked=True)
    tasks, offset = [], 0
    for part, n in bounds:
        if n:
            tasks.append(Task(part, booking[offset], client[offset]))
        offset += n
    return tasks


def _write_chunk(task: Task) -> tuple[int, DemoReport]:
    """In a worker: plan and write one chunk in one transaction; returns (venues, counts)."""
    assert _JOB is not None
    report = DemoReport()
    with transaction.atomic():
        drafts, repliers = plan_chunk(task.chunk, _JOB, report)
        write_visits(drafts, repliers, report, _JOB.known_clients, (task.first_booking, task.first_client))
    return len(task.chunk), report


def _finish(venue_ids: list[int], now: dt.datetime, restore: Sequence[str], tables: Sequence[str],
            meanwhile: Callable[[], None] | None) -> None:
    """The ratings, while the big tables' indexes are built; meanwhile() once the Venue columns are written;
    then the ratings' indexes, the foreign keys and fresh statistics, each step side by side."""
    indexes, keys = split_restore(restore)
    later = [sql for sql in indexes if table_of(sql) in RATING_TABLES]
    side = Side()
    try:
        venue_ratings = side.submit(lambda: write_venue_ratings(venue_ids, now))
        side.submit(lambda: write_treatment_ratings(venue_ids, now))
        for sql in indexes:
            if sql not in later:
                side.submit(run_sql([sql]))
        venue_ratings.result()
        if meanwhile is not None:
            meanwhile()
        side.wait()
        for sql in later:
            side.submit(run_sql([sql]))
        side.wait()
        add_keys_then_validate(side, keys)
        side.wait()
        for table in tables:
            side.submit(run_sql([f"ANALYZE {table}"]))
        side.wait()
    finally:
        side.close()
