"""A day chosen on the booking page before htmx has started (a tap while the page is still loading, or a form the
browser restores on Back) still shows that day's times. Before, the choice sent no request: the page showed the
first day's times next to another day marked as chosen (seen in the French journey on a loaded machine)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pamper.bookings.tests import helpers as h
from pamper.lib import clock
from pamper.tests.browser import PHONE

# Runs before the page's own scripts: the moment the chosen day's chip is parsed, it is clicked, so the change
# happens before DOMContentLoaded, when htmx starts watching the form.
CLICK_WHILE_LOADING = """
(value) => {
  new MutationObserver((records, observer) => {
    const input = document.querySelector(`label.day input[value='${value}']`);
    if (input && document.readyState === "loading") {
      observer.disconnect();
      input.closest("label").click();
      window.__clickedWhileLoading = true;
    }
  }).observe(document, {childList: true, subtree: true});
}
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_day_chosen_while_the_page_loads_shows_its_times(live_server, page) -> None:
    shop = h.shop()
    day = clock.now().astimezone(shop.venue.tz).date() + dt.timedelta(days=3)
    page.add_init_script(f"({CLICK_WHILE_LOADING})('{day:%Y-%m-%d}')")
    page.goto(f"{live_server.url}/venues/{shop.venue.slug}/book/?service={shop.cut.pk}")
    assert page.evaluate("window.__clickedWhileLoading === true")
    expect(page.locator(f"label.day input[value='{day:%Y-%m-%d}']")).to_be_checked()
    ten = page.locator("#slots").get_by_role("button", name="10:00", exact=True)
    expect(ten).to_have_attribute("value", re.compile(f"^{day:%Y-%m-%d}T10:00"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_untouched_booking_page_sends_no_request_of_its_own(live_server, page) -> None:
    """The staff select ("Anyone available", no option marked selected) counted as changed before htmx was ready,
    so every booking page asked for itself again as it loaded; a day pressed meanwhile could be overwritten by
    that answer (the phone journey in test_pages_in_browser.py failed that way)."""
    shop = h.shop()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/book/" in request.url else None)
    page.goto(f"{live_server.url}/venues/{shop.venue.slug}/book/?service={shop.cut.pk}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_staff")).to_have_value("")
    assert asked == [f"{live_server.url}/venues/{shop.venue.slug}/book/?service={shop.cut.pk}"], asked


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_service_chosen_far_down_a_long_menu_is_shown_whole_inside_its_box(live_server, page) -> None:
    """A long menu scrolls inside its box; the service chosen on the venue page is brought into sight whole, below
    the legend drawn over the box's top border (it used to stop at the top edge, half under the legend)."""
    shop = h.shop()
    extra = [h.service(shop.venue, minutes=30, price="20.00", name=f"Treatment number {i:02d}") for i in range(24)]
    shop.anna.services.add(*extra)
    chosen = extra[17]
    page.set_viewport_size(PHONE)  # on a phone the label wraps and the old position left it under the legend
    page.goto(f"{live_server.url}/venues/{shop.venue.slug}/book/?service={chosen.pk}")
    box = page.locator(".booking-services")
    expect(box.locator(f"input[value='{chosen.pk}']")).to_be_checked()
    where = box.evaluate("""(box) => {
      const label = box.querySelector("input:checked").closest("label").getBoundingClientRect();
      const frame = box.getBoundingClientRect(), legend = box.querySelector("legend").getBoundingClientRect();
      return {scrolls: box.scrollHeight > box.clientHeight, scrolled: box.scrollTop,
              top: label.top, bottom: label.bottom,
              clearTop: Math.max(frame.top + box.clientTop, legend.bottom),
              clearBottom: frame.top + box.clientTop + box.clientHeight};
    }""")
    assert where["scrolls"] and where["scrolled"] > 0, where
    assert where["clearTop"] <= where["top"] and where["bottom"] <= where["clearBottom"], where
