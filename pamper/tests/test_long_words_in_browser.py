"""A word wider than a phone, typed by a person (a venue's or a service's name, a client's name or email), breaks
instead of pushing the page sideways at 390 px.

The site's stylesheet broke long words with `overflow-wrap: break-word`, which never lets a flex item shrink below
its longest word: the venue page's service rows, the booking page's service boxes and the workspace's venue name
and booking panel then made the whole page scroll sideways. It is `anywhere` now (tables keep their columns).
"""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import Page

from pamper.bookings.models import Status
from pamper.tests.browser import PHONE, offline, sign_in, wide_elements
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, at, build_world
from pamper.venues.models import Client, Service, Staff, Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "Supercalifragilisticexpialidocious" * 3  # 102 letters, no break


def test_long_typed_words_do_not_make_pages_scroll_sideways(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        Venue.objects.filter(pk=world.venue.pk).update(name=WORD[:100])
        Service.objects.filter(pk=world.facial_service.pk).update(name=WORD[:100])
        Staff.objects.filter(pk=world.staff.pk).update(name=WORD[:80])
        client = world.treated(world.customer)
        Client.objects.filter(pk=client.pk).update(name=WORD[:100], email=f"{WORD[:60]}@example.com")
        visit = BookingFactory(client=client, customer=world.customer, service=world.facial_service,
                               staff=world.staff, start=at(4, 10), status=Status.CONFIRMED)
        v, slug = world.venue.pk, world.venue.slug
        offline(page, live_server.url)
        page.set_viewport_size(PHONE)
        wide = []
        for who, path in [("", f"/venues/{slug}/"), ("", f"/venues/{slug}/book/?service={world.facial_service.pk}"),
                          ("customer", f"/bookings/{visit.pk}/"), ("owner", f"/partner/{v}/calendar/?date=2026-03-04"),
                          ("owner", f"/partner/{v}/bookings/{visit.pk}/"), ("owner", f"/partner/{v}/services/")]:
            page.context.clear_cookies()
            if who:
                sign_in(page, live_server.url, getattr(world, who))
            response = page.goto(live_server.url + path)
            assert response is not None and response.status < 400, (path, response and response.status)
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                wide.append(f"{path}: {wide_elements(page)}")
    assert not wide, "\n".join(wide)
