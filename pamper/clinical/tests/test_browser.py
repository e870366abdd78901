"""In Chromium: the mesotherapy pathway, from the one checkout to the practitioner's patch-test result."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from pamper.bookings.models import Booking, Status
from pamper.clinical.models import Consent
from pamper.lib import clock

from .conftest import build_world

PASSWORD = "correct horse battery staple"


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_book_consultation_and_treatment_together_then_a_reaction_cancels_the_treatment(live_server, page) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    for user in (world.customer, world.practitioner):
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url

    # The customer opens the checkout and is asked to sign in first.
    page.goto(f"{base}/book/pathway/{world.meso_service.pk}/")
    expect(page.get_by_role("heading", name="Book Mesotherapy at Harley Skin Clinic")).to_be_visible()
    page.get_by_role("link", name="Sign in to book").click()
    sign_in(page, base, world.customer.email)

    # Step 1: the medical questionnaire, then back to the checkout.
    page.get_by_role("link", name="Fill in the medical questionnaire").click()
    # locator.all() does not wait: without this, it can read the checkout still on screen (no radios) and the
    # answers go in empty.
    expect(page.get_by_role("heading", name="Medical questionnaire")).to_be_visible()
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Send my answers").click()

    # Step 2: consent, signed inside the checkout (its version kept), then back.
    page.get_by_role("link", name="Read and sign the consent form").click()
    page.get_by_label("Type your full name to sign").fill("Customer Person")
    page.get_by_label("I have read this consent form and agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_role("heading", name="Choose your consultation")).to_be_visible()
    signed = Consent.objects.get(client__user=world.customer)
    assert signed.text.treatment_id == world.meso.pk and signed.text.version >= 1

    # Step 3: a consultation slot; step 4: treatment slots start 24 hours after it ends.
    first_consultation = page.locator("input[name=consultation_start]").first
    consultation_start = dt.datetime.fromisoformat(first_consultation.get_attribute("value") or "")
    first_consultation.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Choose your treatment time")).to_be_visible()
    offered = [dt.datetime.fromisoformat(v or "") for v in
               page.locator("input[name=treatment_start]").evaluate_all("els => els.map(e => e.value)")]
    consultation_end = consultation_start + dt.timedelta(minutes=world.meso_consult.duration_minutes)
    assert offered and min(offered) >= consultation_end + dt.timedelta(hours=24)
    page.locator("input[name=treatment_start]").first.check()
    page.get_by_role("button", name="Book consultation and treatment").click()

    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    expect(page.get_by_text("Waiting for the patch-test result")).to_be_visible()
    consultation = Booking.objects.get(items__service=world.meso_consult)
    treatment = Booking.objects.get(items__service=world.meso_service)
    assert treatment.status == Status.AWAITING_PATCH_TEST and treatment.depends_on_id == consultation.pk
    assert treatment.start - consultation.end >= dt.timedelta(hours=24)

    # The next morning, the practitioner records a reaction to the test applied at the consultation.
    with time_machine.travel(consultation.end + dt.timedelta(hours=20), tick=True):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/?next=/partner/clinical/")
        sign_in(page, base, world.practitioner.email)
        page.get_by_role("link", name="Record result").click()
        london = zoneinfo.ZoneInfo("Europe/London")
        now = clock.now().astimezone(london)
        applied = (consultation.start + dt.timedelta(minutes=10)).astimezone(london)
        form = page.locator("form.patch-test-form")
        form.get_by_label("Reaction", exact=True).check()
        form.get_by_label("Result read at").fill(now.strftime("%Y-%m-%dT%H:%M"))
        form.get_by_label("Test applied at").fill(applied.strftime("%Y-%m-%dT%H:%M"))
        form.get_by_label("Batch number").fill("LOT-77")
        form.get_by_role("button", name="Record result").click()
        expect(page.get_by_text("Reaction recorded")).to_be_visible()
    treatment.refresh_from_db()
    assert treatment.status == Status.CANCELLED

    # The customer sees it on their health record, and cannot book the treatment online.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next=/account/health/")
    sign_in(page, base, world.customer.email)
    expect(page.get_by_role("heading", name="My health record")).to_be_visible()
    expect(page.locator("[data-status=reaction]")).to_be_visible()
    page.goto(f"{base}/book/pathway/{world.meso_service.pk}/")
    expect(page.get_by_text("showed a reaction")).to_be_visible()
