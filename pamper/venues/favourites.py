"""Favourite venues: a customer keeps the places they like (a heart on venue pages and search cards)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        app_label = "venues"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "venue"], name="one_favourite_per_venue")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.venue_id}"
