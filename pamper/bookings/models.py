"""Bookings: a visit of one or more services back to back, and idempotency records.

A BookingItem occupies one staff member (and maybe a room or device) over
[busy_start, busy_end), the service time widened by its buffers. `active` is
denormalised from the booking's status so the database can refuse overlaps:
on PostgreSQL an exclusion constraint (migration 0002), on SQLite the booking
action checks and inserts inside one IMMEDIATE transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy

from pamper.lib import clock


class Status(models.TextChoices):
    HELD = "held", gettext_lazy("Held during checkout")
    PENDING_PAYMENT = "pending_payment", gettext_lazy("Waiting for payment")
    PENDING = "pending", gettext_lazy("Waiting for the venue to confirm")
    AWAITING_PATCH_TEST = "awaiting_patch_test", gettext_lazy("Waiting for the patch-test result")
    CONFIRMED = "confirmed", gettext_lazy("Confirmed")
    ATTENDED = "attended", gettext_lazy("Attended")
    NO_SHOW = "no_show", gettext_lazy("No-show")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    EXPIRED = "expired", gettext_lazy("Hold expired")


# Statuses whose items still occupy the diary.
OCCUPYING = frozenset({Status.HELD, Status.PENDING_PAYMENT, Status.PENDING, Status.AWAITING_PATCH_TEST,
                       Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW})
# Statuses a customer or venue may still cancel or move.
CHANGEABLE = frozenset({Status.HELD, Status.PENDING_PAYMENT, Status.PENDING, Status.AWAITING_PATCH_TEST,
                        Status.CONFIRMED})
# Statuses of a consultation booking that is still going to happen, or happened with its result not yet in
# (a visit waiting for a patch test may hold its own consultation: that one counts too).
LIVE_CONSULTATION = frozenset({Status.HELD, Status.PENDING_PAYMENT, Status.PENDING, Status.AWAITING_PATCH_TEST,
                               Status.CONFIRMED, Status.ATTENDED})


# A booking may be cancelled online for free this long after it was made, even inside the notice window.
FREE_CANCEL_MINUTES = 15

# The most services one visit may chain back to back.
MAX_SERVICES = 5


class Source(models.TextChoices):
    ONLINE = "online", gettext_lazy("Online")
    PARTNER = "partner", gettext_lazy("Venue (phone or walk-in)")


class CancelCause(models.TextChoices):
    """Why Pamper itself cancelled a booking: stored as a code and said in the reader's language (a reason a
    person gives is stored as their text, in `cancel_reason`)."""

    CONSULTATION_GONE = "consultation_gone", gettext_lazy("The consultation and patch test it needed was cancelled.")
    PATCH_TEST_REACTION = "patch_test_reaction", gettext_lazy("The patch test for this treatment showed a reaction.")
    CUSTOMER_ERASED = "customer_erased", gettext_lazy("The customer erased their data.")


class BookingQuerySet(models.QuerySet["Booking"]):
    def for_customer(self, user: Any) -> BookingQuerySet:
        """The bookings the user made as a customer (none for an anonymous user: no row has a null match)."""
        return self.filter(customer=user) if getattr(user, "is_authenticated", False) else self.none()

    def with_items(self) -> BookingQuerySet:
        """With the venue, and the items with their service and staff: what booking_json and the pages read."""
        return self.select_related("venue").prefetch_related("items__service", "items__staff")


class Booking(models.Model):
    # No index of their own for venue and customer: Meta's (venue, start) and (customer, start) serve every lookup
    # by either (the diary, "my bookings", a cascade), and each index is one more write on every booking.
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="bookings", db_index=False)
    client = models.ForeignKey("venues.Client", on_delete=models.PROTECT, related_name="bookings")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings",
        db_index=False,
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    start = models.DateTimeField(help_text=gettext_lazy("Start of the first service (UTC)."))
    end = models.DateTimeField(help_text=gettext_lazy("End of the last service (UTC)."))
    total_price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    notes = models.TextField(blank=True, max_length=2000)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # db_default too: the demo's bulk COPY names its columns and leaves this one out.
    cancel_cause = models.CharField(max_length=24, choices=CancelCause.choices, blank=True, default="", db_default="")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    requested_staff = models.ForeignKey(
        "venues.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy(
            "The staff member the customer asked for; empty means anyone (kept when the visit is moved)."
        ),
    )
    # Set when the booking is part of a clinical pathway (clinical app).
    depends_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
        help_text=gettext_lazy("The consultation/patch-test booking this treatment waits for."),
    )
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["venue", "start"]),
            models.Index(fields=["customer", "start"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} at {self.venue_id} {self.start:%Y-%m-%d %H:%M}Z ({self.status})"

    @property
    def changeable(self) -> bool:
        return self.status in CHANGEABLE

    @property
    def why_cancelled(self) -> str:
        """Why it was cancelled, for people to read: Pamper's own cause in the active language, else the reason
        the venue or customer gave (as they wrote it)."""
        return str(CancelCause(self.cancel_cause).label) if self.cancel_cause else self.cancel_reason

    @property
    def change_deadline(self) -> dt.datetime:
        """The last instant the customer may cancel or move it online: the start less the venue's notice hours."""
        return self.start - dt.timedelta(hours=self.venue.cancel_notice_hours)

    def may_change_online(self, now: dt.datetime) -> bool:
        """True when the customer may still cancel or move it online (the venue may at any time).

        False once cancelled, attended and so on; a checkout hold (or a visit
        still waiting for its payment) may be given back whenever; anything
        else until `change_deadline`, that instant included.
        """
        if not self.changeable:
            return False
        return self.status in (Status.HELD, Status.PENDING_PAYMENT) or now <= self.change_deadline

    def free_deadline(self, fee_hours: int = 0) -> dt.datetime:
        """The last instant cancelling costs nothing, the grace aside: `change_deadline`, or `fee_hours` before the
        start when that is sooner (payment terms that keep a late-cancellation fee from then on)."""
        if fee_hours > 0:
            return min(self.change_deadline, self.start - dt.timedelta(hours=fee_hours))
        return self.change_deadline

    @property
    def grace_end(self) -> dt.datetime:
        """FREE_CANCEL_MINUTES after it was made, or its start when that is sooner: until then the customer may
        cancel it for free, whatever the notice (and a deposit comes back whatever the payment terms). A visit booked
        minutes ahead, or recorded by the desk once it had begun, is not cancelled online once under way."""
        return min(self.start, self.created_at + dt.timedelta(minutes=FREE_CANCEL_MINUTES))

    @property
    def grace_until(self) -> dt.datetime | None:
        """`grace_end` for a visit booked inside the venue's notice window (the booking pages promise it free
        cancellation until then), else None (the notice decides alone)."""
        return self.grace_end if self.created_at > self.change_deadline else None

    @property
    def free_cancel_until(self) -> dt.datetime:
        """The last instant the customer may cancel it online for free: `change_deadline`, or `grace_end` when
        that is later (a visit booked inside the venue's notice window)."""
        return max(self.change_deadline, self.grace_end)

    def free_cancel_deadline(self, fee_hours: int = 0) -> dt.datetime:
        """The last instant the customer may cancel it online at no cost: `free_cancel_until`, or sooner when the
        payment terms keep a late-cancellation fee from `fee_hours` before the start (0: none) and that comes
        first; the grace after a visit booked inside the notice (`grace_until`) stays free under the terms too
        (payments.rules.is_late). What the booking pages call free (`free_deadline`), with the grace."""
        online = self.free_cancel_until
        if fee_hours <= 0:
            return online
        fee_from = self.start - dt.timedelta(hours=fee_hours)
        grace = self.grace_until
        return min(online, max(fee_from, grace) if grace is not None else fee_from)

    def may_cancel_online(self, now: dt.datetime) -> bool:
        """True when the customer may cancel it online for free: as may_change_online, and also within
        FREE_CANCEL_MINUTES of making it, even when it was made inside the venue's notice window."""
        if self.may_change_online(now):
            return True
        return self.changeable and now <= self.free_cancel_until

    free_cancel_minutes = FREE_CANCEL_MINUTES  # for templates

    @property
    def inside_notice(self) -> bool:
        """True when the visit is already inside the venue's notice window (checkout warns about it)."""
        return clock.now() > self.change_deadline


