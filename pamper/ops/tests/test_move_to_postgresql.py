"""A SQLite install moves to PostgreSQL with every row, its health data still readable, ids continuing."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from pamper.bookings.models import Booking
from pamper.clinical.models import QuestionnaireResponse
from pamper.clinical.tests.conftest import NOW, World
from pamper.clinical.tests.planting import SECRETS, plant
from pamper.tests.database import LOCAL_SERVER, create_from_template, server_reachable

from .test_demo_accounts import manage, subprocess_env

ADMIN = f"{LOCAL_SERVER}/postgres"
TARGET = "pamper_move_test"


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite" or not server_reachable(), reason="from SQLite to a PostgreSQL")
@pytest.mark.django_db(transaction=True)  # the rows must be committed: the move runs in its own process
def test_move_copies_every_row_and_the_health_data_opens_there(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plant(world, NOW)
    # An empty database with the schema in place: the command's own migrate then has nothing left to apply
    # (migrating a fresh database is tested by every PostgreSQL run's template) and this test is about the copy.
    create_from_template(LOCAL_SERVER, TARGET)
    url = f"postgresql://postgres@127.0.0.1:5432/{TARGET}"
    keys = ",".join(settings.PAMPER_HEALTH_KEYS)
    moved = manage("move_to_postgresql", url, env=subprocess_env(tmp_path, PAMPER_HEALTH_KEYS=keys))
    assert moved.returncode == 0 and "Point DATABASE_URL at it" in moved.stdout, moved.stdout + moved.stderr

    check = ("from pamper.bookings.models import Booking\nfrom pamper.clinical.models import QuestionnaireResponse\n"
             "print('ROWS', Booking.objects.count(), QuestionnaireResponse.objects.get().answers['medicines'])\n"
             "b = Booking.objects.first(); b.pk = None; b.save(); print('NEXT', b.pk)")
    on_target = {**subprocess_env(tmp_path, PAMPER_HEALTH_KEYS=keys), "DATABASE_URL": url}
    done = manage("shell", "-c", check, env=on_target)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in done.stdout.splitlines()
             if line.startswith(("ROWS", "NEXT"))}
    assert lines.get("ROWS") == f"{Booking.objects.count()} {SECRETS['answer']}", done.stdout + done.stderr
    assert int(lines["NEXT"]) > max(Booking.objects.values_list("pk", flat=True))
    assert QuestionnaireResponse.objects.count() == 1
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TARGET} WITH (FORCE)")
