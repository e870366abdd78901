"""Writes for venue photos and staff pictures. Each checks the picture (images.clean), stores it, then saves the
row in one transaction; a refusal leaves nothing behind. Each forgets the venue's kept cover (queries.covers)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pamper.errors import Refusal
from pamper.venues.models import Staff, Venue

from . import images
from .models import Photo, Role
from .queries import forget_covers


def _alt(alt_text: str) -> str:
    alt = " ".join((alt_text or "").split())
    if len(alt) < 3:
        raise Refusal(422, "alt_text_required", _("Describe the picture for people who cannot see it (alt text): "
                                                  "at least a few words."), field="alt_text")
    return alt[:250]


def add_photo(*, venue: Venue, data: bytes, alt_text: str, role: str = Role.GALLERY, staff: Staff | None = None,
              generated: bool = False) -> Photo:
    """A new cover (replacing the old one), gallery photo (last in the order) or staff picture (replacing theirs).

    Refusal 422 alt_text_required, 404 unknown_staff; the picture's own refusals from images.clean."""
    alt = _alt(alt_text)
    if role not in Role.values:
        raise Refusal(422, "bad_role", _("Choose cover, gallery or staff picture."), field="role")
    if role == Role.STAFF and (staff is None or staff.venue_id != venue.pk):
        raise Refusal(404, "unknown_staff", _("No such member of staff here."), field="staff")
    stored = images.store(images.clean(data))
    replaced: list[Photo] = []
    with transaction.atomic():
        if role == Role.COVER:
            replaced = list(Photo.objects.select_for_update().filter(venue=venue, role=Role.COVER))
        elif role == Role.STAFF:
            replaced = list(Photo.objects.select_for_update().filter(staff=staff, role=Role.STAFF))
        for old in replaced:
            old.delete()
        last = Photo.objects.filter(venue=venue, role=role).aggregate(m=Max("position"))["m"]
        photo = Photo.objects.create(
            venue=venue, staff=staff if role == Role.STAFF else None, role=role,
            position=0 if last is None else last + 1, alt_text=alt, width=stored.width, height=stored.height,
            original=stored.original, renditions=stored.renditions, generated=generated)
        transaction.on_commit(lambda: [images.remove(o.original, o.renditions) for o in replaced])
        forget_covers([venue.pk])
    return photo


def update_alt(*, photo: Photo, alt_text: str) -> Photo:
    photo.alt_text = _alt(alt_text)
    with transaction.atomic():
        photo.save(update_fields=["alt_text"])
        forget_covers([photo.venue_id])
    return photo


def move_photo(*, photo: Photo, by: int) -> Photo:
    """Move a gallery photo `by` places (-1: earlier, 1: later) among its venue's gallery; the ends stay put."""
    with transaction.atomic():
        order = list(Photo.objects.select_for_update().filter(venue_id=photo.venue_id, role=Role.GALLERY)
                     .order_by("position", "id"))
        ids = [p.pk for p in order]
        if photo.pk not in ids:
            raise Refusal(422, "not_in_gallery", _("Only gallery photos have an order."))
        i = ids.index(photo.pk)
        j = min(max(i + by, 0), len(ids) - 1)
        ids.insert(j, ids.pop(i))
        for position, pk in enumerate(ids):
            Photo.objects.filter(pk=pk).update(position=position)
    photo.refresh_from_db()
    return photo


def make_cover(*, photo: Photo) -> Photo:
    """Make a gallery photo the cover; the old cover goes to the end of the gallery."""
    if photo.role == Role.STAFF:
        raise Refusal(422, "staff_picture", _("A staff picture cannot be the venue's cover."))
    with transaction.atomic():
        last = Photo.objects.filter(venue_id=photo.venue_id, role=Role.GALLERY).aggregate(m=Max("position"))["m"]
        Photo.objects.filter(venue_id=photo.venue_id, role=Role.COVER).exclude(pk=photo.pk).update(
            role=Role.GALLERY, position=(last or 0) + 1)
        photo.role, photo.position = Role.COVER, 0
        photo.save(update_fields=["role", "position"])
        forget_covers([photo.venue_id])
    return photo


def delete_photo(*, photo: Photo) -> None:
    original, renditions = photo.original, dict(photo.renditions)
    venue_id = photo.venue_id
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: images.remove(original, renditions))
        forget_covers([venue_id])
