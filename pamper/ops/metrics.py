"""Prometheus metrics of Pamper's own (django-prometheus adds request counts and latency per view and method).

- `pamper_bookings_made_total`: bookings put in the diary, counted after commit from bookings' `booking_changed`
  signal (kind "created"), so a rolled-back booking is not counted.
- `pamper_bookings_refused_total{code}`: refusals answered on the routes that book (API and pages), by code
  (slot_taken, patch_test_required ...), from `pamper.errors.refusal_shown`; `pamper_refusals_total{route,code}`
  counts every refusal shown.
- `pamper_search_seconds{route}`: how long the search routes take, whole request.
- `pamper_tasks{queue,status}` (read from the database queue at scrape time, so cluster-wide) and
  `pamper_task_failures_total{task}` (counted by the workers of this machine as tasks fail).

Connected in OpsConfig.ready() (`connect()`): ops stands above bookings and listens on its door, never the
other way round. With PROMETHEUS_MULTIPROC_DIR set (settings.py, outside tests) every process of the machine
writes its counters to files there and `registry()` adds them up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from pamper.bookings.hooks import booking_changed
from pamper.errors import Refusal, refusal_shown
from pamper.lib import logs

# The view names that put a visit in the diary: a refusal there is a refused booking.
BOOKING_ROUTES = frozenset({
    "api:create_booking", "api:book_consultation_and_treatment", "api:reschedule",
    "bookings:book", "bookings:hold", "bookings:checkout", "bookings:reschedule", "clinical:checkout",
})
SEARCH_ROUTES = frozenset({"api:search", "search:search"})

BOOKINGS_MADE = Counter("pamper_bookings_made_total", "Bookings put in the diary (after commit).")
BOOKINGS_REFUSED = Counter("pamper_bookings_refused_total", "Booking attempts refused, by refusal code.", ["code"])
REFUSALS = Counter("pamper_refusals_total", "Refusals shown to people, by route and code.", ["route", "code"])
SEARCH_SECONDS = Histogram("pamper_search_seconds", "Search requests, whole request time.", ["route"],
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
TASK_FAILURES = Counter("pamper_task_failures_total", "Tasks that failed, by task.", ["task"])


def _booking_changed(sender: Any, booking_id: int, kind: str, **kwargs: Any) -> None:
    if kind == "created":
        transaction.on_commit(BOOKINGS_MADE.inc)


def _refusal_shown(sender: Any, refusal: Refusal, **kwargs: Any) -> None:
    route = logs.route() or "unknown"
    REFUSALS.labels(route=route, code=refusal.code).inc()
    if route in BOOKING_ROUTES:
        BOOKINGS_REFUSED.labels(code=refusal.code).inc()


def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if task_result.status == TaskResultStatus.FAILED:
        TASK_FAILURES.labels(task=task_result.task.module_path).inc()


def connect() -> None:
    """Listen on the doors below (idempotent: Django signals keep one receiver per dispatch_uid)."""
    booking_changed.connect(_booking_changed, dispatch_uid="pamper.ops.metrics.bookings")
    refusal_shown.connect(_refusal_shown, dispatch_uid="pamper.ops.metrics.refusals")
    task_finished.connect(_task_finished, dispatch_uid="pamper.ops.metrics.tasks")


class TaskQueueCollector(Collector):
    """The database queue's tasks by queue and status, read when Prometheus scrapes (one GROUP BY)."""

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily("pamper_tasks", "Tasks in the database queue, by queue and status.",
                                 labels=["queue", "status"])

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The metric's name without a query (the registry asks at registration)."""
        yield self._family()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = self._family()
        rows = (DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
                .values_list("queue_name", "status").annotate(n=Count("id")))
        for queue, status, count in rows:
            family.add_metric([queue, str(status).lower()], count)
        yield family


def registry() -> CollectorRegistry:
    """What /metrics shows: every process of this machine (multiprocess mode) or this one, plus the queue."""
    if not MULTIPROCESS:
        return REGISTRY
    scraped = CollectorRegistry()
    multiprocess.MultiProcessCollector(scraped)  # type: ignore[no-untyped-call]
    scraped.register(TaskQueueCollector())
    return scraped


MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
if not MULTIPROCESS:
    REGISTRY.register(TaskQueueCollector())


class MetricsMiddleware:
    """Times the search routes (pamper_search_seconds). Sits after RequestIdMiddleware, which knows the route."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = logs.route()
        if route in SEARCH_ROUTES:
            SEARCH_SECONDS.labels(route=route).observe(time.perf_counter() - started)
        return response
