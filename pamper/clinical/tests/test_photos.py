"""Progress photo uploads: only real JPEG/PNG/WebP images within limits; metadata stripped; the customer's choices."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from pamper.clinical import photos
from pamper.clinical.models import AccessLog, ProgressPhoto
from pamper.lib import storage

from .conftest import World, image_bytes

pytestmark = pytest.mark.django_db


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels: a decompression bomb's calling card."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:ihdr + 13]))
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def upload(world: World, data: bytes, name: str = "photo.png",  # type: ignore[no-untyped-def]
           content_type: str = "image/png", who: str = "practitioner"):
    client = world.treated(world.customer)
    return world.api(who).post(
        f"/api/v1/clinical/venues/{world.venue.pk}/clients/{client.pk}/photos",
        {"treatment_id": world.meso.pk, "angle": "front", "file": SimpleUploadedFile(name, data, content_type)},
    )


@pytest.mark.parametrize(("data", "name", "status", "code"), [
    (b"%PDF-1.4 not a photo at all", "scan.pdf", 415, "photo_not_image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "photo.png", 415, "photo_not_image"),
    (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "photo.png", 415, "photo_not_image"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo.gif", 415, "photo_not_image"),
    (image_bytes("JPEG")[:200], "truncated.jpg", 415, "photo_not_image"),
    (png_claiming(20000, 20000), "bomb.png", 422, "photo_too_many_pixels"),
    (png_claiming(7000, 7000), "big.png", 422, "photo_too_many_pixels"),
])
def test_refused_uploads_say_why_and_store_nothing(world: World, settings, data, name, status, code) -> None:  # type: ignore[no-untyped-def]
    response = upload(world, data, name)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not ProgressPhoto.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True


def test_an_oversized_file_is_refused(world: World) -> None:
    data = image_bytes("PNG") + os.urandom(photos.MAX_BYTES)
    response = upload(world, data)
    assert response.status_code == 413
    assert response.json()["code"] == "photo_too_large"
    assert "10 MB" in response.json()["message"]
    assert not ProgressPhoto.objects.exists()


def test_the_pixel_check_refuses_a_bomb_before_decoding() -> None:
    with pytest.raises(photos.PhotoRejected) as refused:
        photos.clean(png_claiming(60000, 60000))
    assert refused.value.code == "photo_too_many_pixels"


@pytest.mark.parametrize(("fmt", "content_type"),
                         [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_jpeg_png_and_webp_are_accepted_and_served_only_through_the_check(world: World, fmt: str,
                                                                          content_type: str) -> None:
    response = upload(world, image_bytes(fmt, size=(80, 60)), f"p.{fmt.lower()}", "application/octet-stream")
    assert response.status_code == 201, response.content
    photo = ProgressPhoto.objects.get()
    assert (photo.content_type, photo.width, photo.height) == (content_type, 80, 60)
    served = world.api("practitioner").get(f"/api/v1/clinical/photos/{photo.pk}")
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(served.content)).size == (80, 60)


def test_exif_and_gps_are_stripped(world: World) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PlantedCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    original = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert upload(world, original, "gps.jpg", "image/jpeg").status_code == 201
    stored = photos.load(ProgressPhoto.objects.get().storage_name)
    assert b"PlantedCam" not in stored and b"Exif" not in stored
    cleaned = Image.open(io.BytesIO(stored))
    assert not cleaned.getexif() and not cleaned.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_reception_cannot_upload(world: World) -> None:
    assert upload(world, image_bytes(), who="reception").status_code == 404


def test_the_customer_chooses_the_use_and_can_withdraw(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    assert upload(world, image_bytes()).status_code == 201
    photo = ProgressPhoto.objects.get()
    api = world.api("customer")
    bad = api.patch(f"/api/v1/me/health/photos/{photo.pk}", data='{"use": "instagram"}',
                    content_type="application/json")
    assert bad.status_code == 422
    ok = api.patch(f"/api/v1/me/health/photos/{photo.pk}", data='{"use": "marketing"}', content_type="application/json")
    assert ok.status_code == 200 and ok.json()["use"] == "marketing"
    page = world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/clients/{photo.client_id}/")
    assert "May also be used in the venue&#x27;s marketing" in page.content.decode()
    name = photos.name_for(photo.storage_name)
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/v1/me/health/photos/{photo.pk}")
    assert response.status_code == 204
    assert not ProgressPhoto.objects.exists() and not storage.exists(name)
    assert AccessLog.objects.filter(record_type="photo", action="erase", record_id=photo.pk).exists()
    assert world.api("practitioner").get(f"/api/v1/clinical/photos/{photo.pk}").status_code == 404


def test_the_before_and_after_view_pairs_the_first_and_latest_photo_per_angle(world: World) -> None:
    from pamper.clinical import actions

    client = world.treated(world.customer)
    course = actions.set_course(by=world.practitioner, client=client, treatment=world.meso, planned_sessions=6,
                                interval_days=7, now=world.venue.created_at)
    for color in [(250, 0, 0), (0, 250, 0), (0, 0, 250)]:
        assert upload(world, image_bytes("PNG", color=color)).status_code == 201
    first, middle, latest = ProgressPhoto.objects.order_by("pk")
    assert {p.course_id for p in (first, middle, latest)} == {course.pk}
    page = world.browser("customer").get(f"/account/health/courses/{course.pk}/compare/").content.decode()
    assert "clinical record only" in page and f"/photos/{first.pk}/" not in page  # nothing shown until chosen
    ProgressPhoto.objects.update(use="shown")
    page = world.browser("customer").get(f"/account/health/courses/{course.pk}/compare/").content.decode()
    assert f"/account/health/photos/{first.pk}/" in page and f"/account/health/photos/{latest.pk}/" in page
    assert f"/account/health/photos/{middle.pk}/" not in page
