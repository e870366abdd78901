"""In Chromium, against localstripe: book a visit that takes a 20% deposit, see the terms, pay with Stripe.js's
card field, with a plain card and with a card that asks for 3-D Secure; localstripe's signed webhook arrives too."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests
from playwright.sync_api import expect

from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.lib import clock
from pamper.payments.models import BookingPayment, LedgerEntry, StripeEvent

from .conftest import WEBHOOK_SECRET, deposit_policy


def _book_and_reach_payment(page, live_server, shop) -> None:  # type: ignore[no-untyped-def]
    h.customer("payer@example.com")
    day = clock.now().astimezone(shop.venue.tz).date() + dt.timedelta(days=5)
    page.goto(f"{live_server.url}/venues/{shop.venue.slug}/book/?service={shop.cut.id}&day={day:%Y-%m-%d}")
    page.locator("#slots").get_by_role("button", name="10:00", exact=True).click()
    form = page.locator("#signin-form")
    form.get_by_label("Email").fill("payer@example.com")
    form.get_by_label("Password").fill(h.PASSWORD)
    form.get_by_role("button", name="Sign in and continue").click()
    terms = page.get_by_test_id("payment-terms")
    expect(terms).to_contain_text("You pay a deposit of £9 now; the rest (£36) at the venue.")
    expect(terms).to_contain_text("Not coming without cancelling costs £22.50.")
    page.get_by_role("button", name="Accept and go to payment").click()
    expect(page.get_by_role("heading", name="Pay to confirm your booking")).to_be_visible()
    expect(page.get_by_test_id("amount-due")).to_have_text("To pay now: £9")


def _type_card(page, number: str) -> None:  # type: ignore[no-untyped-def]
    field = page.locator("#card-element")
    field.get_by_placeholder("number").fill(number)
    field.get_by_placeholder("exp_month").fill("12")
    field.get_by_placeholder("exp_year").fill("30")
    field.get_by_placeholder("cvc").fill("123")
    field.get_by_placeholder("postal_code").fill("N1 9GU")


def _webhook_arrives(intent_id: str) -> bool:
    for _ in range(50):
        if StripeEvent.objects.filter(type="payment_intent.succeeded").exists():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def paying_world(transactional_db, stripe_on, live_server):  # type: ignore[no-untyped-def]
    requests.post(f"{stripe_on}/_config/webhooks/pamper", timeout=5, data={
        "url": f"{live_server.url}/api/v1/payments/stripe/webhook", "secret": WEBHOOK_SECRET}).raise_for_status()
    shop = h.shop()
    deposit_policy(shop.venue)
    return shop


@pytest.mark.browser
def test_pay_a_deposit_with_a_plain_card(page, live_server, paying_world):
    _book_and_reach_payment(page, live_server, paying_world)
    _type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay £9 and confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("Confirmed")
    booking = Booking.objects.get()
    assert booking.status == Status.CONFIRMED
    payment = BookingPayment.objects.get(booking=booking)
    assert (payment.state, payment.card_last4) == ("succeeded", "4242")
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [("charge", 900)]
    assert _webhook_arrives(payment.intent_id)  # localstripe's own signed event, handled without a second row
    assert LedgerEntry.objects.count() == 1
    expect(page.get_by_test_id("payment-summary")).to_contain_text("Paid £9 · Visa •••• 4242")


@pytest.mark.browser
def test_pay_a_deposit_with_a_card_that_asks_for_3d_secure(page, live_server, paying_world):
    _book_and_reach_payment(page, live_server, paying_world)
    _type_card(page, "4000002760003184")
    page.get_by_role("button", name="Pay £9 and confirm").click()
    # The bank's check, once when the card is kept and once for the payment (this card always asks).
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_test_id("status")).to_have_text("Confirmed")
    payment = BookingPayment.objects.get()
    assert (payment.state, payment.card_last4) == ("succeeded", "3184")
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [("charge", 900)]


@pytest.mark.browser
def test_a_failed_bank_check_leaves_the_slot_held_and_says_so(page, live_server, paying_world):
    _book_and_reach_payment(page, live_server, paying_world)
    _type_card(page, "4000002760003184")
    page.get_by_role("button", name="Pay £9 and confirm").click()
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.locator("#pay-error")).to_be_visible()
    assert Booking.objects.get().status == Status.PENDING_PAYMENT
    assert not LedgerEntry.objects.exists()
