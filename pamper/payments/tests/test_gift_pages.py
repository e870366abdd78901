"""Gift cards in the pages: bought for a venue and paid in the page (the card at localstripe), the code emailed
and shown in My gift cards to the one it was given to, used on a booking's payment page in part (what is left
to pay shown), refused at another venue; the owner sees it among the gift cards sold."""

from __future__ import annotations

import json

import pytest

from pamper.accounts.models import Role
from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.payments import gateway, gifts
from pamper.payments.models import GiftCard
from pamper.tests.factories import member

from . import stripe_helpers as sh

pytestmark = pytest.mark.django_db


def buy_and_pay(client, shop, base, amount="10", recipient="lucky@example.com"):  # type: ignore[no-untyped-def]
    """The buyer fills the form, then Stripe.js's part: a SetupIntent with the card, the server pays with it."""
    page = client.get(f"/gift-cards/venue/{shop.venue.id}/")
    assert page.status_code == 200
    answer = client.post(f"/gift-cards/venue/{shop.venue.id}/", {
        "amount": amount, "recipient_name": "Lucky", "recipient_email": recipient, "message": "Enjoy"})
    card = GiftCard.objects.latest("id")
    assert answer.status_code == 302 and answer["Location"] == f"/gift-cards/{card.pk}/pay/"
    assert client.get(answer["Location"]).status_code == 200
    secret = client.post(f"/gift-cards/{card.pk}/pay/card-setup/", {"attempt": "0"}).json()["client_secret"]
    seti_id = secret.split("_secret")[0]
    gateway.client().v1.setup_intents.confirm(seti_id, params={"payment_method": sh.card_method(base)})
    paid = client.post(f"/gift-cards/{card.pk}/pay/card/", {"setup_intent": seti_id}).json()
    assert paid["state"] == "succeeded", paid
    assert client.post(f"/gift-cards/{card.pk}/pay/check/").json()["next"] == "/gift-cards/"
    card.refresh_from_db()
    return card


def test_a_gift_card_is_bought_for_a_venue_and_used_in_part_on_a_booking(
        client, paid_shop, stripe_on, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(h.customer("giver@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        card = buy_and_pay(client, paid_shop, stripe_on)
    assert card.paid_at is not None and card.venue_id == paid_shop.venue.id and card.balance == 1000
    gifts.redeem(code=card.code, amount=500)  # a first visit took £5 of it
    [mail] = mailoutbox
    code = "-".join(card.code[i:i + 4] for i in range(0, 16, 4))
    assert mail.to == ["lucky@example.com"] and code in mail.body
    assert code not in client.get("/gift-cards/").content.decode()  # the buyer sees the card, not its code
    lucky = h.customer("lucky@example.com")
    client.force_login(lucky)
    mine = client.get("/gift-cards/").content.decode()
    assert code in mine and "£5 left of £10" in mine
    body = {"venue_id": paid_shop.venue.id, "services": [paid_shop.cut.id], "start": "2026-05-08T10:00:00+01:00"}
    data = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                       **h.bearer(lucky)).json()
    assert b"gift-form" in client.get(f"/bookings/{data['id']}/pay/").content
    answer = client.post(f"/bookings/{data['id']}/pay/gift-card/", {"code": code.lower()}, follow=True)
    assert "Your gift card paid £5. Left to pay by card: £4." in answer.content.decode()
    assert "£0 left of £10" in client.get("/gift-cards/").content.decode()
    owner = member(paid_shop.venue, Role.OWNER)
    client.force_login(owner)
    sold = client.get(f"/partner/{paid_shop.venue.id}/payments/gift-cards/").content.decode()
    assert card.code[-4:] in sold and "Lucky" in sold


def test_a_venues_gift_card_is_refused_elsewhere_and_a_full_one_confirms(client, paid_shop, stripe_on):
    client.force_login(h.customer("giver@example.com"))
    card = buy_and_pay(client, paid_shop, stripe_on, amount="20")
    other = h.shop()
    from .conftest import deposit_policy
    deposit_policy(other.venue)
    someone = h.customer()
    client.force_login(someone)
    for shop, expected in ((other, "This gift card is for"), (paid_shop, "Your gift card paid £9")):
        body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-08T10:00:00+01:00"}
        data = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                           **h.bearer(someone)).json()
        answer = client.post(f"/bookings/{data['id']}/pay/gift-card/", {"code": card.code}, follow=True)
        assert expected in answer.content.decode()
    assert Booking.objects.get(pk=data["id"]).status == Status.CONFIRMED
    assert GiftCard.objects.get(pk=card.pk).balance == 1100


def test_someone_elses_gift_card_payment_is_a_404(client, paid_shop, stripe_on):
    client.force_login(h.customer("giver@example.com"))
    client.post(f"/gift-cards/venue/{paid_shop.venue.id}/", {
        "amount": "10", "recipient_name": "Lucky", "recipient_email": "lucky@example.com"})
    card = GiftCard.objects.get()
    client.force_login(h.customer())
    assert client.get(f"/gift-cards/{card.pk}/pay/").status_code == 404
    assert client.post(f"/gift-cards/{card.pk}/pay/card-setup/", {"attempt": "0"}).status_code == 404