class BookingItem(models.Model):
    """One service inside a booking, with the person (and room or device) it occupies."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="items")
    # venue, staff and resource are the first columns of Meta's (…, busy_start) indexes, which serve any lookup by
    # them alone: no single-column index each (one write fewer per item for every one).
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="+", db_index=False)
    service = models.ForeignKey("venues.Service", on_delete=models.PROTECT, related_name="booking_items")
    staff = models.ForeignKey("venues.Staff", on_delete=models.PROTECT, related_name="booking_items", db_index=False)
    resource = models.ForeignKey(
        "venues.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="booking_items",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField(default=0)
    start = models.DateTimeField()
    end = models.DateTimeField()
    busy_start = models.DateTimeField(help_text=gettext_lazy("start minus the service's buffer before"))
    busy_end = models.DateTimeField(help_text=gettext_lazy("end plus the service's buffer after"))
    price = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3)
    active = models.BooleanField(
        default=True, help_text=gettext_lazy("Mirrors booking.status in OCCUPYING; guarded against overlap.")
    )

    class Meta:
        ordering = ["booking", "position"]
        indexes = [
            models.Index(fields=["staff", "busy_start"]),
            models.Index(fields=["venue", "busy_start"]),
            models.Index(fields=["resource", "busy_start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(busy_end__gt=models.F("busy_start")), name="item_has_length")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} with {self.staff_id} {self.start:%Y-%m-%d %H:%M}Z"


class IdempotencyRecord(models.Model):
    """The first answer to a request carrying an Idempotency-Key, replayed on retries."""

    # The unique (user, key) constraint's index serves lookups by user: none of its own.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_record_per_key")]
        # idempotency.purge deletes by age every minute: without it, a scan of every booking's record.
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_at")]


class NextFreeCheck(models.Model):
    """When the next-free sweep last computed a venue's first free slots (nextfree.refresh_venues).

    Kept apart from the search rows, so a recheck that finds the same slots writes this one narrow row instead of
    rewriting every search row of the venue (each rewrite a new row version in six indexes, and a page that loses
    its all-visible mark). A search row's own `next_checked_at` says when its slot was last written.
    """

    venue = models.OneToOneField("venues.Venue", on_delete=models.CASCADE, primary_key=True, related_name="+")
    checked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"venue {self.venue_id} checked {self.checked_at:%Y-%m-%d %H:%M}Z"
