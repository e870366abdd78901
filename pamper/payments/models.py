"""Payments: the policies a venue sets, what each booking owes and paid, the append-only ledger, gift cards.

Amounts are integers in the currency's minor unit (pence, cents), as Stripe
counts them (`rules.py` converts). Nothing about a card is stored but Stripe's
ids, the brand and the last four digits: Stripe.js collects the number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _

from pamper.lib import money
from pamper.lib.names import NameField

from . import rules


class Mode(models.TextChoices):
    PAY_AT_VENUE = rules.PAY_AT_VENUE, _("Pay at the venue")
    DEPOSIT = rules.DEPOSIT, _("Deposit")
    PREPAYMENT = rules.PREPAYMENT, _("Full prepayment")
    CARD_ON_FILE = rules.CARD_ON_FILE, _("Card kept on file")


class Share(models.TextChoices):
    PERCENT = rules.PERCENT, _("Percentage of the price")
    FIXED = rules.FIXED, _("Fixed amount")


def _share_field(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0),
                               validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100000))],
                               **kwargs)


# Each share of a policy: its kind (percent or fixed) and its value.
SHARES = (("deposit_kind", "deposit_value"), ("late_fee_kind", "late_fee_value"),
          ("no_show_fee_kind", "no_show_fee_value"))


class PaymentPolicy(models.Model):
    """A venue's payment and cancellation policy (service empty), or one service's override of it."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="payment_policies")
    service = models.OneToOneField("venues.Service", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="payment_policy")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.PAY_AT_VENUE)
    deposit_kind = models.CharField(max_length=8, choices=Share.choices, default=Share.PERCENT)
    deposit_value = _share_field(help_text=_("Percent, or an amount in the venue's currency."))
    free_cancel_hours = models.PositiveIntegerField(default=24, validators=[MaxValueValidator(24 * 60)])
    late_fee_kind = models.CharField(max_length=8, choices=Share.choices, default=Share.PERCENT)
    late_fee_value = _share_field()
    no_show_fee_kind = models.CharField(max_length=8, choices=Share.choices, default=Share.PERCENT)
    no_show_fee_value = _share_field()
    consultations_free = models.BooleanField(default=True, help_text=_("Consultations are never charged."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue"], condition=models.Q(service__isnull=True),
                                               name="one_policy_per_venue")]

    def __str__(self) -> str:
        return f"{self.mode} policy of venue {self.venue_id} (service {self.service_id})"

    def clean(self) -> None:
        """A fixed amount has no more decimals than the venue's currency (a ¥500.50 deposit is refused; a 12.5%
        one is not). More than two is the field's own error."""
        if not self.venue_id:
            return
        currency = self.venue.currency
        fixed = {value: Decimal(getattr(self, value)) for kind, value in SHARES
                 if getattr(self, kind) == rules.FIXED and getattr(self, value) is not None}
        errors = {field: [money.decimals_message(currency)] for field, amount in fixed.items()
                  if money.places(amount) <= 2 and money.too_precise(amount, currency)}
        if errors:
            raise ValidationError(errors)

    def terms(self) -> rules.Terms:
        return rules.Terms(mode=self.mode, deposit_kind=self.deposit_kind, deposit_value=self.deposit_value,
                           free_cancel_hours=self.free_cancel_hours, late_fee_kind=self.late_fee_kind,
                           late_fee_value=self.late_fee_value, no_show_fee_kind=self.no_show_fee_kind,
                           no_show_fee_value=self.no_show_fee_value)


