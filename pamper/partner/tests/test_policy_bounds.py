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


def test_the_page_tells_the_browser_each_limit(world: World) -> None:
    page = world.browser("owner").get(f"/partner/{world.venue.pk}/policies/").content.decode()
    for name, most in (("cancel_notice_hours", 8760), ("reminder_lead_hours", 8760), ("min_notice_minutes", 525600),
                       ("horizon_days", 365)):
        assert f'max="{most}"' in page.split(f'name="{name}"', 1)[1].split(">", 1)[0] + \
            page.split(f'name="{name}"', 1)[0].rsplit("<", 1)[1], name


def test_the_rule_is_the_venues_own_whatever_writes_it(world: World) -> None:
    """The limit sits on the model, so the venue action refuses it for any caller, not only the page's form."""
    from pamper.errors import Refusal
    from pamper.venues import actions

    with pytest.raises(Refusal) as refused:
        actions.update_venue(venue=world.venue, cancel_notice_hours=8761)
    assert refused.value.status == 422
    assert [e["field"] for e in refused.value.extra["errors"]] == ["cancel_notice_hours"]


def test_policies_saved_before_the_limit_are_brought_back_to_a_year(world: World) -> None:
    from importlib import import_module

    from django.apps import apps

    from pamper.venues.models import Venue

    Venue.objects.filter(pk=world.venue.pk).update(cancel_notice_hours=30000, reminder_lead_hours=9000,
                                                   min_notice_minutes=2147483647)
    import_module("pamper.venues.migrations.0011_policies_reach_a_year_at_most").clamp_to_a_year(apps, None)
    venue = Venue.objects.get(pk=world.venue.pk)
    assert (venue.cancel_notice_hours, venue.reminder_lead_hours, venue.min_notice_minutes) == (8760, 8760, 525600)
    assert world.browser("customer").get(f"/venues/{venue.slug}/").status_code == 200
