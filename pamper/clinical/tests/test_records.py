"""Questionnaire versions, consent, courses, sessions, aftercare and check-ins, export and erasure."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from pamper.bookings.models import Booking, Status
from pamper.clinical import actions, documents, photos
from pamper.clinical.models import (
    AccessLog,
    Consent,
    Consultation,
    ProgressPhoto,
    Questionnaire,
    QuestionnaireResponse,
    TreatmentSession,
)
from pamper.lib import storage
from pamper.practitioners.models import Prescription
from pamper.tests.factories import BookingFactory
from pamper.venues.models import Client

from .conftest import NOW, World, at
from .planting import SECRETS, plant

pytestmark = pytest.mark.django_db


def test_the_questionnaire_is_built_from_the_contraindications_and_versioned(world: World) -> None:
    first = documents.current_questionnaire(world.meso)
    assert [q["slug"] for q in first.questions if q["kind"] == "yesno"] == ["blood-thinners", "pregnancy"]
    assert documents.current_questionnaire(world.meso) == first  # unchanged catalogue: same version
    world.meso.contraindications.add(world.hair.contraindications.get())
    second = documents.current_questionnaire(world.meso)
    assert second.version == first.version + 1 and len(second.questions) == len(first.questions) + 1
    assert Questionnaire.objects.filter(treatment=world.meso).count() == 2


def test_answers_to_an_old_version_are_refused_and_bad_answers_are_422(world: World) -> None:
    api = world.api("customer")
    base = {"venue_id": world.venue.pk, "treatment_id": world.meso.pk}
    stale = api.post("/api/v1/pathway/questionnaire", data=json.dumps({**base, "version": 99, "answers": {}}),
                     content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "questionnaire_changed"
    missing = api.post("/api/v1/pathway/questionnaire", data=json.dumps({**base, "answers": {"pregnancy": False}}),
                       content_type="application/json")
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_answer"
    unknown = api.post("/api/v1/pathway/questionnaire", content_type="application/json", data=json.dumps(
        {**base, "answers": {"pregnancy": False, "blood-thinners": False, "favourite-colour": "blue"}}))
    assert unknown.status_code == 422
    assert not QuestionnaireResponse.objects.exists()


def test_questionnaire_page_flags_a_yes_for_review(world: World) -> None:
    browser = world.browser("customer")
    url = f"/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/"
    page = browser.get(url)
    assert "Do you take blood-thinning medicine?" in page.content.decode()
    version = documents.current_questionnaire(world.meso).version
    incomplete = browser.post(url, {"version": version, "pregnancy": "no"})
    assert incomplete.status_code == 200 and "Answer yes or no." in incomplete.content.decode()
    done = browser.post(url, {"version": version, "pregnancy": "no", "blood-thinners": "yes", "medicines": "apixaban"})
    assert done.status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert response.flagged and response.review_status == "needs_review"
    assert response.flagged_labels() == ["Blood thinners"]
    world.treated(world.customer)  # the practitioner's worklist shows the clients they treat
    worklist = world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/").content.decode()
    assert "Questionnaires to review" in worklist and "Customer" in worklist


def test_a_session_needs_a_signed_consent_then_the_course_counts_down(world: World, events) -> None:  # type: ignore[no-untyped-def]
    client = world.treated(world.customer)
    with pytest.raises(Exception, match="consent"):
        actions.record_session(by=world.practitioner, client=client, treatment=world.meso, performed_at=NOW, now=NOW)
    page = world.browser("customer").post(f"/account/health/consent/{world.venue.pk}/{world.meso.pk}/", {
        "version": documents.current_consent_text(world.meso).version, "typed_name": "Cora Customer", "agree": "on"})
    assert page.status_code == 302
    consent = Consent.objects.get()
    assert consent.typed_name == "Cora Customer" and consent.signed_at == NOW and "Mesotherapy" in consent.text.body

    api = world.api("practitioner")
    records = f"/api/v1/clinical/venues/{world.venue.pk}/clients/{client.pk}"
    plan = api.put(f"{records}/course", content_type="application/json",
                   data=json.dumps({"treatment_id": world.meso.pk, "planned_sessions": 3, "interval_days": 7}))
    assert plan.status_code == 200 and plan.json()["sessions_left"] == 3
    booking = BookingFactory(client=client, customer=world.customer, status="confirmed", service=world.meso_service,
                             start=at(2, 7))  # until 07:20, 150, no diary item
    done = api.post(f"{records}/sessions", content_type="application/json",
                    data=json.dumps({"treatment_id": world.meso.pk, "booking_id": booking.pk,
                                     "notes": "Thighs, 2 ml."}))
    assert done.status_code == 201, done.content
    assert done.json()["course"]["sessions_done"] == 1 and done.json()["course"]["sessions_left"] == 2
    assert (booking.pk, "session_done") in events
    health = world.browser("customer").get("/account/health/").content.decode()
    assert "1</strong> of 3 sessions done" in health and "Keep the area clean." in health  # aftercare shown
    # No time given with a booking: the session took place at the booking's start (07:00), due again a week later.
    due_day = (at(2, 7) + dt.timedelta(days=7)).date().isoformat()
    assert f"/venues/{world.venue.slug}/book/?service={world.meso_service.pk}&amp;day={due_day}" in health

    nxt = world.api("customer").get(f"/api/v1/me/health/courses/{done.json()['course']['id']}/next").json()
    assert dt.datetime.fromisoformat(nxt["due_from"]) == at(2, 7) + dt.timedelta(days=7)
    assert nxt["slots"]
    assert all(dt.datetime.fromisoformat(s["start"]) >= at(2, 7) + dt.timedelta(days=7) for s in nxt["slots"])


def test_the_check_in_two_days_later_flags_a_side_effect(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    client = world.treated(world.customer)
    actions.sign_consent(user=world.customer, client=client, treatment=world.meso, version=None, typed_name="Cora",
                         now=NOW)
    session = actions.record_session(by=world.practitioner, client=client, treatment=world.meso, performed_at=NOW,
                                     now=NOW)
    assert session.checkin_due_at == NOW + dt.timedelta(days=2)
    assert "How are you feeling?" not in world.browser("customer").get("/account/health/").content.decode()
    frozen.move_to(NOW + dt.timedelta(days=2, hours=1))
    assert "Answer the check-in" in world.browser("customer").get("/account/health/").content.decode()
    answered = world.browser("customer").post(f"/account/health/checkins/{session.pk}/",
                                              {"side_effect": "yes", "note": "Hot and red since yesterday"})
    assert answered.status_code == 302
    session.refresh_from_db()
    assert session.flagged and session.needs_follow_up
    answered = world.browser("customer").post(f"/account/health/checkins/{session.pk}/", {"side_effect": "no"})
    assert answered.status_code == 200
    worklist = world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/").content.decode()
    assert "Side effects reported at check-in" in worklist and "Mesotherapy session 1" in worklist
    world.browser("practitioner").post(f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/checkins/{session.pk}/resolve/")
    session.refresh_from_db()
    assert not session.needs_follow_up


def test_recording_a_patch_test_through_the_practitioner_page(world: World, events) -> None:  # type: ignore[no-untyped-def]
    from .planting import _consultation_booking

    client = world.client_of(world.customer)
    consultation = _consultation_booking(world, client, at(1, 10))
    waiting = BookingFactory(client=client, customer=world.customer, depends_on=consultation,
                             service=world.meso_service, staff=world.staff, status=Status.AWAITING_PATCH_TEST,
                             start=at(3, 10))  # until 10:20, 150
    page = world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/")
    assert "Record the result: Mesotherapy" in page.content.decode()
    posted = world.browser("practitioner").post(f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/patch-test/", {
        "treatment": world.meso.pk, "booking": consultation.pk, "outcome": "passed", "read_at": "2026-03-02T07:30",
        "product": "Meso mix A", "batch": "LOT-1"})
    assert posted.status_code == 302
    result = Consultation.objects.get()
    assert result.outcome == "passed" and result.applied_at == at(1, 10, 30) and result.read_at == at(2, 7, 30)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert (consultation.pk, "patch_test_passed") in events


def test_a_reaction_can_be_cleared_by_a_practitioner_then_a_new_test_is_needed(world: World) -> None:
    client = world.client_of(world.customer)
    Client.objects.filter(pk=client.pk).update(created_at=at(1, 8))  # the venue knew them before the test
    client.refresh_from_db()
    result = actions.record_patch_test(by=world.practitioner, venue=world.venue, treatment=world.hair,
                                       outcome="reaction", client=client, applied_at=at(1, 9), read_at=at(2, 7),
                                       now=NOW)
    state = world.api("customer").get(f"/api/v1/pathway?venue_id={world.venue.pk}&treatment_id={world.hair.pk}")
    assert state.json()["status"] == "reaction"
    with pytest.raises(Exception, match="Say why"):
        actions.clear_reaction(by=world.practitioner, consultation=result.consultation, reason="", now=NOW)
    actions.clear_reaction(by=world.practitioner, consultation=result.consultation, reason="Different dye brand now.",
                           now=NOW)
    state = world.api("customer").get(f"/api/v1/pathway?venue_id={world.venue.pk}&treatment_id={world.hair.pk}")
    assert state.json()["status"] == "needs_consultation"


def test_export_holds_every_record_and_the_photos(world: World) -> None:
    planted = plant(world, NOW)
    response = world.browser("customer").get("/account/health/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    record = json.loads(archive.read("pamper-data.json"))["health"]
    text = json.dumps(record)
    for secret in SECRETS.values():
        assert secret in text
    photo_names = [n for n in archive.namelist() if n.startswith("photos/")]
    assert len(photo_names) == 1 and archive.read(photo_names[0]) == planted.photo_plain
    assert AccessLog.objects.filter(user=world.customer, action="export").exists()


def test_erasure_destroys_health_data_and_photos_and_anonymises_bookings(  # type: ignore[no-untyped-def]
        world: World, django_capture_on_commit_callbacks) -> None:
    planted = plant(world, NOW)
    upcoming = BookingFactory(client=planted.client, customer=world.customer, status="confirmed",
                              service=world.meso_service, start=at(20, 10),
                              notes="Gate code 1234")  # until 10:20, 150, no diary item
    photo_name = photos.name_for(planted.photo.storage_name)
    # Health data kept by an app above clinical goes too (clinical.hooks.health_data_erasing).
    Prescription.objects.create(venue=world.venue, client=planted.client, treatment=world.meso, prescriber=world.staff,
                                issued_on=NOW.date(), valid_until=NOW.date() + dt.timedelta(days=90))
    browser = world.browser("customer")
    assert browser.post("/account/health/erase/", {"confirm": "erase"}).status_code == 200  # must be typed exactly
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post("/account/health/erase/", {"confirm": "ERASE"}).status_code == 302
    for model in (QuestionnaireResponse, Consent, Consultation, TreatmentSession, ProgressPhoto, Prescription):
        assert not model.objects.exists(), model
    assert not storage.exists(photo_name)
    upcoming.refresh_from_db()
    assert upcoming.status == Status.CANCELLED and upcoming.customer is None and upcoming.notes == ""
    client = Client.objects.get(pk=planted.client.pk)
    assert client.user is None and client.email == "" and client.name == f"Erased client {client.pk}"
    assert not Booking.objects.filter(customer=world.customer).exists()
    assert world.browser("customer").get("/account/health/").status_code == 200


def test_an_erased_client_is_named_in_the_venues_language(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """The name left in place of an erased client's was English for a German salon's people."""
    from django.utils import translation

    planted = plant(world, NOW)
    world.venue.language = "de"
    world.venue.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        assert world.browser("customer").post("/account/health/erase/", {"confirm": "ERASE"}).status_code == 302
    with translation.override("de"):
        expected = translation.gettext("Erased client %(number)s") % {"number": planted.client.pk}
    assert Client.objects.get(pk=planted.client.pk).name == expected != f"Erased client {planted.client.pk}"


def test_erasure_takes_the_clients_name_out_of_the_admins_history(  # type: ignore[no-untyped-def]
        world: World, django_capture_on_commit_callbacks) -> None:
    """An operator's edit of the client record in the Django admin was listed under the client's name, which stayed
    after the erasure."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    planted = plant(world, NOW)
    operator = world.owner
    LogEntry.objects.log_actions(user_id=operator.pk, queryset=[planted.client], action_flag=CHANGE,
                                 change_message="Changed phone.", single_object=True)
    named = planted.client.name
    with django_capture_on_commit_callbacks(execute=True):
        assert world.browser("customer").post("/account/health/erase/", {"confirm": "ERASE"}).status_code == 302
    [entry] = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Client),
                                      object_id=str(planted.client.pk))
    assert entry.object_repr == f"Erased client {planted.client.pk}" and named not in entry.object_repr
