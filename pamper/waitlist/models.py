"""The waitlist: a customer asks to be told when a time opens for one service at one venue.

An Entry says what would do (a range of local days, a part of the day, one
practitioner or anyone). When a time frees, the first waiting entry whose
customer may book it (the booking engine's own checks) gets an Offer: a
checkout hold on that time, kept for OFFER_MINUTES, announced by email. The
hold is a real booking (bookings.actions.hold_visit), so an offer can never
double-book; when it runs out the next entry is offered the time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _


class PartOfDay(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning (before 12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00-17:00)")
    EVENING = "evening", _("Evening (from 17:00)")


# Local minutes of the day each part covers: [from, to).
PART_MINUTES = {
    PartOfDay.ANY: (0, 24 * 60),
    PartOfDay.MORNING: (0, 12 * 60),
    PartOfDay.AFTERNOON: (12 * 60, 17 * 60),
    PartOfDay.EVENING: (17 * 60, 24 * 60),
}


class EntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a time")
    BOOKED = "booked", _("Booked")
    LEFT = "left", _("Left the waitlist")


class Entry(models.Model):
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries")
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="waitlist_entries")
    service = models.ForeignKey("venues.Service", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("venues.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text=gettext_lazy("The practitioner asked for; empty means anyone."))
    first_day = models.DateField(help_text=gettext_lazy("First local day that would do."))
    last_day = models.DateField(help_text=gettext_lazy("Last local day that would do."))
    part_of_day = models.CharField(max_length=10, choices=PartOfDay.choices, default=PartOfDay.ANY)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.WAITING)
    created_at = models.DateTimeField(default=dj_timezone.now)
    # Why the last time that opened went to the next person instead, as the booking engine's code
    # (too_many_waiting: the customer's own unfinished checkouts), said when shown; empty once a time is offered.
    held_back = models.CharField(max_length=30, blank=True)
    held_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["venue", "status", "last_day"])]
        constraints = [models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")),
                                              name="waitlist_days_in_order")]

    def __str__(self) -> str:
        return f"Waitlist {self.pk}: {self.service_id} at {self.venue_id} {self.first_day}..{self.last_day}"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Booked")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    GONE = "gone", _("No longer available")


class Offer(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="offers")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="+",
                                help_text=gettext_lazy("The checkout hold keeping the time for this customer."))
    start = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        # One open offer per entry, whatever the concurrency: a second offer run loses on this constraint.
        constraints = [models.UniqueConstraint(fields=["entry"], condition=Q(status="open"),
                                               name="one_open_offer_per_entry")]

    def __str__(self) -> str:
        return f"Offer {self.pk} of entry {self.entry_id} at {self.start:%Y-%m-%d %H:%M}Z ({self.status})"
