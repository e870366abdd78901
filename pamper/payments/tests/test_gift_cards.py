"""Gift cards: bought by card at localstripe, the code emailed once paid, redeemed in part across visits until
it expires, and never below zero with 32 people redeeming at once (on whatever database the suite runs on)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter

import pytest
from django.db import connections

from pamper.errors import Refusal
from pamper.payments import gifts
from pamper.payments.models import GiftCard, GiftRedemption, LedgerEntry

from . import stripe_helpers as sh

THREADS = 32


def bought(client, base, amount="100", **extra):  # type: ignore[no-untyped-def]
    card, secret = gifts.buy_gift_card(amount=amount, currency="GBP", buyer_email="giver@example.com",
                                       recipient_email="lucky@example.com", recipient_name="Lucky", **extra)
    assert secret.startswith(card.intent_id)
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(base, card.intent_id), f"evt_{card.intent_id}"))
    card.refresh_from_db()
    return card


@pytest.mark.django_db
def test_a_gift_card_is_bought_emailed_and_used_across_visits(client, frozen, stripe_on, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        card = bought(client, stripe_on, amount="50")
    assert card.paid_at is not None and (card.initial, card.balance) == (5000, 5000)
    [mail] = mailoutbox
    assert mail.to == ["lucky@example.com"] and "£50" in mail.body
    shown = "-".join(card.code[i:i + 4] for i in range(0, 16, 4))
    assert shown in mail.body
    gifts.redeem(code=shown.lower(), amount=3000)
    gifts.redeem(code=card.code, amount=2000)
    with pytest.raises(Refusal) as empty:
        gifts.redeem(code=card.code, amount=1)
    assert empty.value.code == "insufficient_balance"
    assert GiftCard.objects.get(pk=card.pk).balance == 0
    kinds = Counter(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == {"gift_sale": 1, "gift_redemption": 2}


@pytest.mark.django_db
def test_unpaid_unknown_and_expired_cards_are_refused(client, frozen, stripe_on):
    unpaid, _ = gifts.buy_gift_card(amount="20", currency="EUR", buyer_email="a@example.com",
                                    recipient_email="b@example.com")
    for code, expected in ((unpaid.code, "unknown_gift_card"), ("NOPE-NOPE", "unknown_gift_card")):
        with pytest.raises(Refusal) as refused:
            gifts.redeem(code=code, amount=100)
        assert refused.value.code == expected
    card = bought(client, stripe_on, amount="20")
    frozen.shift(card.expires_at - dt.datetime.now(tz=dt.UTC))
    with pytest.raises(Refusal) as expired:
        gifts.redeem(code=card.code, amount=100)
    assert expired.value.code == "gift_card_expired"
    for amount, currency in (("5", "GBP"), ("501", "GBP"), ("20", "USD"), ("ten", "GBP"), ("10.001", "GBP")):
        with pytest.raises(Refusal):
            gifts.buy_gift_card(amount=amount, currency=currency, buyer_email="a@example.com",
                                recipient_email="b@example.com")


def test_cards_last_at_least_twelve_months_and_longer_where_the_country_says():
    bought_on = dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert gifts.expiry(bought_on, "GB") == dt.datetime(2028, 2, 28, 12, tzinfo=dt.UTC)
    assert gifts.expiry(bought_on, "IE") == dt.datetime(2031, 2, 28, 12, tzinfo=dt.UTC)
    assert gifts.expiry(bought_on, "DE") == dt.datetime(2029, 2, 28, 12, tzinfo=dt.UTC)
    assert gifts.expiry(dt.datetime(2026, 8, 31, tzinfo=dt.UTC), "FR") == dt.datetime(2028, 8, 31, tzinfo=dt.UTC)
    for country in ("GB", "FR", "IE", "DE", "ES", "IT", "NL", "PT", "BE", "XX"):
        assert gifts.expiry(bought_on, country) >= bought_on + dt.timedelta(days=365)


@pytest.mark.django_db(transaction=True)
def test_32_people_redeeming_at_once_never_take_the_balance_below_zero(client, frozen, stripe_on):
    card = bought(client, stripe_on, amount="100")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = [""] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait()
            gifts.redeem(code=card.code, amount=500)  # £5 each: twenty fit in £100
            outcomes[i] = "ok"
        except Refusal as exc:
            outcomes[i] = exc.code
        except Exception as exc:  # a crash is a failure, reported below
            outcomes[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert Counter(outcomes) == {"ok": 20, "insufficient_balance": 12}, outcomes
    card.refresh_from_db()
    assert card.balance == 0
    assert sum(GiftRedemption.objects.values_list("amount", flat=True)) == 10000


@pytest.mark.django_db
def test_a_gift_card_pays_a_deposit_in_full_then_in_part(client, paid_shop, stripe_on):
    from pamper.bookings.models import Booking
    from pamper.bookings.tests import helpers as h
    from pamper.payments import gateway

    buyer = h.customer()
    made = client.post("/api/v1/payments/gift-cards", json.dumps({
        "amount": "12", "currency": "GBP", "recipient_email": "lucky@example.com"}),
        content_type="application/json", **h.bearer(buyer))
    assert made.status_code == 201, made.content
    intent_id = made.json()["intent_id"]
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, intent_id), "evt_gift"))
    code = GiftCard.objects.get(intent_id=intent_id).code
    customer = h.customer()

    def book(start):  # type: ignore[no-untyped-def]
        body = {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": start}
        return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                           **h.bearer(customer)).json()

    def redeem(booking_id):  # type: ignore[no-untyped-def]
        return client.post(f"/api/v1/payments/bookings/{booking_id}/gift-card", json.dumps({"code": code}),
                           content_type="application/json", **h.bearer(customer))

    first = book("2026-05-08T10:00:00+01:00")
    answer = redeem(first["id"])
    assert answer.json() == {"redeemed": "9.00", "left_to_pay": "0.00", "status": "confirmed"}
    assert Booking.objects.get(pk=first["id"]).status == "confirmed"
    second = book("2026-05-08T12:00:00+01:00")
    assert redeem(second["id"]).json() == {"redeemed": "3.00", "left_to_pay": "6.00", "status": "pending_payment"}
    assert int(gateway.retrieve_payment_intent(second["payment"]["intent_id"])["amount"]) == 600  # localstripe: a str
    assert redeem(second["id"]).json()["code"] == "insufficient_balance"
    assert GiftCard.objects.get(code=code).balance == 0
    stranger = client.post(f"/api/v1/payments/bookings/{second['id']}/gift-card", json.dumps({"code": code}),
                           content_type="application/json", **h.bearer(buyer))
    assert stranger.status_code == 404


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "1e999999", "lots", "", "10.001"])
def test_an_amount_that_is_not_money_is_a_422_not_a_server_error(client, db, stripe_on, amount):  # type: ignore[no-untyped-def]
    from pamper.bookings.tests import helpers as h

    answer = client.post("/api/v1/payments/gift-cards", json.dumps({
        "amount": amount, "currency": "GBP", "recipient_email": "lucky@example.com"}),
        content_type="application/json", **h.bearer(h.customer()))
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_amount"), answer.content
    assert not GiftCard.objects.exists()
