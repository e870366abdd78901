"""The combined checkout (consultation and treatment) asks the payment the venue's policy sets for the treatment,
as any booking does: the treatment waits in pending_payment, holding its slot, and turns awaiting_patch_test once
Stripe reports the payment. Before, it went straight to awaiting_patch_test with nothing paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pamper.bookings import paying
from pamper.bookings.models import Booking, Status
from pamper.clinical import actions
from pamper.payments.models import BookingPayment
from pamper.payments.tests import stripe_helpers as sh
from pamper.payments.tests.conftest import deposit_policy, localstripe, stripe_on  # noqa: F401 (fixtures)
from pamper.venues.models import Service

from .conftest import NOW, World, at
from .test_pathway_api import book_pathway

pytestmark = pytest.mark.django_db


def test_the_treatment_booked_with_its_consultation_waits_for_the_deposit(client, world: World, stripe_on) -> None:  # noqa: F811
    deposit_policy(world.venue)  # a 20% deposit; consultations free
    response = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["consultation"]["status"] == Status.CONFIRMED
    assert body["treatment"]["status"] == Status.PENDING_PAYMENT
    payment = body["treatment"]["payment"]
    assert payment["kind"] == "deposit" and payment["intent_id"].startswith("pi_")
    treatment = Booking.objects.get(pk=body["treatment"]["id"])
    assert treatment.depends_on_id == body["consultation"]["id"]
    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, payment["intent_id"]), "evt_meso"))
    treatment.refresh_from_db()
    assert treatment.status == Status.AWAITING_PATCH_TEST
    assert treatment.depends_on_id == body["consultation"]["id"]
    assert BookingPayment.objects.get(booking=treatment).state == "succeeded"


def _charged_consultation(world: World) -> None:
    """The venue charges £30 for the consultation and takes its 20% deposit on consultations too."""
    deposit_policy(world.venue, consultations_free=False)
    Service.objects.filter(pk=world.meso_consult.pk).update(price=Decimal(30))


def test_a_charged_consultation_waits_for_its_own_payment_then_leads_to_the_treatments(client, world: World,
                                                                                    stripe_on) -> None:  # noqa: F811
    """Before, the combined checkout booked the consultation confirmed with nothing paid, whatever the venue's
    policy said about consultations."""
    _charged_consultation(world)
    response = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30))
    assert response.status_code == 201, response.content
    body = response.json()
    consultation, treatment = body["consultation"], body["treatment"]
    assert consultation["status"] == treatment["status"] == Status.PENDING_PAYMENT
    assert consultation["payment"]["amount"] == "6.00" and consultation["payment"]["intent_id"].startswith("pi_")
    assert treatment["payment"]["intent_id"] != consultation["payment"]["intent_id"]

    # Paid on the payment page: the page's check confirms it and leads on to the treatment's payment.
    sh.pay(stripe_on, consultation["payment"]["intent_id"])
    answer = world.browser("customer").post(reverse("payments:check", args=[consultation["id"]])).json()
    assert answer["booking_status"] == Status.CONFIRMED
    assert answer["next"] == reverse("payments:pay", args=[treatment["id"]])

    sh.deliver(client, sh.event("payment_intent.succeeded", sh.pay(stripe_on, treatment["payment"]["intent_id"]),
                                "evt_meso_treatment"))
    booked = Booking.objects.get(pk=treatment["id"])
    assert booked.status == Status.AWAITING_PATCH_TEST and booked.depends_on_id == consultation["id"]
    answer = world.browser("customer").post(reverse("payments:check", args=[treatment["id"]])).json()
    assert answer["next"] == reverse("bookings:detail", args=[treatment["id"]])


def test_an_unpaid_consultation_frees_both_times(world: World, stripe_on, frozen) -> None:  # noqa: F811
    _charged_consultation(world)
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    frozen.shift(dt.timedelta(minutes=paying.PAYMENT_HOLD_MINUTES, seconds=1))
    assert body["consultation"]["id"] in paying.expire_payment_holds()
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses[body["consultation"]["id"]] == Status.EXPIRED
    assert statuses[body["treatment"]["id"]] in (Status.EXPIRED, Status.CANCELLED)


def test_the_consultation_booked_alone_for_review_asks_its_payment(world: World, stripe_on) -> None:  # noqa: F811
    _charged_consultation(world)
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None,
                                 now=NOW, answers={"pregnancy": False, "blood-thinners": True})
    browser, checkout = world.browser("customer"), f"/book/pathway/{world.meso_service.pk}/"
    page = browser.get(checkout).content.decode()
    start = page.split('name="consultation_start" value="')[1].split('"')[0]
    booked = browser.post(checkout, {"consultation_only": "1", "consultation_start": start})
    booking = Booking.objects.get()
    assert booking.status == Status.PENDING_PAYMENT
    assert booked.status_code == 302 and booked["Location"] == reverse("payments:pay", args=[booking.pk])
    assert BookingPayment.objects.get(booking=booking).due_now == 600  # 20% of £30, in pence


def _treatment_step(world: World) -> str:
    """The checkout's treatment step, questionnaire and consent done and a consultation time chosen."""
    browser, checkout = world.browser("customer"), f"/book/pathway/{world.meso_service.pk}/"
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None, now=NOW,
                                 answers={"pregnancy": False, "blood-thinners": False})
    browser.post(f"/account/health/consent/{world.venue.pk}/{world.meso.pk}/",
                 {"version": 1, "typed_name": "Customer Person", "agree": "on", "next": checkout})
    page = browser.get(checkout, {"consultation_start": at(3, 10).isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-step="treatment"' in html
    return html


def test_the_treatment_step_says_what_is_paid_and_what_cancelling_costs_before_booking(world: World,
                                                                                    stripe_on) -> None:  # noqa: F811
    """Before, the combined checkout's last step showed no payment terms: the customer learnt of the deposit only
    on the payment page, after pressing "Book"."""
    _charged_consultation(world)
    html = _treatment_step(world)
    assert 'data-testid="pathway-payment-terms"' in html
    terms = html.split('data-testid="pathway-payment-terms"', 1)[1].split("</section>", 1)[0]
    assert world.meso_consult.name in terms and world.meso_service.name in terms
    assert "You pay a deposit of £6 now" in terms  # 20% of the £30 consultation
    assert "You pay a deposit of £30 now" in terms  # 20% of the £150 treatment
    assert "Free cancellation until 48 hours before." in terms  # the treatment's time is still to be chosen
    assert "go to payment" in html


def test_a_venue_paid_at_the_desk_shows_no_payment_terms(world: World) -> None:
    html = _treatment_step(world)
    assert "pathway-payment-terms" not in html and "Book consultation and treatment" in html
