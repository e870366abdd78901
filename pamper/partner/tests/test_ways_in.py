"""Issue 18, point 9: an account menu reaches profile, password, two-factor set-up, bookings, favourites and sign
out; "For business" reaches an onboarding page with a sign-up path into the existing venue set-up."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in
from pamper.tests.factories import UserFactory

MENU = ["/accounts/profile/", "/accounts/password/change/", "/accounts/two-factor/", "/bookings/", "/waitlist/",
        "/account/favourites/", "/account/health/", "/accounts/logout/"]


@pytest.mark.django_db
def test_the_header_offers_for_business_and_the_account_menu(client):
    page = client.get("/search/").content.decode()
    assert 'href="/partner/for-business/"' in page and "account-menu" not in page
    client.force_login(UserFactory(email="menu@example.com", name="Mina"))
    page = client.get("/search/").content.decode()
    menu = page.split('id="account-menu"', 1)[1].split("</details>", 1)[0]
    for url in MENU:
        assert f'"{url}"' in menu, url
    assert 'href="/partner/for-business/"' in page  # not a member of any venue yet


@pytest.mark.django_db
def test_for_business_explains_and_leads_to_the_venue_set_up(client):
    page = client.get("/partner/for-business/").content.decode()
    assert "List your venue on Pamper" in page and 'id="offers"' in page
    assert 'href="/accounts/signup/?next=%2Fpartner%2Fvenues%2Fnew%2F"' in page
    client.force_login(UserFactory())
    page = client.get("/partner/for-business/").content.decode()
    assert 'id="list-your-venue" href="/partner/venues/new/"' in page
    assert client.get("/partner/venues/new/").status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_ways_in_by_keyboard_on_desktop_and_phone(live_server, page):
    user = UserFactory(email="keys@example.com", name="Kit")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/partner/for-business/")
        check_page(page, f"ways-in-for-business-{name}")
        page.get_by_role("link", name="List your venue").first.click()
        expect(page).to_have_url(f"{live_server.url}/accounts/signup/?next=%2Fpartner%2Fvenues%2Fnew%2F")
        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/bookings/")
        summary = page.locator("#account-menu > summary")
        summary.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#account-menu").get_by_role("link", name="Two-factor sign-in")).to_be_visible()
        check_page(page, f"ways-in-account-menu-{name}")
        page.locator("#account-menu").get_by_role("link", name="Favourites").focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{live_server.url}/account/favourites/")
