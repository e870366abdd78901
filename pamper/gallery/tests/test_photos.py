"""Venue photos and staff pictures: checked, stripped of metadata, stored through the storage API in WebP and JPEG
sizes, ordered by the owner, served only for published venues; the owner's page refuses bad uploads clearly."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from pamper.errors import Refusal
from pamper.gallery import actions, queries
from pamper.gallery.models import Photo, Role
from pamper.lib import storage
from pamper.tests.world import World


def jpeg(size: tuple[int, int] = (800, 600), color: tuple[int, int, int] = (180, 90, 140), gps: bool = False) -> bytes:
    image, out = Image.new("RGB", size, color), io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "SpyCam"  # Make
        exif[0x8825] = {2: (51.0, 30.0, 0.0), 4: (0.0, 7.0, 0.0)}  # GPSInfo: latitude, longitude
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 90, 140)).save(out, "PNG")
    return out.getvalue()


def test_long_strips_the_formats_can_write_are_kept(world: World) -> None:
    tall = actions.add_photo(venue=world.venue, data=png((250, 16_000)), alt_text="A tall strip", role=Role.GALLERY)
    wide = actions.add_photo(venue=world.venue, data=png((30_000, 400)), alt_text="A panorama", role=Role.GALLERY)
    assert (tall.height, wide.width) == (16_000, 30_000)
    assert Image.open(io.BytesIO(storage.read(wide.file_for("webp", 1600)))).format == "WEBP"


def test_an_upload_is_stripped_and_stored_in_webp_and_jpeg_sizes(world: World) -> None:
    photo = actions.add_photo(venue=world.venue, data=jpeg((1200, 800), gps=True), alt_text="The treatment room",
                              role=Role.COVER)
    assert (photo.width, photo.height) == (1200, 800)
    assert sorted(photo.renditions) == ["jpeg", "webp"]
    assert sorted(int(w) for w in photo.renditions["webp"]) == [480, 960, 1200]
    original = Image.open(io.BytesIO(storage.read(photo.original)))
    assert not original.getexif() and "exif" not in original.info
    webp = Image.open(io.BytesIO(storage.read(photo.file_for("webp", 480))))
    assert (webp.format, webp.width) == ("WEBP", 480) and not webp.getexif()
    assert Image.open(io.BytesIO(storage.read(photo.file_for("jpeg", 960)))).format == "JPEG"


@pytest.mark.parametrize(("data", "code"), [
    (b"GIF89a not really", "photo_not_image"), (b"", "photo_not_image"), (b"<svg onload=alert(1)>", "photo_not_image"),
    (jpeg((120, 90)), "photo_too_small"),
    # Too long and narrow to encode (within the pixel limit): JPEG writes no side past 65,500, WebP none past 16,383.
    (png((200, 66_000)), "photo_too_narrow"), (png((250, 20_000)), "photo_too_narrow"),
    (png((66_000, 300)), "photo_too_narrow"),
])
def test_what_is_not_a_usable_picture_is_refused_and_nothing_stored(world: World, data: bytes, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        actions.add_photo(venue=world.venue, data=data, alt_text="A picture", role=Role.GALLERY)
    assert refused.value.code == code and refused.value.status in (415, 422)
    assert not Photo.objects.exists() and not storage.files().exists("venue-photos")


def test_alt_text_is_required(world: World) -> None:
    with pytest.raises(Refusal) as refused:
        actions.add_photo(venue=world.venue, data=jpeg(), alt_text="  ", role=Role.GALLERY)
    assert refused.value.code == "alt_text_required"


def test_the_owner_orders_the_gallery_and_a_new_cover_replaces_the_old(world: World,
                                                                        django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (actions.add_photo(venue=world.venue, data=jpeg(), alt_text=f"Photo {n}") for n in "abc")
    actions.move_photo(photo=c, by=-1)
    actions.move_photo(photo=a, by=-1)  # already first: stays
    assert list(Photo.objects.filter(role=Role.GALLERY).order_by("position").values_list("alt_text", flat=True)) \
        == ["Photo a", "Photo c", "Photo b"]
    first = actions.add_photo(venue=world.venue, data=jpeg(), alt_text="Front door", role=Role.COVER)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_photo(venue=world.venue, data=jpeg(), alt_text="Reception desk", role=Role.COVER)
    assert list(Photo.objects.filter(role=Role.COVER).values_list("alt_text", flat=True)) == ["Reception desk"]
    assert not storage.files().exists(first.original)
    actions.make_cover(photo=b)
    assert Photo.objects.get(role=Role.COVER).pk == b.pk
    assert Photo.objects.filter(role=Role.GALLERY).order_by("position").last().alt_text == "Reception desk"


def test_pictures_are_served_for_published_venues_only(world: World, client) -> None:  # type: ignore[no-untyped-def]
    photo = actions.add_photo(venue=world.venue, data=jpeg(), alt_text="Front door", role=Role.COVER)
    answer = client.get(f"/photos/{photo.pk}/480.webp")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/webp"
    assert "immutable" in answer["Cache-Control"]
    assert client.get(f"/photos/{photo.pk}/481.webp").status_code == 404
    assert client.get(f"/photos/{photo.pk}/480.gif").status_code == 404
    assert client.get(f"/photos/{2**64}/480.webp").status_code == 404
    world.venue.is_published = False
    world.venue.save(update_fields=["is_published"])
    assert client.get(f"/photos/{photo.pk}/480.webp").status_code == 404


def test_the_owner_page_uploads_and_refuses_a_bad_file_next_to_the_field(world: World) -> None:
    browser, url = world.browser("owner"), f"/partner/{world.venue.pk}/photos/"
    bad = browser.post(url, {"file": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"),
                             "alt_text": "Our room", "role": "gallery"})
    assert bad.status_code == 422 and "not a picture we can read" in bad.content.decode()
    no_alt = browser.post(url, {"file": SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg"), "role": "gallery"})
    assert no_alt.status_code == 400 and not Photo.objects.exists()
    good = browser.post(url, {"file": SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg"), "alt_text": "Our room",
                              "role": "staff", "staff": world.staff.pk})
    assert good.status_code == 302
    assert Photo.objects.get().staff_id == world.staff.pk
    assert world.browser("reception").get(url).status_code == 403
    assert world.browser("outsider").get(url).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_covers_for_pages_of_any_length_use_one_prepared_statement(world: World) -> None:
    """The search page reads its results' covers in one statement; on PostgreSQL its text is the same for any
    number of venues (an array parameter), so the connection prepares it once instead of planning every page."""
    photo = actions.add_photo(venue=world.venue, data=jpeg(), alt_text="The front desk", role=Role.COVER)
    assert queries.covers([world.venue.pk, world.other_venue.pk]) == {world.venue.pk: photo}
    assert queries.covers([world.venue.pk, world.other_venue.pk, 2000, 2001]) == {world.venue.pk: photo}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%gallery_photo%"])
        assert len(cursor.fetchall()) == 1


def test_with_the_file_cache_covers_are_read_each_time(world: World, settings, tmp_path,  # type: ignore[no-untyped-def]
                                                         django_assert_num_queries) -> None:
    """Without CACHE_URL the shared cache is a folder of files, and six file reads cost more than the statement
    they would save: the covers are then read with one statement every page, and not kept there."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "pamper.lib.filecache.FileCache", "LOCATION": str(tmp_path / "c")}}
    caches["default"].clear()
    ids = [world.venue.pk, world.other_venue.pk]
    first = actions.add_photo(venue=world.venue, data=jpeg(), alt_text="The front desk", role=Role.COVER)
    for _ in range(2):
        with django_assert_num_queries(1):
            assert queries.covers(ids) == {world.venue.pk: first}
    assert caches["default"].get_many([f"gallery:cover:{i}" for i in ids]) == {}  # nothing kept there


