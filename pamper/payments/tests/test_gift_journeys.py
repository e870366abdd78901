"""In Chromium, against localstripe: a gift card bought for a venue and paid with Stripe.js's card field, its code
emailed; the person given it books, uses part of it on the payment page and pays the rest by card; the owner
refunds that booking from the workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from playwright.sync_api import expect

from pamper.accounts.models import Role
from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.lib import clock
from pamper.payments import gifts
from pamper.payments.models import GiftCard, LedgerEntry
from pamper.tests.browser import sign_in
from pamper.tests.factories import member

from .test_journeys import _type_card, paying_world  # noqa: F401 (a fixture)


def _buy(page, base: str, shop) -> GiftCard:  # type: ignore[no-untyped-def]
    sign_in(page, base, h.customer("giver@example.com"))
    page.goto(f"{base}/gift-cards/venue/{shop.venue.id}/")
    page.get_by_label("Amount").fill("10")
    page.get_by_label("Their name").fill("Lucky")
    page.get_by_label("Their email (the code is sent there)").fill("lucky@example.com")
    page.get_by_label("Your message").fill("Happy birthday")
    page.get_by_role("button", name="Go to payment").click()
    expect(page.get_by_test_id("amount-due")).to_have_text("To pay now: £10")
    _type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay £10").click()
    expect(page.get_by_role("heading", name="My gift cards")).to_be_visible()
    card = GiftCard.objects.get()
    assert card.paid_at is not None and card.venue_id == shop.venue.id
    return card


def _book(page, base: str, shop) -> None:  # type: ignore[no-untyped-def]
    day = clock.now().astimezone(shop.venue.tz).date() + dt.timedelta(days=5)
    page.goto(f"{base}/venues/{shop.venue.slug}/book/?service={shop.cut.id}&day={day:%Y-%m-%d}")
    page.locator("#slots").get_by_role("button", name="10:00", exact=True).click()
    page.get_by_role("button", name="Accept and go to payment").click()
    expect(page.get_by_test_id("amount-due")).to_have_text("To pay now: £9")


@pytest.mark.browser
def test_buy_a_gift_card_and_use_it_on_a_booking_then_the_owner_refunds(page, live_server, paying_world):  # noqa: F811
    base, shop = live_server.url, paying_world
    card = _buy(page, base, shop)
    [sent] = [m for m in mail.outbox if m.to == ["lucky@example.com"]]
    assert "-".join(card.code[i:i + 4] for i in range(0, 16, 4)) in sent.body
    gifts.redeem(code=card.code, amount=500)  # an earlier visit used £5 of it

    page.context.clear_cookies()
    lucky = h.customer("lucky@example.com")
    sign_in(page, base, lucky)
    page.goto(f"{base}/gift-cards/")
    expect(page.get_by_test_id("gift-balance")).to_have_text("£5 left of £10")
    _book(page, base, shop)
    page.get_by_text("Pay with a gift card").click()
    page.get_by_label("Gift card code").fill(gifts.normal_code(card.code).lower())
    page.get_by_role("button", name="Use the gift card").click()
    expect(page.get_by_text("Your gift card paid £5. Left to pay by card: £4.")).to_be_visible()
    expect(page.get_by_test_id("amount-due")).to_have_text("To pay now: £4")
    _type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay £4 and confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("Confirmed")
    booking = Booking.objects.get()
    assert booking.status == Status.CONFIRMED and GiftCard.objects.get().balance == 0
    assert sorted(LedgerEntry.objects.filter(booking=booking).values_list("kind", "amount")) == [
        ("charge", 400), ("gift_redemption", 500)]

    page.context.clear_cookies()
    sign_in(page, base, member(shop.venue, Role.OWNER))
    page.goto(f"{base}/partner/{shop.venue.id}/bookings/{booking.pk}/")
    expect(page.locator("#payment-paid")).to_have_text("£4")
    page.get_by_text("Refund", exact=True).first.click()
    form = page.locator("#refund-form")
    form.get_by_label("Amount to refund").fill("4.00")
    form.get_by_label("Reason (the client reads it)").fill("Sorry, the stylist was ill")
    form.get_by_role("button", name="Refund").click()
    expect(page.get_by_text("Refunded £4.")).to_be_visible()
    expect(page.locator("#payment-refunded")).to_have_text("£4")
    page.goto(f"{base}/partner/{shop.venue.id}/payments/?kind=refund")
    expect(page.locator("#ledger")).to_contain_text("Sorry, the stylist was ill")
    assert list(LedgerEntry.objects.filter(kind="refund").values_list("amount", flat=True)) == [-400]
