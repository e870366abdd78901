"""A "yes" in the medical questionnaire is no dead end: a reason a practitioner reviews leads to booking the
consultation alone with the review flagged; an absolute one (catalogue data) says why and offers the
catalogue's alternatives that do not share it. Page tests, and Chromium at desktop and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from pamper.bookings.models import Booking
from pamper.clinical import actions
from pamper.clinical.models import ReviewStatus
from pamper.clinical.suitability import absolute_reasons
from pamper.tests.browser import DESKTOP, PHONE, check_page, offline, sign_in
from pamper.tests.world import NOW, World, build_world


def _answer(world: World, **yes: bool) -> None:
    answers = {"pregnancy": False, "blood-thinners": False}
    answers.update({k.replace("_", "-"): v for k, v in yes.items()})
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None, now=NOW,
                                 answers=answers)


def test_the_catalogue_marks_pregnancy_absolute_and_blood_thinners_for_review() -> None:
    reasons = absolute_reasons()
    assert "pregnancy" in reasons and "breastfeeding" in reasons["pregnancy"]
    assert "blood-thinners" not in reasons


def test_a_reviewable_yes_books_the_consultation_alone_with_the_review_flagged(world: World) -> None:
    _answer(world, blood_thinners=True)
    browser, checkout = world.browser("customer"), f"/book/pathway/{world.meso_service.pk}/"
    page = browser.get(checkout).content.decode()
    assert "data-review" in page and 'name="consultation_only"' in page and "Book the consultation" in page
    start = page.split('name="consultation_start" value="')[1].split('"')[0]
    booked = browser.post(checkout, {"consultation_only": "1", "consultation_start": start})
    assert booked.status_code == 302 and "/book/pathway/done/" in booked["Location"]
    booking = Booking.objects.get()
    assert [i.service_id for i in booking.items.all()] == [world.meso_consult.pk]
    assert booking.start == dt.datetime.fromisoformat(start)
    assert booking.client.questionnaire_responses.get().review_status == ReviewStatus.NEEDS_REVIEW  # flagged


def test_an_absolute_yes_says_why_and_offers_the_alternatives(world: World) -> None:
    world.meso.alternatives.add(world.facial)
    _answer(world, pregnancy=True)
    browser, checkout = world.browser("customer"), f"/book/pathway/{world.meso_service.pk}/"
    page = browser.get(checkout).content.decode()
    assert 'data-step="unsuitable"' in page and "not offered during pregnancy" in page
    assert f'href="/venues/{world.venue.slug}/book/?service={world.facial_service.pk}"' in page
    assert 'name="consultation_start"' not in page
    sneaky = browser.post(checkout, {"consultation_only": "1", "consultation_start": "2026-03-03T10:00:00+00:00"})
    assert sneaky.status_code == 302 and not Booking.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_both_answers_in_chromium(live_server, page) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        world.meso.alternatives.add(world.facial)
        offline(page, live_server.url)
        sign_in(page, live_server.url, world.customer)
        checkout = f"{live_server.url}/book/pathway/{world.meso_service.pk}/"
        _answer(world, pregnancy=True)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(checkout)
            expect(page.get_by_role("alert")).to_contain_text("not offered during pregnancy")
            expect(page.get_by_role("link", name="Book Facial at Harley Skin Clinic")).to_be_visible()
            check_page(page, f"questionnaire-absolute-{name}")
        _answer(world, blood_thinners=True)  # a newer answer: no longer pregnant, on blood thinners
        page.goto(checkout)
        page.locator("input[name=consultation_start]").first.check()
        check_page(page, "questionnaire-review-phone")
        page.get_by_role("button", name="Book the consultation").click()
        expect(page.locator(".messages")).to_contain_text("reviews your answers with you")
    assert Booking.objects.get().items.get().service_id == world.meso_consult.pk
