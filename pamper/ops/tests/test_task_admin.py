"""The admin's task queue pages open whatever rows the queue holds (regression: a deferred row under a backend
that cannot defer, as after moving a site to RQ, made the whole list answer 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pamper.accounts.models import User
from pamper.bookings.nextfree import refresh_venue_next_available

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_deferred_and_renamed_tasks_are_listed_by_name(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE
    deferred = refresh_venue_next_available.using(run_after=timezone.now() + dt.timedelta(minutes=5)).enqueue(1)
    renamed = refresh_venue_next_available.enqueue(2)
    DBTaskResult.objects.filter(pk=renamed.id).update(task_path="pamper.gone.old_task")
    settings.TASKS = IMMEDIATE  # the site now runs on a backend that cannot defer
    client.force_login(User.objects.create_superuser(email="operator@example.com", password=None, name="Operator"))

    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "refresh_venue_next_available" in page and "old_task" in page
    for pk in (deferred.id, renamed.id):
        change = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[pk]))
        assert change.status_code == 200
