"""Venues, their opening hours, closures, staff, shifts, resources and services.

Opening hours and shifts are local wall-clock times in the venue's IANA zone;
they are expanded per date (bookings.availability) and never stored as UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import dates
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext, gettext_lazy

from pamper.catalog.i18n import english as catalog_english
from pamper.lib import money, walltime
from pamper.lib.fields import validate_phone
from pamper.lib.languages import message_language
from pamper.lib.names import NameField

from .rules import ServiceKind, ServiceRules

WEEKDAYS = list(dates.WEEKDAYS.items())  # (0, "Monday") ... (6, "Sunday"), in the active language


@functools.cache
def _zones() -> frozenset[str]:
    # available_timezones() walks the zone files on every call: read them once.
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zones():
        raise ValidationError(gettext("%(repr)s is not an IANA time zone.") % {"repr": repr(value)})



YEAR_HOURS = 365 * 24
YEAR_MINUTES = YEAR_HOURS * 60

class VenueKind(models.TextChoices):
    SALON = "salon", gettext_lazy("Salon")
    CLINIC = "clinic", gettext_lazy("Clinic")
    SPA = "spa", gettext_lazy("Spa")
    BARBER = "barber", gettext_lazy("Barber")


class Venue(models.Model):
    name = NameField(max_length=120)
    slug = models.SlugField(unique=True, max_length=140)
    kind = models.CharField(max_length=10, choices=VenueKind.choices, default=VenueKind.SALON)
    description = models.TextField(blank=True)
    address = NameField(max_length=200)  # one line, like a name: it heads emails, calendar entries and CSV rows
    city = NameField(max_length=100)
    postcode = NameField(gettext_lazy("Postcode"), max_length=20, blank=True)  # shown after the address, one line
    country = models.CharField(max_length=2, help_text=gettext_lazy("ISO 3166-1 alpha-2, e.g. GB."))
    latitude = models.FloatField(gettext_lazy("Latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(
        gettext_lazy("Longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    timezone = models.CharField(max_length=64, default="Europe/London", validators=[validate_timezone])
    currency = models.CharField(max_length=3, default="GBP")
    # What its messages to clients without an account language are written in; blank: its country's language.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    phone = models.CharField(gettext_lazy("Phone"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(gettext_lazy("Email"), blank=True)
    is_published = models.BooleanField(default=True)
    # Booking policy.
    slot_minutes = models.PositiveSmallIntegerField(default=15,
                                                    validators=[MinValueValidator(5), MaxValueValidator(120)])
    # No notice or reminder reaches past the furthest bookable day (a year): on SQLite a column stores any number,
    # and 2147483648 hours' notice put every cancel deadline before year 1 (the venue's pages answered 500).
    min_notice_minutes = models.PositiveIntegerField(default=60, validators=[MaxValueValidator(YEAR_MINUTES)])
    horizon_days = models.PositiveSmallIntegerField(default=60,
                                                    validators=[MinValueValidator(1), MaxValueValidator(365)])
    cancel_notice_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(YEAR_HOURS)])
    auto_confirm = models.BooleanField(default=True)
    reminder_lead_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(YEAR_HOURS)])
    # Security: the owner can require a second sign-in factor for everyone who can read clinical records.
    require_two_factor = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Owners, managers and practitioners must sign in with a code from an authenticator "
            "app before they can open clinical records."
        ),
    )
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
    def message_language(self) -> str:
        """The language of its messages to a client who chose none: its own setting, else its country's."""
        return message_language(None, self.language, self.country)

    @property
    def uses_miles(self) -> bool:
        return self.country == "GB"

    def get_absolute_url(self) -> str:
        """The venue's page in the active language (/venues/<slug>/, /fr/venues/<slug>/ ...)."""
        return reverse("venues:detail", args=[self.slug])


