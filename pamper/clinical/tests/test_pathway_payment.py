"""The combined checkout (consultation and treatment) asks the payment the venue's policy sets for the treatment,
as any booking does: the treatment waits in pending_payment, holding its slot, and turns awaiting_patch_test once
Stripe reports the payment. Before, it went straight to awaiting_patch_test with nothing paid."""

from __future__ import annotations

import pytest

from pamper.bookings.models import Booking, Status
from pamper.payments.models import BookingPayment
from pamper.payments.tests import stripe_helpers as sh
from pamper.payments.tests.conftest import deposit_policy, localstripe, stripe_on  # noqa: F401 (fixtures)

from .conftest import World, at
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
