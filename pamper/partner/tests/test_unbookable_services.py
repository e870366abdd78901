"""The workspace says which services customers cannot book, and where to look (a new clinic published anti-wrinkle
injections performed by a doctor with shifts but no credential yet: the checklist said all was done, search showed
no free time and nothing told the owner why)."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.accounts.models import Role
from pamper.bookings.tests import helpers as h
from pamper.tests.factories import member

from .factories import Salon

pytestmark = pytest.mark.django_db


def clinic():  # type: ignore[no-untyped-def]
    venue = h.venue(kind="clinic", is_published=False)
    botox = h.treatment(slug="anti-wrinkle-injections", name="Anti-wrinkle injections")
    injections = h.service(venue, minutes=30, name="Botox one area", t=botox)
    peel = h.service(venue, minutes=30, name="Glow peel")
    h.staff(venue, [injections, peel], name="Dr Dora")
    return venue, member(venue, Role.OWNER)


def test_the_checklist_and_services_page_name_a_service_nobody_may_perform(client: Browser, frozen) -> None:
    venue, owner = clinic()
    client.force_login(owner)
    for url in (f"/partner/{venue.pk}/", f"/partner/{venue.pk}/services/"):
        page = client.get(url).content.decode()
        assert 'id="unbookable"' in page, url
        notice = page[page.index('id="unbookable"'):]
        notice = notice[:notice.index("</div>")]
        assert "Botox one area" in notice and "Glow peel" not in notice
        assert "credentials" in notice


def test_nothing_is_said_when_every_service_can_be_booked(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    assert 'id="unbookable"' not in client.get(f"/partner/{rose.venue.pk}/services/").content.decode()


def test_a_service_whose_performer_works_only_while_the_venue_is_closed_is_named(client: Browser, frozen) -> None:
    venue = h.venue(days=range(5))  # open Monday to Friday
    nails = h.service(venue, minutes=45, name="Sunday nails")
    h.staff(venue, [nails], name="Bea", days=range(6, 7))  # works Sundays only
    owner = member(venue, Role.OWNER)
    client.force_login(owner)
    page = client.get(f"/de/partner/{venue.pk}/services/").content.decode()
    assert 'id="unbookable"' in page and "Sunday nails" in page[page.index('id="unbookable"'):]
