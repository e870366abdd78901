"""The mesotherapy and hair-colour pathways end to end through the JSON API."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamper.bookings.models import Booking, Status
from pamper.clinical.models import PathwayOverride

from .conftest import World, at

pytestmark = pytest.mark.django_db


def post(client, path: str, body: dict, **headers):  # type: ignore[no-untyped-def]
    return client.post(path, data=json.dumps(body, default=str), content_type="application/json", **headers)


def answer_questionnaire(world: World, treatment, yes: tuple[str, ...] = ()) -> dict:  # type: ignore[no-untyped-def]
    api = world.api("customer")
    form = api.get(f"/api/v1/pathway/questionnaire?venue_id={world.venue.pk}&treatment_id={treatment.pk}").json()
    answers = {q["slug"]: (q["slug"] in yes) if q["kind"] == "yesno" else "" for q in form["questions"]}
    response = post(api, "/api/v1/pathway/questionnaire",
                    {"venue_id": world.venue.pk, "treatment_id": treatment.pk, "version": form["version"],
                     "answers": answers})
    assert response.status_code == 201, response.content
    return response.json()


def book_direct(world: World, service, start: dt.datetime, who: str = "customer"):  # type: ignore[no-untyped-def]
    return post(world.api(who), "/api/v1/bookings", {"venue_id": world.venue.pk, "services": [service.pk],
                                                     "start": start.isoformat()})


def book_pathway(world: World, service, consultation: dt.datetime, treatment: dt.datetime, **headers):  # type: ignore[no-untyped-def]
    """The API checkout, the medical questionnaire answered first (with no flags) unless it already is."""
    from pamper.clinical.models import QuestionnaireResponse

    answered = QuestionnaireResponse.objects.filter(client__user=world.customer,
                                                    questionnaire__treatment=service.treatment)
    if not answered.exists():
        answer_questionnaire(world, service.treatment)
    return post(world.api("customer"), "/api/v1/pathway/bookings", {
        "venue_id": world.venue.pk, "treatment_service_id": service.pk,
        "consultation_start": consultation.isoformat(), "treatment_start": treatment.isoformat(),
    }, **headers)


def test_direct_booking_of_mesotherapy_is_refused_with_the_consultation_to_book(world: World) -> None:
    response = book_direct(world, world.meso_service, at(4, 10))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "patch_test_required"
    assert body["consultation_service_id"] == world.meso_consult.pk
    assert body["checkout_url"] == f"/book/pathway/{world.meso_service.pk}/"
    earliest = dt.datetime.fromisoformat(body["earliest_treatment_start"])
    assert earliest >= at(2, 8) + dt.timedelta(hours=24, minutes=30)  # notice + consultation + 24 h wait
    assert "consultation" in body["message"].lower()
    assert not Booking.objects.exists()


def test_consultation_and_treatment_24_hours_apart_are_booked_together(world: World, events) -> None:  # type: ignore[no-untyped-def]
    answer_questionnaire(world, world.meso)
    slots = world.api("customer").get(
        f"/api/v1/pathway/treatment-slots?venue_id={world.venue.pk}&service_id={world.meso_service.pk}"
        f"&consultation_start={at(3, 10).isoformat().replace('+', '%2B')}"
    ).json()
    assert dt.datetime.fromisoformat(slots["earliest_start"]) == at(4, 10, 30)  # consultation ends 10:30, plus 24 h
    assert slots["slots"] and all(dt.datetime.fromisoformat(s["start"]) >= at(4, 10, 30) for s in slots["slots"])

    response = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["consultation"]["status"] == Status.CONFIRMED
    assert body["treatment"]["status"] == Status.AWAITING_PATCH_TEST
    treatment = Booking.objects.get(pk=body["treatment"]["id"])
    assert treatment.depends_on_id == body["consultation"]["id"]
    worklist = world.browser("practitioner").get(f"/partner/clinical/{world.venue.pk}/").content.decode()
    assert "Treatments waiting for a patch-test result" in worklist and "Mesotherapy, body" in worklist
    assert [i.service_id for i in treatment.items.all()] == [world.meso_service.pk]


def test_treatment_23_hours_after_the_consultation_is_refused_and_nothing_is_booked(world: World) -> None:
    response = book_pathway(world, world.meso_service, at(3, 10), at(4, 9, 30))  # 23 h after the 10:30 end
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "patch_test_lead_time"
    assert dt.datetime.fromisoformat(body["earliest_start"]) == at(4, 10, 30)
    assert not Booking.objects.exists()  # the consultation was rolled back with it


def test_direct_booking_inside_the_wait_after_a_booked_consultation_is_refused(world: World) -> None:
    answer_questionnaire(world, world.meso)  # a consultation booked on its own needs it too
    assert book_direct(world, world.meso_consult, at(3, 10)).status_code == 201
    inside = book_direct(world, world.meso_service, at(4, 9, 30))
    assert inside.status_code == 422
    assert inside.json()["code"] == "patch_test_lead_time"
    assert dt.datetime.fromisoformat(inside.json()["earliest_start"]) == at(4, 10, 30)
    after = book_direct(world, world.meso_service, at(4, 11))
    assert after.status_code == 201
    assert after.json()["status"] == Status.AWAITING_PATCH_TEST


def test_a_reaction_cancels_the_waiting_treatment_tells_the_customer_and_blocks_booking(  # type: ignore[no-untyped-def]
        world: World, events, frozen) -> None:
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    consultation_id, treatment_id = body["consultation"]["id"], body["treatment"]["id"]
    events.clear()
    frozen.move_to(at(4, 8))  # the test is applied at the consultation and read the next morning
    result = post(world.api("practitioner"), f"/api/v1/clinical/venues/{world.venue.pk}/patch-tests", {
        "treatment_id": world.meso.pk, "booking_id": consultation_id, "outcome": "reaction",
        "read_at": at(4, 8).isoformat(), "applied_at": at(3, 10, 15).isoformat(), "product": "Meso mix A",
        "batch": "LOT-4471", "notes": "Raised red weal at both test points.",
    })
    assert result.status_code == 201, result.content
    assert result.json()["cancelled_booking_ids"] == [treatment_id]
    treatment = Booking.objects.get(pk=treatment_id)
    assert treatment.status == Status.CANCELLED
    assert not treatment.items.filter(active=True).exists()  # its diary time is free again
    assert (consultation_id, "patch_test_failed") in events
    again = book_direct(world, world.meso_service, at(10, 10))
    assert again.status_code == 422
    assert again.json()["code"] == "patch_test_reaction"
    also_pathway = book_pathway(world, world.meso_service, at(5, 10), at(6, 11))
    assert also_pathway.status_code == 422
    assert also_pathway.json()["code"] == "patch_test_reaction"


def test_no_reaction_confirms_the_waiting_treatment(world: World, events, frozen) -> None:  # type: ignore[no-untyped-def]
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    frozen.move_to(at(4, 9))
    result = post(world.api("practitioner"), f"/api/v1/clinical/venues/{world.venue.pk}/patch-tests", {
        "treatment_id": world.meso.pk, "booking_id": body["consultation"]["id"], "outcome": "passed",
        "read_at": at(4, 9).isoformat(),
    })
    assert result.status_code == 201, result.content
    assert result.json()["confirmed_booking_ids"] == [body["treatment"]["id"]]
    assert Booking.objects.get(pk=body["treatment"]["id"]).status == Status.CONFIRMED
    assert (body["consultation"]["id"], "patch_test_passed") in events
    # With a valid test the next treatment is booked directly and confirmed at once.
    later = book_direct(world, world.meso_service, at(11, 10))
    assert later.status_code == 201
    assert later.json()["status"] == Status.CONFIRMED


def test_hair_colour_needs_48_hours(world: World) -> None:
    too_soon = book_pathway(world, world.hair_service, at(3, 10), at(5, 10))  # 47 h 45 after the 10:15 end
    assert too_soon.status_code == 422
    assert too_soon.json()["code"] == "patch_test_lead_time"
    assert dt.datetime.fromisoformat(too_soon.json()["earliest_start"]) == at(5, 10, 15)
    ok = book_pathway(world, world.hair_service, at(3, 10), at(5, 10, 15))
    assert ok.status_code == 201, ok.content
    assert ok.json()["treatment"]["status"] == Status.AWAITING_PATCH_TEST


def test_an_expired_patch_test_counts_as_none(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    from pamper.clinical.models import Consultation

    Consultation.objects.create(venue=world.venue, client=world.client_of(world.customer), treatment=world.hair,
                                outcome="passed", applied_at=at(2, 7) - dt.timedelta(days=200), read_at=at(2, 7))
    refused = book_direct(world, world.hair_service, at(4, 10))
    assert refused.json()["code"] == "patch_test_required"  # 180 days by default: expired


def test_flagged_answers_block_online_booking_until_reviewed(world: World) -> None:
    result = answer_questionnaire(world, world.meso, yes=("blood-thinners",))
    assert result["flagged"] and result["review_status"] == "needs_review"
    refused = book_pathway(world, world.meso_service, at(3, 10), at(4, 11))
    assert refused.status_code == 422 and refused.json()["code"] == "contraindication_review"
    # The consultation alone may still be booked: it is where the review happens.
    assert book_direct(world, world.meso_consult, at(3, 10)).status_code == 201
    review = post(world.api("practitioner"),
                  f"/api/v1/clinical/venues/{world.venue.pk}/questionnaires/{result['id']}/review",
                  {"decision": "cleared", "note": "Stops apixaban for the session on GP advice."})
    assert review.status_code == 200
    assert book_direct(world, world.meso_service, at(4, 11)).json()["status"] == Status.AWAITING_PATCH_TEST


def test_a_practitioner_override_lets_a_booking_through_and_is_logged(world: World) -> None:
    client = world.treated(world.customer)
    body = {"client_id": client.pk, "services": [world.meso_service.pk], "start": at(3, 14).isoformat(),
            "reason": "Patch test done at our sister clinic on 20 Feb, no reaction; record seen."}
    refused_for_reception = post(world.api("reception"),
                                 f"/api/v1/clinical/venues/{world.venue.pk}/override-bookings", body)
    assert refused_for_reception.status_code == 404
    response = post(world.api("practitioner"), f"/api/v1/clinical/venues/{world.venue.pk}/override-bookings", body)
    assert response.status_code == 201, response.content
    override = PathwayOverride.objects.get()
    assert override.rule == "patch_test_required" and override.created_by == world.practitioner
    assert "sister clinic" in override.reason and override.client == client


def test_rescheduling_a_waiting_treatment_into_the_wait_is_refused(world: World) -> None:
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    moved = post(world.api("customer"), f"/api/v1/bookings/{body['treatment']['id']}/reschedule",
                 {"start": at(4, 9, 30).isoformat()})
    assert moved.status_code == 422
    assert moved.json()["code"] == "patch_test_lead_time"


def test_pathway_booking_retried_with_the_same_key_books_once(world: World) -> None:
    first = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30), HTTP_IDEMPOTENCY_KEY="pathway-1")
    second = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30), HTTP_IDEMPOTENCY_KEY="pathway-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Booking.objects.count() == 2


def test_pathway_status_tells_the_customer_where_they_stand(world: World) -> None:
    api = world.api("customer")
    url = f"/api/v1/pathway?venue_id={world.venue.pk}&treatment_id={world.meso.pk}"
    assert api.get(url).json()["status"] == "needs_consultation"
    book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30))
    state = api.get(url).json()
    assert state["status"] == "awaiting_result"
    assert dt.datetime.fromisoformat(state["earliest_treatment"]) == at(4, 10, 30)
    facial = api.get(f"/api/v1/pathway?venue_id={world.venue.pk}&treatment_id={world.facial.pk}")
    assert facial.json()["status"] == "not_needed"


def test_a_second_course_session_inside_the_interval_is_refused_and_a_week_later_is_booked(world: World) -> None:
    from pamper.clinical.models import Course

    client = world.client_of(world.customer)
    Course.objects.create(venue=world.venue, client=client, treatment=world.facial, planned_sessions=3, interval_days=7)
    assert book_direct(world, world.facial_service, at(3, 10)).status_code == 201
    too_soon = book_direct(world, world.facial_service, at(6, 10))
    assert too_soon.status_code == 422 and too_soon.json()["code"] == "course_interval"
    assert "Tuesday 10 March or later" in too_soon.json()["message"]
    assert Booking.objects.filter(client=client).count() == 1
    assert book_direct(world, world.facial_service, at(10, 10)).status_code == 201


def test_the_pathway_checkout_needs_the_questionnaire_answered_first(world: World) -> None:
    refused = post(world.api("customer"), "/api/v1/pathway/bookings", {
        "venue_id": world.venue.pk, "treatment_service_id": world.meso_service.pk,
        "consultation_start": at(3, 10).isoformat(), "treatment_start": at(4, 10, 30).isoformat()})
    assert refused.status_code == 422 and refused.json()["code"] == "questionnaire_required"
    assert not Booking.objects.exists()
    answer_questionnaire(world, world.meso)
    assert book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).status_code == 201