class StripeCustomer(models.Model):
    """The Stripe customer a Pamper user pays as (made on their first payment)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer")
    customer_id = models.CharField(max_length=64, unique=True)


class PaymentState(models.TextChoices):
    AWAITING = "awaiting", _("Waiting for the card")
    ACTION = "requires_action", _("Waiting for the bank's check")
    FAILED = "failed", _("Card declined")
    SUCCEEDED = "succeeded", _("Paid")
    CARD_SAVED = "card_saved", _("Card kept on file")
    REFUNDED = "refunded", _("Refunded")
    CANCELED = "canceled", _("Cancelled")


class BookingPayment(models.Model):
    """What one booking owes under the terms the customer accepted, and how the payment stands.

    The terms are copied at booking: a venue changing its policy later does not
    change what a customer agreed to.
    """

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="payment")
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Mode.choices)
    currency = models.CharField(max_length=3)
    price = models.BigIntegerField()
    due_now = models.BigIntegerField()
    late_cancel_fee = models.BigIntegerField()
    no_show_fee = models.BigIntegerField()
    free_cancel_hours = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(help_text=_("When the customer accepted these terms."))
    customer_id = models.CharField(max_length=64, blank=True)
    intent_id = models.CharField(max_length=64, blank=True, db_index=True, help_text=gettext_lazy("pi_... or seti_..."))
    state = models.CharField(max_length=16, choices=PaymentState.choices, default=PaymentState.AWAITING)
    payment_method_id = models.CharField(max_length=64, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind} for booking {self.booking_id}: {self.state}"

    def quote(self) -> rules.Quote:
        return rules.Quote(self.kind, self.currency, self.price, self.due_now, self.late_cancel_fee,
                           self.no_show_fee, self.free_cancel_hours)


class Entry(models.TextChoices):
    CHARGE = "charge", _("Payment")
    REFUND = "refund", _("Refund")
    FEE = "fee", _("Fee charged")
    GIFT_SALE = "gift_sale", _("Gift card sold")
    GIFT_REDEMPTION = "gift_redemption", _("Gift card used")


# The reasons Pamper writes on ledger rows itself. Stored in English, as written (the ledger is never edited), and
# said in the reader's language by LedgerEntry.reason_shown.
PAID_AFTER_EXPIRY = gettext_noop("Paid after the hold expired")
REFUNDED_AT_STRIPE = gettext_noop("Refunded at Stripe")
CREDITED_BACK = gettext_noop("Credited back: booking cancelled")
CANCELLED_BY_VENUE = gettext_noop("Cancelled by the venue")
CANCELLED_BY_CUSTOMER = gettext_noop("Cancelled by the customer")
NO_SHOW_FEE_RETURNED = gettext_noop("No-show fee given back: the visit was marked attended")
_SYSTEM_REASONS = frozenset({PAID_AFTER_EXPIRY, REFUNDED_AT_STRIPE, CREDITED_BACK, CANCELLED_BY_VENUE,
                             CANCELLED_BY_CUSTOMER, NO_SHOW_FEE_RETURNED})
# A fee's reason is "<kind>: <what the venue wrote>"; the kind is said as its name.
FEE_NAMES = {"no_show": _("No-show fee"), "late_cancel": _("Late-cancellation fee")}


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The ledger is append-only: entries are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The ledger is append-only: entries are never deleted.")


class LedgerEntry(models.Model):
    """One movement of money, never edited: a charge or fee in (+), a refund out (-), in minor units.

    (kind, stripe_id) is unique, so an event handled twice writes once.
    """

    kind = models.CharField(max_length=16, choices=Entry.choices)
    amount = models.BigIntegerField(help_text=gettext_lazy("Signed, in minor units: money in is positive."))
    currency = models.CharField(max_length=3)
    stripe_id = models.CharField(max_length=64,
                                 help_text=gettext_lazy("The charge, refund or payment intent at Stripe."))
    # A venue or booking deleted (a demo reset) leaves its money rows, unlinked: ledger rows are never deleted.
    venue = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gift_card = models.ForeignKey("GiftCard", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["kind", "stripe_id"], name="one_entry_per_stripe_object")]
        indexes = [models.Index(fields=["venue", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.stripe_id})"

    @property
    def reason_shown(self) -> str:
        """The reason in the active language when Pamper wrote it; a person's words as they wrote them."""
        if self.reason in _SYSTEM_REASONS:
            return gettext(self.reason)
        kind, colon, written = self.reason.partition(": ")
        if self.kind == Entry.FEE and colon and kind in FEE_NAMES:
            return f"{FEE_NAMES[kind]}: {written}" if written else str(FEE_NAMES[kind])
        return self.reason

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The ledger is append-only: entries are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The ledger is append-only: entries are never deleted.")


class StripeEvent(models.Model):
    """A webhook event handled once: its id is unique, so a second delivery is a no-op."""

    event_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=80)
    received_at = models.DateTimeField(default=dj_timezone.now)


class GiftCard(models.Model):
    """A Pamper gift card: bought by card, redeemed in part or in full until it expires; the balance is
    never negative (a database check, and redemption decrements it in one guarded UPDATE)."""

    code = models.CharField(max_length=24, unique=True)
    # Bought for one venue: used there only. Empty: a Pamper gift card, used at any venue in its currency.
    venue = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="gift_cards")
    currency = models.CharField(max_length=3)
    initial = models.BigIntegerField()
    balance = models.BigIntegerField()
    buyer_email = models.EmailField()
    recipient_email = models.EmailField()
    recipient_name = NameField(max_length=120, blank=True)
    message = models.CharField(max_length=300, blank=True)
    intent_id = models.CharField(max_length=64, unique=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="gift_balance_not_negative")]

    def __str__(self) -> str:
        return f"Gift card {self.code[-4:]} {self.balance}/{self.initial} {self.currency}"


class GiftRedemption(models.Model):
    gift_card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="redemptions")
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = models.BigIntegerField()
    created_at = models.DateTimeField(default=dj_timezone.now)
