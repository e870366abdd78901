"""Issue 18, point 10 in a real browser, on a desktop and a 390 px phone: the filter selects show their options'
whole text, the pager is there and usable, and the home page's boxes offer the search page's suggestions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pamper.tests.browser import DESKTOP, PHONE, check_page, offline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each select's widest option against the room its box gives the text (padding and the arrow taken off).
CUT_SELECTS = """() => [...document.querySelectorAll('main select')].filter(s => {
  const style = getComputedStyle(s), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const widest = Math.max(...[...s.options].map(o => ctx.measureText(o.text).width));
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
  return widest > room;
}).map(s => s.id)"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("prefix", ["", "/de", "/fr"])
def test_filter_selects_show_their_whole_text(page, live_server, london, viewport, prefix) -> None:  # type: ignore[no-untyped-def]
    offline(page, live_server.url)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}{prefix}/search/?q=mesotherapy&near=London&limit=2")
    page.evaluate("() => { document.querySelector('[data-search-filters]').open = true; }")
    assert page.evaluate(CUT_SELECTS) == []
    check_page(page, f"search-filters{prefix.replace('/', '-')}", axe=not prefix)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pager_counts_and_pages_with_the_filters(page, live_server, london, viewport) -> None:  # type: ignore[no-untyped-def]
    offline(page, live_server.url)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/search/?q=mesotherapy&near=London&limit=2&price_max=500")
    expect(page.locator("[data-search-count]")).to_have_text("4 venues · page 1 of 2")
    pager = page.get_by_role("navigation", name="Pages of results")
    expect(pager.locator("[aria-current=page]")).to_have_text(re.compile(r"1$"))
    pager.get_by_role("link", name="Next").click()
    expect(page.locator("[data-search-count]")).to_have_text("4 venues · page 2 of 2")
    expect(page).to_have_url(re.compile(r"price_max=500.*page=2|page=2.*price_max=500"))
    check_page(page, "search-page-2")
    pager.get_by_role("link", name="Previous").click()
    expect(page.locator("[data-search-count]")).to_have_text("4 venues · page 1 of 2")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_home_page_boxes_suggest_like_the_search_page(page, live_server, london, viewport) -> None:  # type: ignore[no-untyped-def]
    offline(page, live_server.url)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/")
    what = page.get_by_role("combobox", name="What")
    what.press_sequentially("mesot", delay=20)
    expect(what).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#home-q-listbox").get_by_role("option").first).to_contain_text("Mesotherapy")
    what.press("ArrowDown")
    what.press("Enter")
    expect(what).to_have_value(re.compile("mesotherapy", re.IGNORECASE))
    where = page.get_by_role("combobox", name="Where")
    where.press_sequentially("Lond", delay=20)
    expect(page.locator("#home-near-listbox").get_by_role("option").first).to_contain_text("London")
    check_page(page, "home-suggestions")
    where.press("ArrowDown")
    where.press("Enter")
    expect(where).to_have_value(re.compile(r"^London, United Kingdom"))
    where.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?"))
    expect(page.locator("#search-results .search-result").first).to_be_visible()
