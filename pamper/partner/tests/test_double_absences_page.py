"""The week's editors put the refusal of an overlapping absence next to its first day, once, in the page's
language, and save nothing."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.venues.models import Closure, TimeOff

from .factories import Salon

pytestmark = pytest.mark.django_db


def messages_of(response, form_name: str) -> list[str]:  # type: ignore[no-untyped-def]
    form = response.context[form_name]
    return [message for errors in form.errors.values() for message in errors]


def test_a_second_overlapping_week_off_is_refused_on_the_page(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    url = f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/time-off/new/"
    first = {"start_date": "2026-06-01", "start_time": "00:00", "end_date": "2026-06-05", "end_time": "23:59"}
    assert client.post(url, first).status_code == 302
    page = client.post(url, {**first, "start_date": "2026-06-04", "end_date": "2026-06-08"})
    assert page.status_code == 400
    assert page.context["off_form"].errors["start_date"]
    [message] = messages_of(page, "off_form")
    assert message.startswith(f"{rose.ana.name} is already off from Mon 1 Jun 2026, 00:00 to Fri 5 Jun 2026, 23:59.")
    assert TimeOff.objects.filter(staff=rose.ana).count() == 1


def test_a_second_overlapping_closure_is_refused_on_the_page_in_german(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    url = f"/de/partner/{rose.venue.pk}/closures/new/"
    assert client.post(url, {"start_date": "2026-12-24", "end_date": "2026-12-27", "reason": ""}).status_code == 302
    page = client.post(url, {"start_date": "2026-12-26", "end_date": "2027-01-01", "reason": ""})
    assert page.status_code == 400
    [message] = messages_of(page, "closure_form")
    assert "24. Dez. 2026" in message and "27. Dez. 2026" in message and "already" not in message
    assert Closure.objects.filter(venue=rose.venue).count() == 1
