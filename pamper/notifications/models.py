"""Notifications: the send record of every message, preferences, calendar state and feeds.

A `Message` row is claimed before anything is sent. Its unique key
(booking, kind, occasion, recipient) means two workers, two sweeps or a
repeated event can never produce a second copy of the same message; its
status (pending -> sending -> sent | skipped | failed) and `due_at` carry the
retry schedule, so a mail server outage delays mail but loses none. Mail to an
account whose address is not confirmed yet waits as `held` until it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy


class Kind(models.TextChoices):
    # To the customer.
    RECEIVED = "received", gettext_lazy("Booking request received")
    CONFIRMATION = "confirmation", gettext_lazy("Booking confirmation")
    CHANGE = "change", gettext_lazy("Booking changed")
    CANCELLATION = "cancellation", gettext_lazy("Booking cancelled")
    REMINDER = "reminder", gettext_lazy("Appointment reminder")
    PATCH_TEST_REMINDER = "patch_test_reminder", gettext_lazy("Patch-test appointment reminder")
    PATCH_TEST_RESULT = "patch_test_result", gettext_lazy("Patch-test result")
    AFTERCARE = "aftercare", gettext_lazy("Aftercare advice")
    CHECKIN = "checkin", gettext_lazy("Check-in after a treatment")
    REVIEW_REQUEST = "review_request", gettext_lazy("Review request")
    # To the venue (its address and its owners and managers).
    VENUE_NEW_BOOKING = "venue_new_booking", gettext_lazy("New booking at your venue")
    VENUE_CHANGE = "venue_change", gettext_lazy("Booking moved at your venue")
    VENUE_CANCELLATION = "venue_cancellation", gettext_lazy("Booking cancelled at your venue")


# Messages that carry safety information: always sent, whatever the preferences.
SAFETY_KINDS = frozenset({Kind.PATCH_TEST_RESULT, Kind.AFTERCARE})
VENUE_KINDS = frozenset({Kind.VENUE_NEW_BOOKING, Kind.VENUE_CHANGE, Kind.VENUE_CANCELLATION})
REMINDER_KINDS = frozenset({Kind.REMINDER, Kind.PATCH_TEST_REMINDER})


class Status(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting to be sent")
    SENDING = "sending", gettext_lazy("Being sent")
    SENT = "sent", gettext_lazy("Sent")
    SKIPPED = "skipped", gettext_lazy("Not sent (no longer relevant or switched off)")
    FAILED = "failed", gettext_lazy("Gave up after repeated failures")
    HELD = "held", gettext_lazy("Held until the address is confirmed")


class Message(models.Model):
    """One email to one address about one booking: claimed first, then sent once."""

    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Distinguishes legitimate repeats of a kind: the calendar sequence of a
    # change, the start a reminder was for. Empty for once-per-booking kinds.
    occasion = models.CharField(max_length=64, blank=True, default="")
    recipient = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=gettext_lazy("The recipient's account, whose preferences apply."),
    )
    booking_start = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("For reminders: the start they announce.")
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(help_text=gettext_lazy("Not sent before this instant (first try, then each retry)."))
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("A sender owns the row until then.")
    )
    last_error = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "occasion", "recipient"], name="one_message_per_occasion"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["booking", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for booking {self.booking_id} to {self.recipient} ({self.status})"


# Preference fields, by the kinds they switch off. Safety kinds have none.
PREFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "booking_updates": (Kind.RECEIVED, Kind.CONFIRMATION, Kind.CHANGE, Kind.CANCELLATION),
    "reminders": (Kind.REMINDER,),
    "patch_test_reminders": (Kind.PATCH_TEST_REMINDER,),
    "checkins": (Kind.CHECKIN,),
    "review_requests": (Kind.REVIEW_REQUEST,),
    "venue_bookings": (Kind.VENUE_NEW_BOOKING, Kind.VENUE_CHANGE, Kind.VENUE_CANCELLATION),
}


class Preference(models.Model):
    """Which optional emails a person receives. No row means everything is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    booking_updates = models.BooleanField(gettext_lazy("Confirmations, changes and cancellations"), default=True)
    reminders = models.BooleanField(gettext_lazy("Reminders before an appointment"), default=True)
    patch_test_reminders = models.BooleanField(gettext_lazy("Reminders before a patch test"), default=True)
    checkins = models.BooleanField(gettext_lazy("A check-in two days after a treatment"), default=True)
    review_requests = models.BooleanField(gettext_lazy("An invitation to review a visit"), default=True)
    venue_bookings = models.BooleanField(gettext_lazy("New, moved and cancelled bookings at venues where I work"),
                                         default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"

    def allows(self, kind: str) -> bool:
        """False when the person switched this kind off; safety kinds are always True."""
        for field, kinds in PREFERENCE_FIELDS.items():
            if kind in kinds:
                return bool(getattr(self, field))
        return True


class BookingCalendar(models.Model):
    """The iCalendar SEQUENCE of a booking: raised on every move and cancellation."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, primary_key=True, related_name="calendar"
    )
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"booking {self.booking_id} sequence {self.sequence}"

    @classmethod
    def sequence_of(cls, booking_id: int) -> int:
        """The booking's SEQUENCE: 0 until it first moves or is cancelled."""
        return cls.objects.filter(booking_id=booking_id).values_list("sequence", flat=True).first() or 0

    @classmethod
    def bump(cls, booking_id: int) -> None:
        """Raise the booking's SEQUENCE in the caller's transaction (a savepoint). A failure only logs.

        Done with the change itself, not in the task, so calendar feeds stay in
        step with the booking even while the queue is behind.
        """
        try:
            with transaction.atomic():
                if not cls.objects.filter(booking_id=booking_id).update(sequence=F("sequence") + 1):
                    cls.objects.create(booking_id=booking_id, sequence=1)
        except Exception:
            logging.getLogger(__name__).exception("could not raise the calendar sequence of booking %s", booking_id)


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class FeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> FeedQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarFeed(models.Model):
    """A private iCalendar subscription URL: the customer's bookings, or one staff member's diary.

    Only the token's SHA-256 is stored; the raw token is shown once when made.
    """

    class Scope(models.TextChoices):
        CUSTOMER = "customer", gettext_lazy("My bookings")
        STAFF = "staff", gettext_lazy("My diary at a venue")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    staff = models.ForeignKey(
        "venues.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=dj_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="customer", staff__isnull=True) | models.Q(scope="staff", staff__isnull=False),
                name="feed_staff_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} feed {self.prefix}… of {self.user}"

    @classmethod
    def issue(cls, *, user: object, scope: str, staff: object | None = None) -> tuple[CalendarFeed, str]:
        """A new feed row and its raw token (shown once)."""
        raw = secrets.token_urlsafe(32)
        feed = cls.objects.create(user=user, scope=scope, staff=staff, token_hash=hash_feed_token(raw), prefix=raw[:8])
        return feed, raw

    def revoke(self, when: dt.datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = when
            self.save(update_fields=["revoked_at"])
