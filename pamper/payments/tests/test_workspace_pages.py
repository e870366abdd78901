"""The venue's payment pages: the payment policy beside the booking policies, the ledger with its filters,
refunds and fees from a booking (the partner API's actions and checks: another venue's booking is a 404,
reception may not), and the gift cards sold."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.accounts.models import Role
from pamper.bookings import attendance
from pamper.bookings.models import Booking
from pamper.bookings.tests import helpers as h
from pamper.payments.models import LedgerEntry, PaymentPolicy
from pamper.tests.factories import member

from .test_venue_side import paid

pytestmark = pytest.mark.django_db


def test_the_owner_sets_the_payment_policy_on_the_policies_page(client, shop, stripe_on):
    owner = member(shop.venue, Role.OWNER)
    client.force_login(owner)
    page = client.get(f"/partner/{shop.venue.id}/policies/")
    assert page.status_code == 200 and b"payment-policy-form" in page.content
    body = {"mode": "deposit", "deposit_kind": "percent", "deposit_value": "20", "free_cancel_hours": "48",
            "late_fee_kind": "percent", "late_fee_value": "20", "no_show_fee_kind": "fixed",
            "no_show_fee_value": "15", "consultations_free": "on"}
    answer = client.post(f"/partner/{shop.venue.id}/policies/payments/", body)
    assert answer.status_code == 302
    policy = PaymentPolicy.objects.get(venue=shop.venue, service__isnull=True)
    assert (policy.mode, policy.no_show_fee_kind, str(policy.no_show_fee_value)) == ("deposit", "fixed", "15.00")
    too_much = client.post(f"/partner/{shop.venue.id}/policies/payments/", body | {"deposit_value": "150"})
    assert too_much.status_code == 400
    assert PaymentPolicy.objects.get(pk=policy.pk).deposit_value == 20


def test_the_owner_refunds_from_the_booking_with_the_api_rules(client, paid_shop, stripe_on):
    data, _customer = paid(client, paid_shop, stripe_on)
    owner = member(paid_shop.venue, Role.OWNER)
    client.force_login(owner)
    panel = client.get(f"/partner/{paid_shop.venue.id}/bookings/{data['id']}/")
    assert b"refund-form" in panel.content and "£9" in panel.content.decode()
    path = f"/partner/{paid_shop.venue.id}/bookings/{data['id']}/refund/"
    refused = client.post(path, {"refund-amount": "50", "refund-reason": "Too much"}, follow=True)
    assert "You can refund at most £9" in refused.content.decode()
    no_reason = client.post(path, {"refund-amount": "5", "refund-reason": " "}, follow=True)
    assert not LedgerEntry.objects.filter(kind="refund").exists(), no_reason.content
    answer = client.post(path, {"refund-amount": "5.00", "refund-reason": "The colour ran late"}, follow=True)
    assert "Refunded £5" in answer.content.decode()
    row = LedgerEntry.objects.get(kind="refund")
    assert (row.amount, row.reason, row.actor_id) == (-500, "The colour ran late", owner.pk)
    ledger = client.get(f"/partner/{paid_shop.venue.id}/payments/?kind=refund").content.decode()
    assert "The colour ran late" in ledger and "Payment</td>" not in ledger
    assert client.get(f"/partner/{paid_shop.venue.id}/payments/?start=soon").status_code == 400


def test_another_venues_booking_is_a_404_and_reception_may_not_refund(client, paid_shop, stripe_on):
    data, _customer = paid(client, paid_shop, stripe_on)
    other = h.shop()
    stranger = member(other.venue, Role.OWNER)
    client.force_login(stranger)
    answer = client.post(f"/partner/{other.venue.id}/bookings/{data['id']}/refund/",
                         {"refund-amount": "1", "refund-reason": "x"})
    assert answer.status_code == 404
    client.force_login(member(paid_shop.venue, Role.RECEPTION))
    answer = client.post(f"/partner/{paid_shop.venue.id}/bookings/{data['id']}/refund/",
                         {"refund-amount": "1", "refund-reason": "x"})
    assert answer.status_code == 403
    assert not LedgerEntry.objects.filter(kind="refund").exists()


def test_the_owner_charges_the_no_show_fee_once_from_the_booking(client, paid_shop, stripe_on, frozen):
    data, _customer = paid(client, paid_shop, stripe_on)
    owner = member(paid_shop.venue, Role.OWNER)
    booking = Booking.objects.get(pk=data["id"])
    frozen.move_to(booking.start + dt.timedelta(minutes=20))
    attendance.mark_no_show(booking=booking, actor=owner)
    client.force_login(owner)
    assert b"fee-form" in client.get(f"/partner/{paid_shop.venue.id}/bookings/{data['id']}/").content
    path = f"/partner/{paid_shop.venue.id}/bookings/{data['id']}/fee/"
    answer = client.post(path, {"fee-kind": "no_show", "fee-reason": "Did not come"}, follow=True)
    assert "Fee charged: £13.50" in answer.content.decode()  # 50% of £45, less the £9 deposit held
    again = client.post(path, {"fee-kind": "no_show", "fee-reason": "Did not come"}, follow=True)
    assert "already charged" in again.content.decode()
    assert list(LedgerEntry.objects.filter(kind="fee").values_list("amount", flat=True)) == [1350]


def test_the_ledger_says_pamper_s_own_reasons_in_the_owner_s_language(client, shop):
    """Refunds Pamper records itself (at Stripe, after an expired hold, a gift card credited back) and a fee's kind
    were shown in English on a German owner's ledger."""
    from django.utils import translation

    from pamper.payments.models import PAID_AFTER_EXPIRY, REFUNDED_AT_STRIPE

    owner = member(shop.venue, Role.OWNER)
    for n, (kind, reason) in enumerate([("refund", REFUNDED_AT_STRIPE), ("refund", PAID_AFTER_EXPIRY),
                                        ("fee", "no_show: Nie gekommen"), ("refund", "Farbe lief schief")]):
        LedgerEntry.objects.create(kind=kind, amount=-500 if kind == "refund" else 900, currency="GBP",
                                   stripe_id=f"x_{n}", venue=shop.venue, reason=reason)
    client.force_login(owner)
    page = client.get(f"/de/partner/{shop.venue.id}/payments/").content.decode()
    with translation.override("de"):
        german = [translation.gettext(REFUNDED_AT_STRIPE), translation.gettext(PAID_AFTER_EXPIRY),
                  translation.gettext("No-show fee") + ": Nie gekommen", "Farbe lief schief"]
    assert all(text in page for text in german), german
    assert REFUNDED_AT_STRIPE not in page and PAID_AFTER_EXPIRY not in page and "no_show:" not in page
