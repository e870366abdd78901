"""`pamper backup DIR` / `pamper restore DIR`: bookings, a health record and an encrypted clinical photo survive
losing the database, the file storage and the keys (SQLite, and PostgreSQL with DATABASE_URL; local folder and S3)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from pamper.bookings.models import Booking
from pamper.clinical import photos
from pamper.clinical.models import QuestionnaireResponse
from pamper.clinical.tests.conftest import NOW, World, at
from pamper.clinical.tests.planting import SECRETS, plant
from pamper.lib import storage
from pamper.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and the SQLite backup see committed rows only


def _lose_everything(name: str, settings) -> None:  # type: ignore[no-untyped-def]
    """The machine is gone: empty database, the photo gone from the storage, a new key generated."""
    call_command("flush", interactive=False, verbosity=0)
    storage.delete(name)
    settings.PAMPER_HEALTH_KEYS = [Fernet.generate_key().decode()]


@pytest.mark.parametrize("where", ["local", "s3"])
def test_backup_then_restore_brings_back_bookings_health_records_and_photos(  # type: ignore[no-untyped-def]
        world: World, tmp_path: Path, settings, request, where: str) -> None:
    if where == "s3":
        request.getfixturevalue("s3_storage")
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.GENERATED_SECRETS = ["PAMPER_HEALTH_KEY"]  # a one-machine install whose key lives in the data folder
    planted = plant(world, NOW)
    BookingFactory(customer=world.customer, service=world.meso_consult, staff=world.staff, status="confirmed",
                   start=at(3, 11))
    bookings = sorted(Booking.objects.values_list("pk", "start", "status"))
    keys = list(settings.PAMPER_HEALTH_KEYS)
    name = photos.name_for(planted.photo.storage_name)

    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    assert (tmp_path / "backup" / f"database.{suffix}").stat().st_size > 0
    keys_file = tmp_path / "backup" / "health-keys"
    assert keys_file.stat().st_mode & 0o077 == 0
    assert planted.photo_plain[100:160] not in (tmp_path / "backup" / "files" / name).read_bytes()
    apart = tmp_path / "vault" / "keys"  # the keys are kept apart from the backup
    apart.parent.mkdir()
    keys_file.rename(apart)

    _lose_everything(name, settings)
    assert not Booking.objects.exists()
    call_command("restore", str(tmp_path / "backup"), "--keys", str(apart), "--yes", stdout=out)

    assert sorted(Booking.objects.values_list("pk", "start", "status")) == bookings
    assert keys == settings.PAMPER_HEALTH_KEYS
    assert (settings.DATA_DIR / "health_key").read_text() == keys[0]
    assert (settings.DATA_DIR / "health_key").stat().st_mode & 0o077 == 0
    answers = QuestionnaireResponse.objects.get(client=planted.client).answers
    assert answers["medicines"] == SECRETS["answer"]
    assert photos.load(planted.photo.storage_name) == planted.photo_plain


def test_restore_refuses_when_the_configured_keys_cannot_read_the_backup(  # type: ignore[no-untyped-def]
        world: World, tmp_path: Path, settings) -> None:
    settings.GENERATED_SECRETS = []  # the keys come from the environment: Pamper must not guess
    BookingFactory(customer=world.customer, service=world.meso_consult, staff=world.staff, status="confirmed",
                   start=at(3, 11))
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    Booking.objects.all().delete()
    settings.PAMPER_HEALTH_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="PAMPER_HEALTH_KEYS"):
        call_command("restore", str(tmp_path / "backup"), "--yes", stdout=StringIO())
    assert not Booking.objects.exists()  # nothing was replaced


def test_restore_without_the_keys_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No health keys"):
        call_command("restore", str(tmp_path), "--yes", stdout=StringIO())
