"""In Chromium at 360 px, in the languages with the longest words for them: the opening hours and the shifts fit the
screen, and every Remove button is whole inside it (the table used to scroll sideways with the buttons cut off)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pamper.tests.browser import check_page, offline, sign_in

from . import factories

NARROW = {"width": 360, "height": 780}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_weekly_lists_fit_a_360_px_phone_in_german_and_dutch(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    s = factories.salon("Narrow")
    offline(page, live_server.url)
    sign_in(page, live_server.url, s.owner)
    page.set_viewport_size(NARROW)
    for language in ("de", "nl"):
        for name, path in (("hours", "hours/"), ("schedule", f"staff/{s.ana.pk}/schedule/")):
            page.goto(f"{live_server.url}/{language}/partner/{s.venue.pk}/{path}")
            buttons = page.locator("table.week-rows button")
            assert buttons.count() >= 2
            for box in (buttons.nth(i).bounding_box() for i in range(buttons.count())):
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], (name, box)
            check_page(page, f"ws-{name}-{language}")
