"""Issue 18, point 10: one money format on the pathway checkout ("£25", never "25.00 GBP")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pamper.clinical import actions
from pamper.lib import clock
from pamper.venues.models import Service

from .conftest import World

pytestmark = pytest.mark.django_db


def test_the_pathway_checkout_shows_prices_as_money(world: World) -> None:
    Service.objects.filter(pk=world.meso_consult.pk).update(price=Decimal("25.00"))
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None,
                                 answers={"pregnancy": False, "blood-thinners": False}, now=clock.now())
    actions.sign_consent(user=world.customer, client=world.client_of(world.customer), treatment=world.meso,
                         version=None, typed_name="Customer Person", now=clock.now())
    html = world.browser("customer").get(f"/book/pathway/{world.meso_service.pk}/").content.decode()
    assert "Choose your consultation" in html and "£25" in html
    assert "GBP" not in html
