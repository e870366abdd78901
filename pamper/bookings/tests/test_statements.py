"""Issue 19: a one-service booking by a returning customer with a bearer token takes at most 8 statements.

What is counted: every SQL statement Django sends from the start of `POST /api/v1/bookings` up to the COMMIT of
the booking's transaction, except transaction control (BEGIN, SAVEPOINT, RELEASE SAVEPOINT and the COMMIT
itself), which the test lists and bounds separately. What runs after COMMIT (notifications, the next-free
refresh) is not counted. The customer has booked here before (their client record exists) and used their token
within the minute.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pamper.bookings.models import Booking

from . import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)  # real BEGIN and COMMIT, as in production

CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "COMMIT")


def _book(client, shop, auth, start, key):  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start}
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key, **auth)


def test_a_returning_customers_booking_takes_at_most_eight_statements(client, shop):  # type: ignore[no-untyped-def]
    auth = h.bearer(h.customer())
    assert _book(client, shop, auth, "2026-05-05T10:00:00+01:00", "first").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = _book(client, shop, auth, "2026-05-05T12:00:00+01:00", "second")
    assert response.status_code == 201, response.content
    sql = [q["sql"].strip() for q in captured.captured_queries]
    commit = next(i for i, s in enumerate(sql) if s.upper() == "COMMIT")
    before = sql[:commit]
    data = [s for s in before if not s.upper().startswith(CONTROL)]
    assert len(data) <= 8, "\n".join(data)
    assert len(before) - len(data) <= 5, before  # BEGIN and at most two savepoints with their releases
    assert Booking.objects.filter(customer__isnull=False).count() == 2


def test_an_expired_hold_in_the_way_is_expired_and_its_time_booked(client, shop, frozen):  # type: ignore[no-untyped-def]
    # book_visit no longer sweeps the venue's holds first: the schedule read names the expired ones in the day,
    # and they are expired before the insert (PostgreSQL's exclusion constraint would refuse it otherwise).
    from pamper.bookings import actions
    from pamper.bookings.models import Status

    start = "2026-05-05T10:00:00+01:00"
    hold = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 9), customer=h.customer(),
                              staff=shop.anna)
    frozen.shift(actions.HOLD_MINUTES * 60 + 1)
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": start, "staff_id": shop.anna.id}
    response = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                           **h.bearer(h.customer()))
    assert response.status_code == 201, response.content
    hold.refresh_from_db()
    assert hold.status == Status.EXPIRED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite in WAL mode waits for no disk flush")
def test_the_booking_waits_for_the_disk_and_what_it_queues_after_does_not(client, shop, settings):  # type: ignore[no-untyped-def]
    # PostgreSQL's commit waits for its disk flush (5 ms here). The booking's must; the notification task queued
    # after it is a commit of its own that need not (the minute sweep catches up a lost one): lib.commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    auth = h.bearer(h.customer())
    with CaptureQueriesContext(connection) as captured:
        response = _book(client, shop, auth, "2026-05-05T12:00:00+01:00", "queued")
    assert response.status_code == 201, response.content
    sql = [q["sql"].strip() for q in captured.captured_queries]
    commit = next(i for i, s in enumerate(sql) if s.upper() == "COMMIT")
    assert not any("synchronous_commit" in s for s in sql[:commit]), sql[:commit]
    queued = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "django_tasks_database_dbtaskresult"'))
    assert commit < queued and sql[queued - 1] == "SET LOCAL synchronous_commit TO OFF", sql[commit:queued + 2]
    assert sql[queued + 1:queued + 2] == ["COMMIT"]  # SET LOCAL: for that transaction only
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="handle_booking_event").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite in WAL mode waits for no disk flush")
def test_a_best_effort_write_inside_a_transaction_leaves_its_commit_alone(shop):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from pamper.lib.commits import best_effort

    with CaptureQueriesContext(connection) as captured, transaction.atomic(), best_effort():
        Booking.objects.count()
    assert not any("synchronous_commit" in q["sql"] for q in captured.captured_queries)
