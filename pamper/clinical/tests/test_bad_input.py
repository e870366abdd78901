"""Bad input on clinical pages and endpoints is a clear 4xx (or the form again), never a 500, and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamper.bookings.models import Booking
from pamper.clinical.models import Consultation, PathwayOverride, TreatmentSession

from .conftest import World, image_bytes

pytestmark = pytest.mark.django_db

BIG = "9" * 30
BIGGISH = str(2**63)  # one past the largest 64-bit id


@pytest.mark.parametrize("who", ["customer", "practitioner"])
def test_out_of_range_ids_in_page_urls_are_404(world: World, who: str) -> None:
    browser = world.browser(who)
    v = world.venue.pk
    for big in (BIG, BIGGISH):
        for url in [f"/account/health/photos/{big}/", f"/account/health/checkins/{big}/",
                    f"/account/health/courses/{big}/compare/", f"/partner/clinical/{big}/",
                    f"/partner/clinical/{v}/clients/{big}/", f"/partner/clinical/{v}/photos/{big}/",
                    f"/book/pathway/{big}/", f"/book/pathway/done/{big}/",
                    f"/account/health/questionnaire/{big}/{big}/"]:
            assert browser.get(url).status_code == 404, url


def test_nonsense_checkout_parameters_fall_back_to_choosing_a_consultation(world: World) -> None:
    browser = world.browser("customer")
    world.client_of(world.customer)
    from pamper.clinical import actions
    from pamper.lib import clock

    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None,
                                 answers={"pregnancy": False, "blood-thinners": False}, now=clock.now())
    actions.sign_consent(user=world.customer, client=world.client_of(world.customer), treatment=world.meso,
                         version=None, typed_name="Customer Person", now=clock.now())  # the checkout's 2nd step
    base = f"/book/pathway/{world.meso_service.pk}/"
    for query in ["?date=nonsense", "?date=9999-12-31", "?consultation_start=2026-13-01T10:00%2B00:00",
                  "?consultation_start=9999-12-31T23:59%2B00:00", "?consultation_start=2026-03-03T10:00"]:
        response = browser.get(base + query, follow=True)
        assert response.status_code == 200, query
        assert "Choose your consultation" in response.content.decode(), query
    posted = browser.post(base, {"consultation_start": "9999-12-31T23:00+00:00",
                                 "treatment_start": "9999-12-31T23:30+00:00"})
    assert posted.status_code == 302
    assert not Booking.objects.exists()


def test_api_refuses_out_of_range_values_with_a_4xx(world: World) -> None:
    api = world.api("practitioner")
    client = world.treated(world.customer)
    v = world.venue.pk
    far = api.get(f"/api/v1/pathway/treatment-slots?venue_id={v}&service_id={world.meso_service.pk}"
                  "&consultation_start=9999-12-31T23:00:00%2B00:00")
    assert far.status_code == 422 and far.json()["code"] == "invalid"  # outside pamper.lib.dates.VISIT
    upload = api.post(f"/api/v1/clinical/venues/{v}/clients/{client.pk}/photos",
                      {"treatment_id": BIG, "file": SimpleUploadedFile("p.png", image_bytes("PNG"), "image/png")})
    assert upload.status_code == 422
    override = api.post(f"/api/v1/clinical/venues/{v}/override-bookings", content_type="application/json",
                        data=json.dumps({"client_id": client.pk, "services": [world.meso_service.pk],
                                         "start": "9999-12-31T10:00:00+00:00", "reason": "Tested elsewhere."}))
    assert override.status_code == 422
    result = api.post(f"/api/v1/clinical/venues/{v}/patch-tests", content_type="application/json", data=json.dumps({
        "treatment_id": world.meso.pk, "client_id": client.pk, "outcome": "passed",
        "applied_at": "9999-12-31T23:59:59+00:00", "read_at": "9999-12-31T23:59:59+00:00"}))
    assert result.status_code == 422
    assert not PathwayOverride.objects.exists() and not Consultation.objects.exists()


def test_practitioner_forms_with_bad_values_show_a_message_and_change_nothing(world: World) -> None:
    browser = world.browser("practitioner")
    client = world.treated(world.customer)
    base = f"/partner/clinical/{world.venue.pk}/clients/{client.pk}"
    posts = {
        "/session/": {"treatment": BIG, "performed_at": "not a time"},
        "/patch-test/": {"treatment": world.meso.pk, "booking": BIG, "outcome": "maybe", "read_at": "2026-02-30T10:00"},
        "/override/": {"service": BIG, "start": "2026-03-05T10:00", "reason": "x"},
        "/course/": {"treatment": world.meso.pk, "planned_sessions": "0", "interval_days": "-3"},
        "/photos/": {"treatment": world.meso.pk, "angle": "front"},
    }
    for path, data in posts.items():
        response = browser.post(base + path, data, follow=True)
        # The session form answers with itself, its input kept (422); the others go back to the record (200).
        assert response.status_code == (422 if path == "/session/" else 200), path
        assert "errorlist" in response.content.decode() or "message error" in response.content.decode(), path
    assert not TreatmentSession.objects.exists() and not Consultation.objects.exists()
    override = browser.post(base + "/override/", {"service": world.meso_service.pk, "start": "9999-12-31T10:00",
                                                  "reason": "Seen an external test."}, follow=True)
    assert "Choose a time from" in override.content.decode()  # the form's bound (pamper.lib.dates.VISIT)
    assert not Booking.objects.exclude(status="attended").exists()  # only yesterday's visit
