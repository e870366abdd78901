"""What the lower apps' writes mean here: landing-page entries go stale and the sitemaps' stamps move."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from pamper.catalog.models import Treatment
from pamper.gallery.models import Photo
from pamper.lib import clock
from pamper.reviews.models import VenueRating
from pamper.venues import hooks as venue_hooks
from pamper.venues.models import Service, Venue

from . import cache as seo_cache
from .actions import stamp_change
from .models import Stamp
from .sitemaps import SITEMAPS_KEY
from .towns import TOWNS_KEY


def _venue_stale(venue_id: int) -> None:
    # Every treatment the venue lists (active or not: one it just dropped must leave its pages too).
    treatments = set(Service.objects.filter(venue_id=venue_id).values_list("treatment_id", flat=True))
    seo_cache.bump([seo_cache.version_key("venue", venue_id), TOWNS_KEY, SITEMAPS_KEY,
                    *(seo_cache.version_key("treatment", tid) for tid in treatments)])


def venue_changed(sender: Any, *, venue_id: int, **kwargs: Any) -> None:
    """venues.hooks.venue_changed: the venue's pages changed now."""
    stamp_change(kind=Stamp.Kind.VENUE, object_id=venue_id, now=clock.now())
    _venue_stale(venue_id)


def rating_saved(sender: Any, instance: VenueRating, **kwargs: Any) -> None:
    """A venue's rating was rebuilt (a review was written, hidden or restored)."""
    seo_cache.bump([seo_cache.version_key("venue", instance.venue_id), SITEMAPS_KEY])


def photo_changed(sender: Any, instance: Photo, **kwargs: Any) -> None:
    """A venue's photo was added, moved or deleted: its cover may be the one a landing page shares."""
    seo_cache.bump([seo_cache.version_key("venue", instance.venue_id)])


def venue_deleted(sender: Any, instance: Venue, **kwargs: Any) -> None:
    seo_cache.bump([seo_cache.version_key("venue", instance.pk), TOWNS_KEY, SITEMAPS_KEY])


def treatment_saved(sender: Any, instance: Treatment, raw: bool = False, **kwargs: Any) -> None:
    """The catalogue loader wrote the treatment (it writes nothing unchanged): its guide changed now."""
    if raw:
        return
    stamp_change(kind=Stamp.Kind.TREATMENT, object_id=instance.pk, now=clock.now())
    seo_cache.bump([seo_cache.version_key("treatment", instance.pk), SITEMAPS_KEY])


def connect() -> None:
    venue_hooks.venue_changed.connect(venue_changed, dispatch_uid="seo.venue_changed")
    post_save.connect(rating_saved, sender=VenueRating, dispatch_uid="seo.rating_saved")
    post_delete.connect(venue_deleted, sender=Venue, dispatch_uid="seo.venue_deleted")
    post_save.connect(photo_changed, sender=Photo, dispatch_uid="seo.photo_saved")
    post_delete.connect(photo_changed, sender=Photo, dispatch_uid="seo.photo_deleted")
    post_save.connect(treatment_saved, sender=Treatment, dispatch_uid="seo.treatment_saved")
