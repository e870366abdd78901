"""Every page a visitor, a customer, an owner and a practitioner reach, in Chromium: axe-core finds nothing serious
or critical (desktop), and at 390 px nothing scrolls sideways (document.documentElement.scrollWidth <= 390).
Each page is kept as a screenshot under var/test-artifacts/journeys/. Plus the booking page on a phone and with
the keyboard: the service picked on the venue page stays in sight, and changing the day keeps focus on the day.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Page, expect

from pamper.bookings.models import Status
from pamper.catalog.models import Treatment
from pamper.clinical import actions as clinical_actions
from pamper.tests.browser import DESKTOP, PHONE, axe_findings, offline, screenshot, sign_in, wide_elements
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, World, at, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(world: World) -> dict[str, list[tuple[str, str]]]:
    """(name, path) per person ("" for a visitor), at least 20 in all."""
    v, slug = world.venue.pk, world.venue.slug
    client = world.treated(world.customer)
    visit = BookingFactory(client=client, customer=world.customer, service=world.facial_service, staff=world.staff,
                           start=at(4, 10), status=Status.CONFIRMED)
    guide = Treatment.objects.exclude(guide_what="").first() or world.meso
    return {
        "": [("home", "/"), ("treatments", "/treatments/"), ("guide", f"/treatments/{guide.slug}/"),
             ("search", "/search/?q=mesotherapy&near=London"), ("venue", f"/venues/{slug}/"),
             ("book", f"/venues/{slug}/book/?service={world.facial_service.pk}"),
             ("sign-in", "/accounts/login/"), ("sign-up", "/accounts/signup/")],
        "customer": [("my-bookings", "/bookings/"), ("booking", f"/bookings/{visit.pk}/"),
                     ("reschedule", f"/bookings/{visit.pk}/reschedule/"), ("health", "/account/health/"),
                     ("questionnaire", f"/account/health/questionnaire/{v}/{world.meso.pk}/"),
                     ("consent", f"/account/health/consent/{v}/{world.meso.pk}/"),
                     ("pathway-checkout", f"/book/pathway/{world.meso_service.pk}/"),
                     ("profile", "/accounts/profile/")],
        "owner": [("ws-calendar", f"/partner/{v}/calendar/?date=2026-03-04"),
                  ("ws-services", f"/partner/{v}/services/"), ("ws-staff", f"/partner/{v}/staff/"),
                  ("ws-clients", f"/partner/{v}/clients/"), ("ws-client", f"/partner/{v}/clients/{client.pk}/"),
                  ("ws-hours", f"/partner/{v}/hours/"),
                  ("ws-settings", f"/partner/{v}/settings/"), ("ws-booking", f"/partner/{v}/bookings/{visit.pk}/"),
                  ("ws-new-booking", f"/partner/{v}/bookings/new/")],
        "practitioner": [("clinical-worklist", f"/partner/clinical/{v}/"),
                         ("clinical-record", f"/partner/clinical/{v}/clients/{client.pk}/")],
    }


def test_pages_have_no_serious_axe_finding_and_fit_a_phone(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        clinical_actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso,
                                              version=None, now=NOW, answers={"pregnancy": False,
                                                                              "blood-thinners": False})
        offline(page, live_server.url)
        problems, checked = [], 0
        for who, pages in _pages(world).items():
            page.context.clear_cookies()
            if who:
                sign_in(page, live_server.url, getattr(world, who))
            for name, path in pages:
                page.set_viewport_size(DESKTOP)
                response = page.goto(live_server.url + path)
                assert response is not None and response.status < 400, (name, response and response.status)
                problems += [f"{name}: {f}" for f in axe_findings(page)]
                page.set_viewport_size(PHONE)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    problems.append(f"{name}: {width} px wide at 390: {wide_elements(page)}")
                screenshot(page, f"page-{name}-390", full_page=False)  # the first screen: full pages cost seconds
                checked += 1
    assert checked >= 20
    assert not problems, "\n".join(problems)


def test_the_booking_page_on_a_phone_keeps_the_service_in_sight_and_focus_on_the_day(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        offline(page, live_server.url)
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/venues/{world.venue.slug}/")
        page.get_by_role("link", name=f"Book {world.facial_service.name}").first.click()
        chosen = page.locator(f".booking-services input[value='{world.facial_service.pk}']")
        expect(chosen).to_be_checked()
        expect(chosen).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide_elements(page)

        # The keyboard alone: focus a day, move to the next with the arrow key; focus stays on the day chosen.
        days = page.locator(".days input[name=day]")
        first_day = days.first.get_attribute("value")
        days.first.focus()
        page.keyboard.press("ArrowRight")
        next_day = (dt.date.fromisoformat(first_day or "") + dt.timedelta(days=1)).isoformat()
        expect(page.locator(f".days input[value='{next_day}']")).to_be_checked()
        expect(page.locator(f".days input[value='{next_day}']")).to_be_focused()
        expect(page.locator("#slots-title")).to_contain_text(dt.date.fromisoformat(next_day).strftime("%A"))
        screenshot(page, "booking-phone-day-changed-390")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#booking') !== null")


def test_long_german_treatment_names_wrap_on_a_small_phone(live_server, page: Page, catalogue) -> None:  # type: ignore[no-untyped-def]
    """German joins words: 'Schwangerschaftsmassage' and 'Fußreflexzonenmassage' are one word each, wider than a
    360 px phone at heading size. The headings break them instead of pushing the page sideways."""
    offline(page, live_server.url)
    page.set_viewport_size({"width": 360, "height": 780})
    for slug, name in (("pregnancy-massage", "Schwangerschaftsmassage"), ("reflexology", "Fußreflexzonenmassage")):
        page.goto(f"{live_server.url}/de/treatments/{slug}/")
        expect(page.locator("h1")).to_have_text(name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide_elements(page)


def test_a_long_service_name_keeps_its_box_beside_it_on_a_small_phone(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    """On a 360 px phone a long service name wraps beside its checkbox (the box used to sit alone on a line above
    the name), and its duration and price move to the next line whole ('30 Min. · 150 £', never '30 / Min.')."""
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        world.facial_service.name = "Consultation and patch test: hydrating facial with LED light"
        world.facial_service.save(update_fields=["name"])
        offline(page, live_server.url)
        page.set_viewport_size({"width": 360, "height": 780})
        page.goto(f"{live_server.url}/de/venues/{world.venue.slug}/book/?service={world.facial_service.pk}")
        label = page.locator(".booking-services label.choice", has_text="hydrating facial")
        box = label.locator("input").bounding_box()
        name = label.locator("span > span").first.bounding_box()
        details = label.locator(".small").bounding_box()
        assert box and name and details
        assert box["x"] + box["width"] <= name["x"], (box, name)  # beside the name, not above it
        assert name["height"] > 30  # the name does wrap at this width
        assert details["height"] < 25, details  # one line
