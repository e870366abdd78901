"""Venues, their opening hours, closures, staff, shifts, resources and services.

Opening hours and shifts are local wall-clock times in the venue's IANA zone;
they are expanded per date (bookings.availability) and never stored as UTC.
"""

from __future__ import annotations

import functools
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone as dj_timezone

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"), (6, "Sunday")]


@functools.cache
def _zones() -> frozenset[str]:
    # available_timezones() walks the zone files on every call: read them once.
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zones():
        raise ValidationError(f"{value!r} is not an IANA time zone.")


class VenueKind(models.TextChoices):
    SALON = "salon", "Salon"
    CLINIC = "clinic", "Clinic"
    SPA = "spa", "Spa"
    BARBER = "barber", "Barber"


class Venue(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True, max_length=140)
    kind = models.CharField(max_length=10, choices=VenueKind.choices, default=VenueKind.SALON)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. GB.")
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])
    timezone = models.CharField(max_length=64, default="Europe/London", validators=[validate_timezone])
    currency = models.CharField(max_length=3, default="GBP")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_published = models.BooleanField(default=True)
    # Booking policy.
    slot_minutes = models.PositiveSmallIntegerField(default=15, validators=[MinValueValidator(5), MaxValueValidator(120)])
    min_notice_minutes = models.PositiveIntegerField(default=60)
    horizon_days = models.PositiveSmallIntegerField(default=60, validators=[MinValueValidator(1), MaxValueValidator(365)])
    cancel_notice_hours = models.PositiveSmallIntegerField(default=24)
    auto_confirm = models.BooleanField(default=True)
    reminder_lead_hours = models.PositiveSmallIntegerField(default=24)
    # Security: the owner can require a second sign-in factor for everyone who can read clinical records.
    require_two_factor = models.BooleanField(
        default=False, help_text="Owners, managers and practitioners must sign in with a code from an authenticator app "
        "before they can open clinical records.")
    # Review aggregates, kept in step by reviews.actions.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "city"])]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def uses_miles(self) -> bool:
        return self.country == "GB"

    def get_absolute_url(self) -> str:
        return f"/venues/{self.slug}/"


class OpeningHours(models.Model):
    """One opening interval on a weekday, in local wall-clock time. Several per day allowed."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_open_before_close")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Whole local days the venue is closed (bank holidays, refurbishment)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.venue}: closed {self.start_date}–{self.end_date}"


class Resource(models.Model):
    """A room or device that some services need as well as a practitioner."""

    class Kind(models.TextChoices):
        ROOM = "room", "Room"
        DEVICE = "device", "Device"

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROOM)

    def __str__(self) -> str:
        return f"{self.name} ({self.venue})"


class Staff(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_profiles")
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    services = models.ManyToManyField("Service", blank=True, related_name="staff")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A weekly working interval in local wall-clock time; several per day make breaks."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["staff", "weekday", "start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="shift_starts_before_end")]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class TimeOff(models.Model):
    """An absence (holiday, training, sickness) as a UTC instant range."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="time_off_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.staff} off {self.start:%Y-%m-%d %H:%M}"


class ServiceKind(models.TextChoices):
    TREATMENT = "treatment", "Treatment"
    CONSULTATION = "consultation", "Consultation and patch test"


class Service(models.Model):
    """What a venue sells: a catalogue treatment at a price and duration."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="services")
    # Indexed by the (treatment, kind, variant, is_active) index below, which also covers
    # "how many venues offer each treatment" without reading the table.
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="services", db_index=False)
    kind = models.CharField(max_length=12, choices=ServiceKind.choices, default=ServiceKind.TREATMENT)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    variant = models.CharField(max_length=60, blank=True, help_text="A catalogue variant, e.g. needle-free.")
    price = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3)
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(720)])
    buffer_before = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(240)])
    buffer_after = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(240)])
    resource = models.ForeignKey(Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    online_bookable = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        indexes = [
            models.Index(fields=["venue", "treatment"]),
            models.Index(fields=["treatment", "kind", "variant", "is_active"], name="service_treatment_offer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.venue}"


class Client(models.Model):
    """A venue's client record: an online customer (user set) or a walk-in/phone client.

    Everything a venue knows about a person hangs off this row, so every lookup
    can be scoped to the venue.
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="clients")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="client_records")
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, help_text="Non-clinical notes (preferences). Clinical notes live in clinical.")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "user"], condition=models.Q(user__isnull=False), name="one_client_per_user_per_venue")
        ]

    def __str__(self) -> str:
        return self.name
