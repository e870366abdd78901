"""When what a public page shows last changed: the sitemaps' lastmod.

Venues carry no "updated" timestamp and the catalogue is loaded from files, so
the receivers (receivers.py) stamp each venue when venues announce a change
(venue_changed) or its rating is rebuilt, and each treatment when the
catalogue loader writes it (the loader writes nothing when nothing changed).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy


class Stamp(models.Model):
    class Kind(models.TextChoices):
        VENUE = "venue", gettext_lazy("Venue")
        TREATMENT = "treatment", gettext_lazy("Treatment")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    changed_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="seo_stamp_kind_object")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} changed {self.changed_at:%Y-%m-%d %H:%M}"
