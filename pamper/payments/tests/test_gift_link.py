"""The venue page offers the venue's gift cards where they can be bought: before, the gift card form existed
but no page a customer reads linked to it (only the partner workspace did)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pamper.tests.world import World
from pamper.venues.models import Venue

pytestmark = pytest.mark.django_db


def _page(world: World) -> str:
    return world.browser("customer").get(world.venue.get_absolute_url()).content.decode()


def test_the_venue_page_links_to_its_gift_cards_when_payments_are_on(world: World, settings) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    html = _page(world)
    assert 'data-testid="gift-cards"' in html
    assert f'href="{reverse("payments:buy_gift_card", args=[world.venue.pk])}"' in html
    form = world.browser("customer").get(reverse("payments:buy_gift_card", args=[world.venue.pk]))
    assert form.status_code == 200


def test_no_gift_card_link_without_payments_or_in_a_currency_not_sold(world: World, settings) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "", ""
    assert "gift-cards" not in _page(world)
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    Venue.objects.filter(pk=world.venue.pk).update(currency="CHF")
    assert "gift-cards" not in _page(world)


def test_the_link_keeps_the_page_language(world: World, settings) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    html = world.browser("customer").get("/fr" + world.venue.get_absolute_url()).content.decode()
    assert f'href="/fr/gift-cards/venue/{world.venue.pk}/"' in html
