"""Venue photos (a cover and a gallery, in the owner's order) and staff pictures: public pictures, checked and
stripped of metadata on upload, kept through Django's storage API in responsive sizes (pamper.gallery.images)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COVER = "cover", _("Cover")
    GALLERY = "gallery", _("Gallery")
    STAFF = "staff", _("Staff picture")


class PhotoQuerySet(models.QuerySet["Photo"]):
    def shown(self) -> PhotoQuerySet:
        """Photos of published venues, in display order (the cover first, then the owner's order)."""
        return self.filter(venue__is_published=True).order_by("role", "position", "id")


class Photo(models.Model):
    """One picture. `renditions` maps a format ("webp", "jpeg") to {width: storage name} for its srcset."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="photos")
    staff = models.ForeignKey("venues.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.GALLERY)
    position = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=250)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original = models.CharField(max_length=200, help_text=_("Storage name of the cleaned full-size JPEG."))
    renditions = models.JSONField(default=dict)
    generated = models.BooleanField(default=False, help_text=_("An illustration made by the demo seed, not a photo."))
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["venue", "role", "position", "id"]
        indexes = [models.Index(fields=["venue", "role", "position"])]
        constraints = [
            models.UniqueConstraint(fields=["venue"], condition=Q(role="cover"), name="one_cover_per_venue"),
            models.UniqueConstraint(fields=["staff"], condition=Q(role="staff"), name="one_picture_per_staff"),
            models.CheckConstraint(condition=Q(role="staff", staff__isnull=False) | ~Q(role="staff"),
                                   name="staff_picture_has_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.pk} of venue {self.venue_id}"

    def sources(self) -> dict[str, list[tuple[int, str]]]:
        """{"webp": [(width, name), ...], "jpeg": [...]}, narrowest first."""
        out: dict[str, list[tuple[int, str]]] = {}
        for fmt, sizes in (self.renditions or {}).items():
            out[fmt] = sorted((int(w), name) for w, name in sizes.items())
        return out

    def file_for(self, fmt: str, width: int) -> Any:
        """The storage name of one rendition, or None."""
        return (self.renditions or {}).get(fmt, {}).get(str(width))
