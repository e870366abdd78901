"""In Chromium: the owner records a skin therapist's nurse registration in the workspace and verifies it, and the
booking page then offers her for anti-wrinkle injections; before, it did not name her, nor any slot with her."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in

from . import helpers as ph


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_owner_adds_a_credential_and_a_new_practitioner_becomes_bookable(
        page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    c = ph.clinic()
    booking_page = f"{live_server.url}/venues/{c.venue.slug}/book/?service={c.injections.pk}"
    staff_choice = page.locator("#id_staff")

    page.set_viewport_size(DESKTOP)
    page.goto(booking_page)
    expect(staff_choice).to_contain_text("Nia")
    expect(staff_choice).not_to_contain_text("Sky")

    sign_in(page, live_server.url, c.owner)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/partner/{c.venue.pk}/credentials/")
        check_page(page, f"credentials-{name}")
    form = page.locator("#credential-form")
    form.locator("#id_staff").select_option(label="Sky")
    form.locator("#id_kind").select_option(label="Professional registration")
    form.locator("#id_profession").select_option(label="Nurse")
    form.locator("#id_body").fill("NMC")
    form.locator("#id_number").fill("12Z3456Q")
    form.get_by_role("button", name="Record").click()
    card = page.locator(f"#staff-{c.therapist.pk}")
    expect(card).to_contain_text("not verified")

    page.goto(booking_page)
    expect(staff_choice).not_to_contain_text("Sky")  # recorded is not enough: it must be verified

    page.goto(f"{live_server.url}/partner/{c.venue.pk}/credentials/")
    card.get_by_role("button", name="Verify").click()
    expect(page.locator(f"#staff-{c.therapist.pk}")).not_to_contain_text("not verified")

    page.goto(booking_page)
    expect(staff_choice).to_contain_text("Sky")
    page.goto(f"{booking_page}&staff={c.therapist.pk}")  # her own times, as the picker asks for them
    expect(page.locator("#id_staff")).to_have_value(str(c.therapist.pk))
    expect(page.locator("main")).not_to_contain_text("No free times on this day")
