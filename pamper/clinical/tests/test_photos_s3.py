"""Clinical photos on an S3-compatible store (a real moto server): encrypted before they leave the process,
readable through the API, rotated and erased there like on the local disk."""

from __future__ import annotations

import boto3
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from pamper.clinical import photos
from pamper.clinical.models import ProgressPhoto
from pamper.lib import storage
from pamper.tests.s3 import CREDENTIALS

from .conftest import NOW, World
from .planting import plant

pytestmark = pytest.mark.django_db


def bucket_objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    """Every object in the bucket, read with boto3 directly (not through Pamper)."""
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=CREDENTIALS["access_key"],
                      aws_secret_access_key=CREDENTIALS["secret_key"], region_name=CREDENTIALS["region_name"])
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_a_photo_reaches_the_bucket_only_as_a_fernet_token(world: World, s3_server: str, s3_storage: str,
                                                            settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    planted = plant(world, NOW)
    stored = bucket_objects(s3_server, s3_storage)
    name = photos.name_for(planted.photo.storage_name)
    assert list(stored) == [name]
    token = stored[name]
    assert token.startswith(b"gAAAAA")  # a Fernet token, base64 of version 0x80
    assert planted.photo_plain[100:160] not in token and planted.upload[100:160] not in token
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True

    response = world.api("practitioner").get(f"/api/v1/clinical/photos/{planted.photo.pk}")
    assert response.status_code == 200 and response.content == planted.photo_plain


def test_rotation_and_erasure_work_on_the_bucket(world: World, s3_server: str, s3_storage: str,  # type: ignore[no-untyped-def]
                                                 settings, django_capture_on_commit_callbacks) -> None:
    old_key = Fernet.generate_key().decode()
    settings.PAMPER_HEALTH_KEYS = [old_key]
    planted = plant(world, NOW)
    settings.PAMPER_HEALTH_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_health_keys")
    call_command("rotate_health_keys", "--check")
    settings.PAMPER_HEALTH_KEYS = settings.PAMPER_HEALTH_KEYS[:1]  # the old key is gone: the photo still opens
    assert photos.load(planted.photo.storage_name) == planted.photo_plain

    with django_capture_on_commit_callbacks(execute=True):
        assert world.api("customer").delete(f"/api/v1/me/health/photos/{planted.photo.pk}").status_code == 204
    assert not ProgressPhoto.objects.exists()
    assert bucket_objects(s3_server, s3_storage) == {}
    assert not storage.exists(photos.name_for(planted.photo.storage_name))
