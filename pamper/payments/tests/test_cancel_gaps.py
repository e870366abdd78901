"""Money goes back on every cancellation: a quiet one (cancel_booking(notify=False), the customer told by its
caller) refunds by the terms, and what a gift card paid is credited back on the card within the free window."""

from __future__ import annotations

import json

import pytest

from pamper.bookings import actions as booking_actions
from pamper.bookings import paying
from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.payments import actions, gifts
from pamper.payments.models import GiftCard, LedgerEntry

from . import stripe_helpers as sh
from .test_gift_cards import bought

pytestmark = pytest.mark.django_db
START = "2026-05-08T10:00:00+01:00"  # four days away: inside the free window of 48 hours


def booked(client, shop, customer):  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": START}
    answer = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **h.bearer(customer))
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_quiet_cancellation_still_refunds_by_the_terms(client, paid_shop, stripe_on, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    customer = h.customer()
    data = booked(client, paid_shop, customer)
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                f"evt_{data['id']}"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_actions.cancel_booking(booking=Booking.objects.get(pk=data["id"]), actor=customer, notify=False)
    refunds = list(LedgerEntry.objects.filter(kind="refund", booking_id=data["id"]).values_list("amount", flat=True))
    assert refunds == [-900]
    assert mailoutbox == []  # quiet: the caller tells the customer


def test_a_gift_card_is_credited_back_when_the_booking_is_cancelled_in_time(client, paid_shop, stripe_on,
                                                                            django_capture_on_commit_callbacks):
    card = bought(client, stripe_on, amount="10")
    customer = h.customer()
    data = booked(client, paid_shop, customer)  # a deposit of £9
    booking = Booking.objects.get(pk=data["id"])
    answer = actions.pay_with_gift_card(booking=booking, code=card.code)
    assert answer["status"] == Status.CONFIRMED and GiftCard.objects.get(pk=card.pk).balance == 100
    with django_capture_on_commit_callbacks(execute=True):
        booking_actions.cancel_booking(booking=Booking.objects.get(pk=data["id"]), actor=customer)
    assert GiftCard.objects.get(pk=card.pk).balance == 1000
    assert gifts.used_on(booking.pk) == (900, 900)
    with django_capture_on_commit_callbacks(execute=True):  # run again (a retried task): nothing twice
        from pamper.payments import cancelling
        assert cancelling.refund_for_cancellation(booking_id=booking.pk) == 0
    assert GiftCard.objects.get(pk=card.pk).balance == 1000


def test_a_gift_card_that_paid_part_comes_back_with_the_card_refund(client, paid_shop, stripe_on,
                                                                    django_capture_on_commit_callbacks):
    card = bought(client, stripe_on, amount="10")
    gifts.redeem(code=card.code, amount=600)  # £4 left on it
    customer = h.customer()
    data = booked(client, paid_shop, customer)
    booking = Booking.objects.get(pk=data["id"])
    answer = actions.pay_with_gift_card(booking=booking, code=card.code)
    assert answer["left_to_pay"] == "5.00"
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, data["payment"]["intent_id"]),
                                f"evt_{data['id']}"))
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        booking_actions.cancel_booking(booking=Booking.objects.get(pk=data["id"]), actor=customer)
    refunds = list(LedgerEntry.objects.filter(kind="refund", booking_id=booking.pk).values_list("amount", flat=True))
    assert refunds == [-500] and GiftCard.objects.get(pk=card.pk).balance == 400


def test_giving_up_a_payment_part_paid_by_gift_card_gives_the_gift_back(client, paid_shop, stripe_on,
                                                                       django_capture_on_commit_callbacks):
    card = bought(client, stripe_on, amount="10")
    gifts.redeem(code=card.code, amount=600)
    customer = h.customer()
    data = booked(client, paid_shop, customer)
    booking = Booking.objects.get(pk=data["id"])
    actions.pay_with_gift_card(booking=booking, code=card.code)
    assert GiftCard.objects.get(pk=card.pk).balance == 0
    with django_capture_on_commit_callbacks(execute=True):
        paying.release_for_payment_failure(booking=booking, actor=customer)
    assert GiftCard.objects.get(pk=card.pk).balance == 400


def test_a_payment_hold_that_runs_out_gives_the_gift_card_back(client, paid_shop, stripe_on, frozen,
                                                               django_capture_on_commit_callbacks):
    card = bought(client, stripe_on, amount="10")
    gifts.redeem(code=card.code, amount=600)
    data = booked(client, paid_shop, h.customer())
    actions.pay_with_gift_card(booking=Booking.objects.get(pk=data["id"]), code=card.code)
    assert GiftCard.objects.get(pk=card.pk).balance == 0
    frozen.shift(paying.PAYMENT_HOLD_MINUTES * 60 + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert paying.expire_payment_holds() == [data["id"]]
    assert Booking.objects.get(pk=data["id"]).status == Status.EXPIRED
    assert GiftCard.objects.get(pk=card.pk).balance == 400
