"""What the booking panel says after a cancellation: the time is free again only for a visit still to come."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.bookings.models import Status

from .factories import Salon, book, utc

pytestmark = pytest.mark.django_db


def test_cancelling_a_visit_whose_time_has_passed_does_not_offer_the_time_again(client: Browser, rose: Salon) -> None:
    past = book(rose, utc(2026, 5, 4, 9, 0), now=utc(2026, 5, 4, 8, 0))  # Monday's phone booking
    coming = book(rose, utc(2026, 5, 6, 9, 0))
    client.force_login(rose.owner)
    for booking, free_again in ((past, False), (coming, True)):
        page = client.post(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/cancel/", {"reason": "Phoned to cancel"},
                           HTTP_HX_REQUEST="true")
        html = page.content.decode()
        assert page.status_code == 200 and "Cancelled Clara Rose&#x27;s visit." in html
        assert ("The time is free again." in html) is free_again
        booking.refresh_from_db()
        assert booking.status == Status.CANCELLED
