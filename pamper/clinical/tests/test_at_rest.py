"""Health data is encrypted at rest: the database (file or raw columns) and the photo files hold no plaintext.

These tests commit for real (transaction=True) so that SQLite writes the data to its file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from pamper.clinical import crypto, photos
from pamper.clinical.models import Consultation, QuestionnaireResponse, TreatmentSession

from .planting import SECRETS, plant

CONTROL = "CONTROL-PLAINTEXT-client-likes-mint-tea"

pytestmark = pytest.mark.django_db(transaction=True)


def database_bytes() -> bytes:
    """The SQLite database file and its write-ahead log, as stored on disk.

    Read by another process: closing a file descriptor of the database in this process would drop the POSIX
    locks SQLite holds on it here, and another process's connection could then delete the WAL index under us
    (the suite's later tests failed with SQLITE_IOERR_SHORT_READ).
    """
    path = Path(connection.settings_dict["NAME"])
    files = [str(p) for p in [path, Path(f"{path}-wal")] if p.exists()]
    return subprocess.run(["cat", *files], capture_output=True, check=True).stdout


def raw_column_values() -> bytes:
    """Every value of every clinical table and of the client table, read with plain SQL (no model decryption)."""
    chunks = []
    tables = [m._meta.db_table for m in apps.get_app_config("clinical").get_models()] + ["venues_client"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks += [repr(row).encode() for row in cursor.fetchall()]
    return b"\n".join(chunks)


def test_no_answer_note_or_photo_is_stored_in_plaintext(world, settings) -> None:  # type: ignore[no-untyped-def]
    from .conftest import NOW

    planted = plant(world, NOW)
    planted.client.notes = CONTROL  # venue notes are not health data: stored in clear, proving the reader works
    planted.client.save(update_fields=["notes"])

    sources = {"raw columns": raw_column_values()}
    if connection.vendor == "sqlite":
        sources["database file"] = database_bytes()
    for source, stored in sources.items():
        assert CONTROL.encode() in stored, source  # the reader sees plaintext where there is some
        for name, secret in SECRETS.items():
            assert secret.encode() not in stored, (source, name)
        assert planted.photo_plain[100:160] not in stored and planted.upload[100:160] not in stored, source

    on_disk = b"".join(p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    assert on_disk, "the photo file is under MEDIA_ROOT"
    assert planted.photo_plain[100:160] not in on_disk and planted.upload[100:160] not in on_disk
    assert b"\xff\xd8\xff" not in on_disk[:3]  # not a JPEG file
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))

    # ...and the application still reads it all back.
    assert QuestionnaireResponse.objects.get().answers["medicines"] == SECRETS["answer"]
    assert Consultation.objects.get().notes == SECRETS["patch_note"]
    assert TreatmentSession.objects.get().checkin_answer["note"] == SECRETS["checkin"]


def test_rotating_the_keys_re_encrypts_rows_and_files(world, settings) -> None:  # type: ignore[no-untyped-def]
    from .conftest import NOW

    old_key = Fernet.generate_key().decode()
    settings.PAMPER_HEALTH_KEYS = [old_key]
    planted = plant(world, NOW)
    new_key = Fernet.generate_key().decode()
    settings.PAMPER_HEALTH_KEYS = [new_key, old_key]
    with pytest.raises(Exception, match="older key"):
        call_command("rotate_health_keys", "--check")
    call_command("rotate_health_keys")
    call_command("rotate_health_keys", "--check")

    settings.PAMPER_HEALTH_KEYS = [new_key]  # the old key is gone: everything still opens
    assert QuestionnaireResponse.objects.get().answers["medicines"] == SECRETS["answer"]
    assert Consultation.objects.get().batch == SECRETS["batch"]
    assert photos.load(planted.photo.storage_name) == planted.photo_plain
    settings.PAMPER_HEALTH_KEYS = [old_key]
    with pytest.raises(crypto.InvalidToken):
        Consultation.objects.get()