class OpeningHours(models.Model):
    """One opening interval on a weekday, in local wall-clock time. Several per day allowed."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(gettext_lazy("Weekday"), choices=WEEKDAYS)
    opens = models.TimeField(gettext_lazy("Opens"))
    closes = models.TimeField(gettext_lazy("Closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_open_before_close",
                                   violation_error_message=gettext_lazy("Closing time must be after opening time."))
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {walltime.text(self.opens)}–{walltime.text(self.closes)}"


class Closure(models.Model):
    """Whole local days the venue is closed (bank holidays, refurbishment)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(gettext_lazy("Reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start",
                violation_error_message=gettext_lazy("A closure must end on or after its first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.venue}: closed {self.start_date}–{self.end_date}"


class Resource(models.Model):
    """A room or device that some services need as well as a practitioner."""

    class Kind(models.TextChoices):
        ROOM = "room", gettext_lazy("Room")
        DEVICE = "device", gettext_lazy("Device")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="resources")
    name = NameField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROOM)

    def __str__(self) -> str:
        return f"{self.name} ({self.venue})"


class Staff(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_profiles"
    )
    name = NameField(max_length=120)
    title = NameField(max_length=120, blank=True)  # beside the name on the venue page and the booking page
    bio = models.TextField(gettext_lazy("Bio"), blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    services = models.ManyToManyField("Service", blank=True, related_name="staff")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


def weekly_overlap(a: tuple[int, dt.time, dt.time], b: tuple[int, dt.time, dt.time]) -> bool:
    """Two weekly intervals (weekday, start, end) overlap: the same weekday and hours that share a minute.

    Back to back (one ends when the other starts) is no overlap.
    """
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


class ShiftQuerySet(models.QuerySet):
    def clashing(self, shift: Shift) -> Shift | None:
        """The first other shift of the same staff member that `shift` (saved or not) clashes with, or None."""
        near = self.filter(staff_id=shift.staff_id, weekday=shift.weekday, start__lt=shift.end, end__gt=shift.start)
        if shift.pk is not None:
            near = near.exclude(pk=shift.pk)
        return next((other for other in near.order_by("start", "pk") if shift.clashes_with(other)), None)


class Shift(models.Model):
    """A weekly working interval in local wall-clock time; several per day make breaks."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(gettext_lazy("Weekday"), choices=WEEKDAYS)
    start = models.TimeField(gettext_lazy("Start"))
    end = models.TimeField(gettext_lazy("End"))
    valid_from = models.DateField(gettext_lazy("Valid from"), null=True, blank=True)
    valid_until = models.DateField(gettext_lazy("Valid until"), null=True, blank=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["staff", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="shift_starts_before_end",
                                   violation_error_message=gettext_lazy("A shift must end after it starts."))
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_weekday_display()} {walltime.text(self.start)}–{walltime.text(self.end)}"

    def clashes_with(self, other: Shift) -> bool:
        """True when both would have the same person working twice at once: the same staff member and weekday,
        overlapping hours, and validity periods (None: open-ended; both ends inclusive) that share a day."""
        if self.staff_id != other.staff_id or not weekly_overlap(
            (self.weekday, self.start, self.end), (other.weekday, other.start, other.end)
        ):
            return False
        apart = (
            other.valid_until is not None and self.valid_from is not None and other.valid_until < self.valid_from
        ) or (other.valid_from is not None and self.valid_until is not None and self.valid_until < other.valid_from)
        return not apart


class TimeOff(models.Model):
    """An absence (holiday, training, sickness) as a UTC instant range."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(gettext_lazy("Reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="time_off_ends_after_start",
                                   violation_error_message=gettext_lazy("Time off must end after it starts."))
        ]

    def __str__(self) -> str:
        return f"{self.staff} off {self.start:%Y-%m-%d %H:%M}"


class Service(models.Model):
    """What a venue sells: a catalogue treatment at a price and duration."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="services")
    # Indexed by the (treatment, kind, variant, is_active) index below, which also covers
    # "how many venues offer each treatment" without reading the table.
    treatment = models.ForeignKey(
        "catalog.Treatment", verbose_name=gettext_lazy("Treatment"), on_delete=models.PROTECT, related_name="services",
        db_index=False,
    )
    kind = models.CharField(max_length=12, choices=ServiceKind.choices, default=ServiceKind.TREATMENT)
    name = NameField(max_length=150)
    description = models.TextField(blank=True)
    variant = NameField(
        max_length=60, blank=True, help_text=gettext_lazy("A catalogue variant, e.g. needle-free.")
    )
    price = models.DecimalField(
        gettext_lazy("Price"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
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

    def clean(self) -> None:
        """A price has no more decimals than its currency (¥10.50 is refused, ¥10 or £10.50 are not). More than two
        is the field's own error, so only the currency's stricter rule is added here."""
        if self.price is not None and self.currency and money.places(self.price) <= 2 \
                and money.too_precise(self.price, self.currency):
            raise ValidationError({"price": money.decimals_message(self.currency)})

    @property
    def shown_name(self) -> str:
        """The name in the reader's language where the venue kept the catalogue's own name ("Mesotherapy", or
        "Mesotherapy (needle-free)"); a name the venue wrote itself stays as written."""
        treatment = self.treatment
        english = catalog_english(treatment, "name")
        if self.name == english:
            return treatment.name
        if self.variant and self.name == f"{english} ({self.variant})":
            return f"{treatment.name} ({treatment.variant_label(self.variant)})"
        return self.name

    def rules(self) -> ServiceRules:
        """The rules this service's bookings are checked against, as the object stands (saved or not)."""
        return ServiceRules.of(self)


class AuditEntry(models.Model):
    """One change to a venue that weakens a safety rule, or a late clinical entry: who, when, what, why.

    Append-only: written by the actions that make such changes, read in the admin.
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="audit_log")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(
        max_length=20, help_text=gettext_lazy("The actor's role at the venue then, or 'operator'.")
    )
    action = models.CharField(
        max_length=40, help_text=gettext_lazy("A code such as service_rules_weakened or late_entry.")
    )
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text=gettext_lazy("What changed, e.g. {'before': ..., 'after': ...}.")
    )
    reason = models.TextField()
    at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["venue", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} on {self.object_type} {self.object_id} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}Z"


class Client(models.Model):
    """A venue's client record: an online customer (user set) or a walk-in/phone client.

    Everything a venue knows about a person hangs off this row, so every lookup
    can be scoped to the venue.
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="clients")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="client_records"
    )
    name = NameField(max_length=150)
    email = models.EmailField(gettext_lazy("Email"), blank=True)
    phone = models.CharField(gettext_lazy("Phone"), max_length=40, blank=True, validators=[validate_phone])
    notes = models.TextField(
        gettext_lazy("Notes"),
        blank=True, help_text=gettext_lazy("Non-clinical notes (preferences). Clinical notes live in clinical.")
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "user"], condition=models.Q(user__isnull=False), name="one_client_per_user_per_venue"
            )
        ]

    def __str__(self) -> str:
        return self.name


# Favourite venues live in their own module (this one is long); imported here so Django registers the model.
from .favourites import Favourite  # noqa: E402, F401
