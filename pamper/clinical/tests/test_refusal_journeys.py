"""Refused clinical record forms keep what was typed and put the message next to its field, focus moved there:
in Chromium (desktop and 390 px) for the patch-test result, over HTTP for the session note."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from pamper.clinical.models import Consultation, TreatmentSession
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in
from pamper.tests.world import NOW, World, at, build_world

from .planting import _consultation_booking


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refused_patch_test_result_keeps_its_input_and_focuses_the_field(live_server, page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        client = world.treated(world.customer)
        consultation = _consultation_booking(world, client, at(1, 12))
        sign_in(page, live_server.url, world.practitioner)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}/partner/clinical/{world.venue.pk}/clients/{client.pk}/")
            form = page.locator("form.patch-test-form")
            form.get_by_label("Reaction", exact=True).check()
            form.get_by_label("Result read at").fill("2026-03-05T07:30")  # three days from now
            form.get_by_label("Batch number").fill("LOT-9")
            form.get_by_label("Notes").fill("Slight redness at the site")
            form.get_by_role("button", name="Record result").click()

            form = page.locator("form.patch-test-form")
            read_at = form.get_by_label("Result read at")
            expect(read_at).to_be_focused()
            expect(read_at).to_have_attribute("aria-invalid", "true")
            expect(form.locator(f"#read-{consultation.items.get().pk}-error")).to_be_visible()
            expect(read_at).to_have_value("2026-03-05T07:30")
            expect(form.get_by_label("Batch number")).to_have_value("LOT-9")
            expect(form.get_by_label("Notes")).to_have_value("Slight redness at the site")
            expect(form.get_by_label("Reaction", exact=True)).to_be_checked()
            check_page(page, f"clinical-patch-test-refused-{name}")
    assert not Consultation.objects.exists()


def test_a_refused_session_keeps_its_input_next_to_the_fields(world: World) -> None:
    client = world.treated(world.customer)
    booking = _consultation_booking(world, client, at(1, 12))
    page = world.browser("practitioner").post(
        f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/session/",
        {"treatment": world.meso.pk, "booking": booking.pk, "performed_at": "2026-03-01T12:10",
         "notes": "Went well, 2 ml"})
    assert page.status_code == 422  # no consent signed: refused, shown in the form
    html = page.content.decode()
    assert "data-refused" in html and 'role="alert"' in html
    assert "Went well, 2 ml" in html and 'value="2026-03-01T12:10"' in html
    assert f'<option value="{booking.pk}" selected>' in html
    assert not TreatmentSession.objects.exists()
