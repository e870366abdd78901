"""The search index: one denormalised row per (venue, offered treatment).

The rows are derived data. `pamper.search.index` writes them from the venues
and their services (in the same transaction as the venue write), the bookings
engine writes `next_available`, and the reviews engine writes the ratings
through `index.set_rating`. `rebuild_search_index` recreates them all.

Geometry. Each row stores its point twice: latitude/longitude for the
bounding-box range scan on the B-tree, and the point as a unit vector
(cx, cy, cz) so that SQL can order by the squared chord length
(cx-x0)^2 + (cy-y0)^2 + (cz-z0)^2. That needs only + - * (identical on SQLite
and PostgreSQL, no trigonometry in SQL) and, unlike a flat-earth
approximation, orders exactly as the great-circle distance does.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy


class SearchRowQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        """QuerySet.update that keeps the local-time copies of `next_available` in step.

        The bookings engine writes `next_available` with a plain
        `.filter(...).update(next_available=...)`; the time-of-day and date
        filters read `next_local_date` / `next_local_minute`, which depend on
        each row's time zone, so the update is split per zone.
        """
        if "next_available" not in kwargs or "next_local_date" in kwargs:
            return super().update(**kwargs)
        when = kwargs["next_available"]
        if when is None:
            return super().update(next_local_date=None, next_local_minute=None, **kwargs)
        if not isinstance(when, dt.datetime):
            return super().update(**kwargs)
        count = 0
        for zone in set(self.values_list("timezone", flat=True)):
            local = when.astimezone(zoneinfo.ZoneInfo(zone))
            count += super(SearchRowQuerySet, self.filter(timezone=zone)).update(
                next_local_date=local.date(), next_local_minute=local.hour * 60 + local.minute, **kwargs
            )
        return count


class SearchRow(models.Model):
    # Derived data: no database-level foreign keys (bulk loads stay fast);
    # Django still deletes the rows with their venue or treatment.
    venue = models.ForeignKey(
        "venues.Venue", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    treatment = models.ForeignKey(
        "catalog.Treatment", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    cx = models.FloatField(help_text=gettext_lazy("Unit vector of the point: cos(lat)cos(lng)."))
    cy = models.FloatField(help_text=gettext_lazy("cos(lat)sin(lng)."))
    cz = models.FloatField(help_text=gettext_lazy("sin(lat)."))
    region = models.CharField(
        max_length=16, help_text=gettext_lazy("Country and 1-degree cell, e.g. 'GB:51:-1' (the shard key).")
    )
    country = models.CharField(max_length=2)
    kind = models.CharField(max_length=10)
    timezone = models.CharField(max_length=64)
    price_min = models.DecimalField(max_digits=9, decimal_places=2)
    price_max = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3)
    duration_min = models.PositiveSmallIntegerField()
    variants = models.CharField(
        max_length=200, blank=True, help_text=gettext_lazy("'|needle-free|…|' of the services' variants.")
    )
    rating = models.FloatField(
        null=True, blank=True, help_text=gettext_lazy("The venue's (or treatment's) average rating.")
    )
    review_count = models.PositiveIntegerField(default=0)
    rating_score = models.FloatField(
        help_text=gettext_lazy("Rating shrunk toward the prior mean (ranking.shrunk_rating).")
    )
    next_available = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("First free slot (the bookings engine).")
    )
    next_local_date = models.DateField(null=True, blank=True)
    next_local_minute = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the bookings engine last computed `next_available`, and over how many days: a row checked with no
    # slot says "no free time in the next N days"; a row never checked is the first the sweep refreshes.
    next_checked_at = models.DateTimeField(null=True, blank=True)
    next_horizon_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the shown slot stops being bookable (its start less the venue's minimum notice): the sweep recomputes
    # the row then, and not before (bookings and venue changes refresh it as they happen).
    next_stale_at = models.DateTimeField(null=True, blank=True)
    # What a result shows, so a page is read from these rows alone.
    venue_name = models.CharField(max_length=120, default="")
    venue_slug = models.CharField(max_length=140, default="")
    address = models.CharField(max_length=200, default="")
    city = models.CharField(max_length=100, default="")
    postcode = models.CharField(max_length=20, default="")
    venue_rating = models.FloatField(
        null=True, blank=True, help_text=gettext_lazy("The venue's average rating, as shown.")
    )
    venue_reviews = models.PositiveIntegerField(default=0)
    services = models.TextField(
        default="[]", help_text=gettext_lazy("JSON: the services for this treatment, cheapest first.")
    )

    objects = SearchRowQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue", "treatment"], name="search_row_venue_treatment")]
        indexes = [
            # The search index: led by the treatment, then a latitude range,
            # carrying what the distance scan reads (point, venue, id) and what
            # the recommended score reads (rating, price, first free slot), so
            # both are index-only scans (a portable "covering" index: key
            # columns work on SQLite too).
            models.Index(
                fields=[
                    "treatment",
                    "latitude",
                    "longitude",
                    "cx",
                    "cy",
                    "cz",
                    "rating_score",
                    "price_min",
                    "next_available",
                    "venue",
                    "id",
                ],
                name="search_row_geo",
            ),
            # The next-free sweep's first question, the rows never computed (a rebuilt index, a new offering) by
            # venue: a partial index holds only those, so the answer stays quick as the sweep marks rows checked
            # (through the (venue, treatment) index it read past every row checked so far: 3.6 s a minute halfway
            # through the first sweep of 200,000 venues).
            models.Index(fields=["venue"], condition=models.Q(next_checked_at__isnull=True),
                         name="search_row_unchecked"),
            models.Index(fields=["next_stale_at"], name="search_row_next_stale"),
        ]

    def __str__(self) -> str:
        return f"{self.treatment_id} at venue {self.venue_id}"


class PriceStat(models.Model):
    """The median price of a treatment in a region: the 'local median' of the ranking."""

    treatment = models.ForeignKey(
        "catalog.Treatment", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    region = models.CharField(max_length=16)
    median = models.DecimalField(max_digits=9, decimal_places=2)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["treatment", "region"], name="price_stat_treatment_region")]

    def __str__(self) -> str:
        return f"{self.treatment_id} in {self.region}: {self.median}"
