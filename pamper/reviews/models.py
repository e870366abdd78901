"""Verified reviews of attended visits, venue replies, reports and rating aggregates.

A review always hangs off a booking the reviewer attended: `kind=visit` for one
visit, `kind=course` for the end of a course (the booking that completed it).
The aggregates (VenueRating, TreatmentRating, and Venue.rating_avg /
review_count) are rebuilt from the visible reviews by reviews.actions inside
the transaction that changed a review, with the venue row locked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext, gettext_lazy, pgettext

STARS = (1, 2, 3, 4, 5)
REVIEW_WINDOW = dt.timedelta(days=90)
TEXT_MAX = 2000
REPLY_MAX = 2000
ASPECTS = ("ambience", "cleanliness", "staff", "value")


TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir"})


def first_name(full_name: str) -> str:
    """'Leila' for 'Dr Leila Haddad', 'Maria' for 'Maria Lopez'; empty for an empty name."""
    words = full_name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return words[0] if words else ""


def _stars_field(*, optional: bool, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=optional, blank=optional, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=help_text
    )


def _in_range(field: str, *, optional: bool) -> models.CheckConstraint:
    cond = models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5})
    if optional:
        cond |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=cond, name=f"review_{field}_1_to_5")


class Kind(models.TextChoices):
    VISIT = "visit", gettext_lazy("One visit")
    COURSE = "course", gettext_lazy("A whole course")


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible(self) -> ReviewQuerySet:
        return self.filter(hidden_at__isnull=True)


class Review(models.Model):
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="reviews")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="reviews")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    treatment = models.ForeignKey(
        "catalog.Treatment", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews",
        help_text=gettext_lazy("The visit's main treatment (for a course: the course's treatment)."),
    )
    staff = models.ForeignKey(
        "venues.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews",
        help_text=gettext_lazy("Who gave the treatment."),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.VISIT)
    sessions = models.PositiveSmallIntegerField(
        default=1, help_text=gettext_lazy("Attended sessions the review covers.")
    )
    overall = _stars_field(optional=False, help_text=gettext_lazy("1 to 5 stars."))
    ambience = _stars_field(optional=True, help_text=gettext_lazy("Optional, 1 to 5."))
    cleanliness = _stars_field(optional=True, help_text=gettext_lazy("Optional, 1 to 5."))
    staff_rating = _stars_field(optional=True, help_text=gettext_lazy("Optional, 1 to 5."))
    value = _stars_field(optional=True, help_text=gettext_lazy("Optional, 1 to 5."))
    text = models.TextField(blank=True, max_length=TEXT_MAX)
    visited_at = models.DateTimeField(help_text=gettext_lazy("End of the (last) visit reviewed, UTC."))
    created_at = models.DateTimeField(default=dj_timezone.now)
    # The venue's one reply.
    reply_text = models.TextField(blank=True, max_length=REPLY_MAX)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Moderation by the platform operator.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["venue", "-created_at", "-id"], name="review_venue_newest"),
            models.Index(fields=["venue", "-overall", "-created_at", "-id"], name="review_venue_best"),
            models.Index(fields=["customer", "venue"], name="review_customer_venue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="one_review_per_booking_and_kind"),
            _in_range("overall", optional=False),
            *(_in_range(f, optional=True) for f in ("ambience", "cleanliness", "staff_rating", "value")),
        ]

    def __str__(self) -> str:
        return f"{self.overall}★ for {self.venue_id} by {self.customer_id} ({self.kind})"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def has_reply(self) -> bool:
        return self.replied_at is not None

    @property
    def author_name(self) -> str:
        """'Ana R.': first name and initial, never the email address; 'Former customer' once the author closed
        their account (the review stays: it is the venue's reputation)."""
        if self.customer.closed_at is not None:
            return gettext("Former customer")
        name = (self.customer.name or "").split()
        if not name:
            return gettext("A Pamper customer")
        return f"{name[0]} {name[-1][0]}." if len(name) > 1 else name[0]

    @property
    def staff_first_name(self) -> str:
        return first_name(self.staff.name) if self.staff else ""

    def aspect_ratings(self) -> list[tuple[str, int]]:
        """(label, stars) for each optional rating given, in a fixed order."""
        pairs = [
            (gettext("Ambience"), self.ambience),
            (gettext("Cleanliness"), self.cleanliness),
            (pgettext("review aspect", "Staff"), self.staff_rating),
            (gettext("Value"), self.value),
        ]
        return [(label, stars) for label, stars in pairs if stars]


class ReportReason(models.TextChoices):
    FAKE = "fake", gettext_lazy("Not a genuine customer's experience")
    OFFENSIVE = "offensive", gettext_lazy("Offensive, hateful or threatening")
    PERSONAL = "personal", gettext_lazy("Shares someone's personal information")
    SPAM = "spam", gettext_lazy("Spam or advertising")
    OFF_TOPIC = "off_topic", gettext_lazy("Not about the visit")
    OTHER = "other", gettext_lazy("Something else")


class ReviewReport(models.Model):
    """A signed-in person telling the operator a review breaks the rules."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports")
    reason = models.CharField(max_length=12, choices=ReportReason.choices)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=dj_timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["review", "reporter"], name="one_report_per_person")]

    def __str__(self) -> str:
        return f"Report on review {self.review_id}: {self.reason}"


class StarCounts(models.Model):
    """Shared aggregate fields: count, average and how many reviews gave each number of stars."""

    count = models.PositiveIntegerField(default=0)
    avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        abstract = True

    def distribution(self) -> list[tuple[int, int, int]]:
        """(stars, count, whole percent of all reviews), five stars first."""
        rows = []
        for stars in reversed(STARS):
            n = getattr(self, f"stars_{stars}")
            rows.append((stars, n, round(100 * n / self.count) if self.count else 0))
        return rows


class VenueRating(StarCounts):
    """A venue's rating: plain and recency-weighted averages, distribution, aspect averages."""

    venue = models.OneToOneField("venues.Venue", primary_key=True, on_delete=models.CASCADE, related_name="rating")
    recent_avg = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=gettext_lazy("Average where a review's weight halves every RECENCY_HALF_LIFE_DAYS of age."),
    )
    ambience_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    cleanliness_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    staff_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    value_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.venue_id}: {self.avg} from {self.count}"

    def aspect_averages(self) -> list[tuple[str, Decimal]]:
        pairs = [
            (gettext("Ambience"), self.ambience_avg),
            (gettext("Cleanliness"), self.cleanliness_avg),
            (pgettext("review aspect", "Staff"), self.staff_avg),
            (gettext("Value"), self.value_avg),
        ]
        return [(label, avg) for label, avg in pairs if avg is not None]


class TreatmentRating(StarCounts):
    """A venue's rating for one treatment."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="treatment_ratings")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.CASCADE, related_name="venue_ratings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue", "treatment"], name="one_rating_per_venue_treatment")]
        indexes = [models.Index(fields=["treatment", "venue"], name="treatment_rating_lookup")]

    def __str__(self) -> str:
        return f"{self.venue_id}/{self.treatment_id}: {self.avg} from {self.count}"