def test_covers_are_kept_between_pages_and_every_change_is_seen_on_the_next(world: World,
                                                                            django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """A page of results reads its covers from the shared cache after the first time (no statement), and an
    owner's new alt text, new cover, deleted cover or unpublished venue shows on the very next page."""
    from pamper.venues.actions import venue as venue_actions

    ids = [world.venue.pk, world.other_venue.pk]
    first = actions.add_photo(venue=world.venue, data=jpeg(), alt_text="The front desk", role=Role.COVER)
    assert queries.covers(ids) == {world.venue.pk: first}
    with django_assert_num_queries(0):  # the venue without a cover is kept as such too
        assert queries.covers(ids) == {world.venue.pk: first}
        assert queries.covers(ids)[world.venue.pk].sources() == first.sources()

    actions.update_alt(photo=first, alt_text="The new front desk")
    assert queries.covers(ids)[world.venue.pk].alt_text == "The new front desk"
    garden = actions.add_photo(venue=world.venue, data=jpeg(color=(20, 140, 60)), alt_text="The garden")
    assert queries.covers(ids) == {world.venue.pk: first}  # a gallery photo is not the cover
    actions.make_cover(photo=garden)
    assert queries.covers(ids) == {world.venue.pk: garden}
    actions.delete_photo(photo=garden)
    assert queries.covers(ids) == {}
    other = actions.add_photo(venue=world.other_venue, data=jpeg(), alt_text="The other door", role=Role.COVER)
    assert queries.covers(ids) == {world.other_venue.pk: other}
    venue_actions.set_venue_published(venue=world.other_venue, published=False)
    assert queries.covers(ids) == {}
    venue_actions.set_venue_published(venue=world.other_venue, published=True)
    assert queries.covers(ids) == {world.other_venue.pk: other}
