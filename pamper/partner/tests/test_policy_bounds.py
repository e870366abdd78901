"""A booking policy reaches at most a year ahead: notice, cancellation notice and reminder lead.

SQLite stores any number, so the policies page saved 2147483648 hours' notice to cancel; the cancel deadline of
every booking at the venue was then before year 1, and the customer's booking pages and the bookings API
answered 500 (OverflowError). The form now refuses more than a year, as it does for the booking horizon.
"""

from __future__ import annotations

import pytest

from pamper.tests.world import World

pytestmark = pytest.mark.django_db

POLICY = {"slot_minutes": "15", "min_notice_minutes": "60", "horizon_days": "60", "cancel_notice_hours": "24",
          "reminder_lead_hours": "24", "auto_confirm": "on"}


@pytest.mark.parametrize("field, too_far, furthest", [("cancel_notice_hours", "2147483648", "8760"),
                                                       ("reminder_lead_hours", "8761", "8760"),
                                                       ("min_notice_minutes", "2147483648", "525600")])
def test_a_policy_beyond_a_year_is_refused(world: World, field: str, too_far: str, furthest: str) -> None:
    owner, venue = world.browser("owner"), world.venue
    before = getattr(venue, field)
    answer = owner.post(f"/partner/{venue.pk}/policies/", POLICY | {field: too_far})
    assert answer.status_code == 400 and "less than or equal to" in answer.content.decode()
    venue.refresh_from_db()
    assert getattr(venue, field) == before
    assert owner.post(f"/partner/{venue.pk}/policies/", POLICY | {field: furthest}).status_code == 302
    venue.refresh_from_db()
    assert getattr(venue, field) == int(furthest)
