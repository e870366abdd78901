"""The forms of the payment pages: the venue's policy, a refund, a fee, a gift card bought or redeemed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pamper.errors import Refusal
from pamper.lib import money
from pamper.lib.dates import BoundedDateField
from pamper.lib.names import NameFormField

from . import gifts, rules
from .models import PaymentPolicy


def parse_amount(text: str, currency: str) -> int:
    """An amount typed in the currency ('9', '9.50') in minor units; Refusal 422 invalid_amount otherwise
    (as the partner API answers)."""
    try:
        amount = rules.parse_money(text)
    except ValueError as exc:
        raise Refusal(422, "invalid_amount", _("Give the amount as a number, e.g. 9.00.")) from exc
    if money.too_precise(amount, currency):  # ¥10.50 would be rounded to ¥11 in minor units
        raise Refusal(422, "invalid_amount", money.decimals_message(currency))
    return rules.to_minor(amount, currency)


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PaymentPolicy
        fields = ["mode", "deposit_kind", "deposit_value", "free_cancel_hours", "late_fee_kind", "late_fee_value",
                  "no_show_fee_kind", "no_show_fee_value", "consultations_free"]
        labels = {"mode": _("When the client pays"), "deposit_kind": _("Deposit as"),
                  "deposit_value": _("Deposit"), "free_cancel_hours": _("Free cancellation until (hours before)"),
                  "late_fee_kind": _("Late-cancellation fee as"), "late_fee_value": _("Late-cancellation fee"),
                  "no_show_fee_kind": _("No-show fee as"), "no_show_fee_value": _("No-show fee"),
                  "consultations_free": _("Consultations are free of any charge")}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for kind, value in (("deposit_kind", "deposit_value"), ("late_fee_kind", "late_fee_value"),
                            ("no_show_fee_kind", "no_show_fee_value")):
            if data.get(kind) == rules.PERCENT and (data.get(value) or 0) > 100:
                self.add_error(value, _("A percentage cannot be more than 100."))
        return data


class RefundForm(forms.Form):
    amount = forms.CharField(label=_("Amount to refund"), max_length=20)
    reason = forms.CharField(label=_("Reason (the client reads it)"), max_length=300)


class FeeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fee"), choices=[("no_show", _("No-show fee")),
                                                      ("late_cancel", _("Late-cancellation fee"))])
    reason = forms.CharField(label=_("Reason (the client reads it)"), max_length=300)


class LedgerFilter(forms.Form):
    start = BoundedDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = BoundedDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[
        ("", _("Everything")), ("charge", _("Payments")), ("refund", _("Refunds")), ("fee", _("Fees")),
        ("gift_redemption", _("Gift cards used"))])


class GiftCardForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=gifts.MIN_AMOUNT, max_value=gifts.MAX_AMOUNT,
                                decimal_places=2, initial=Decimal(50))
    recipient_name = NameFormField(label=_("Their name"), max_length=120)
    recipient_email = forms.EmailField(label=_("Their email (the code is sent there)"))
    message = forms.CharField(label=_("Your message"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RedeemForm(forms.Form):
    code = forms.CharField(label=_("Gift card code"), max_length=40)
