"""The booking page offers no treatment time the pathway would refuse: without a consultation it shows the
pathway's call to action instead of slots; after a passed patch test it offers times from the earliest allowed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from pamper.clinical import actions
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in
from pamper.tests.world import NOW, World, at, build_world
from pamper.venues.models import Client


def _book_url(world: World) -> str:
    return f"/venues/{world.venue.slug}/book/?service={world.meso_service.pk}"


def test_no_consultation_means_no_treatment_slots_but_the_pathway_checkout(world: World) -> None:
    for who in (None, "customer"):
        browser = world.browser(who) if who else world.browser("customer").__class__()
        html = browser.get(_book_url(world)).content.decode()
        assert 'id="slots"' not in html and 'name="start"' not in html, who
        assert f'href="/book/pathway/{world.meso_service.pk}/"' in html, who
        assert "starts with a consultation and patch test" in html, who
    # A service with no pathway still offers its times.
    facial = world.browser("customer").get(f"/venues/{world.venue.slug}/book/?service={world.facial_service.pk}")
    assert 'name="start"' in facial.content.decode()


def test_the_gate_reads_no_consultation_service_it_does_not_show(world: World) -> None:
    """The gate's call to action links to the pathway checkout by the treatment's service: the consultation
    service is not read for it (the checkout reads it), and the pages that do show it still find it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pamper.clinical.state import pathway_state

    with CaptureQueriesContext(connection) as captured:
        assert world.browser("customer").get(_book_url(world)).status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if '"kind" = \'consultation\'' in q["sql"]]
    state = pathway_state(client=None, venue=world.venue, treatment=world.meso, now=NOW)
    assert state.consultation_service is not None and state.consultation_service.kind == "consultation"


def test_a_passed_patch_test_opens_the_slots_from_the_earliest_allowed_time(world: World) -> None:
    client = world.treated(world.customer)
    Client.objects.filter(pk=client.pk).update(created_at=NOW - dt.timedelta(days=30))
    client.refresh_from_db()
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None, now=NOW,
                                 answers={"pregnancy": False, "blood-thinners": False, "medicines": "", "other": ""})
    applied = NOW - dt.timedelta(hours=6)  # the treatment may start 24 hours after: from tomorrow 02:00
    actions.record_patch_test(by=world.practitioner, venue=world.venue, treatment=world.meso, outcome="passed",
                              client=client, applied_at=applied, read_at=NOW - dt.timedelta(hours=1), now=NOW)
    page = world.browser("customer").get(_book_url(world) + f"&day={at(2, 0).date().isoformat()}")
    html = page.content.decode()
    assert "pathway-cta" not in html
    assert 'name="start"' not in html.split('id="slots"')[1].split("</div>\n    <p")[0]  # today: all too early
    tomorrow = world.browser("customer").get(_book_url(world) + f"&day={at(3, 0).date().isoformat()}")
    values = tomorrow.content.decode().split('name="start" value="')[1:]
    starts = [dt.datetime.fromisoformat(v.split('"')[0]) for v in values]
    assert starts and min(starts) >= applied + dt.timedelta(hours=24)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_booking_page_shows_the_pathway_call_to_action_on_desktop_and_phone(live_server, page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        sign_in(page, live_server.url, world.customer)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + _book_url(world))
            cta = page.locator(".pathway-cta")
            expect(cta).to_contain_text("starts with a consultation and patch test")
            expect(page.locator("#slots")).to_have_count(0)
            check_page(page, f"booking-pathway-cta-{name}")
        cta.get_by_role("link", name="Book the consultation and Mesotherapy, body").click()
        expect(page.get_by_role("heading", name="Book Mesotherapy at Harley Skin Clinic")).to_be_visible()
