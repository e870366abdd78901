"""Issue 13, points 4, 5 and 9: the pathway holds on every path.

4. The medical questionnaire (current version, answered within its validity) is a
   prerequisite of the one pathway check: API, pages, holds, reschedules and the
   front desk (there only past a practitioner's logged override).
5. Both or neither: a treatment waiting for a consultation goes when that
   consultation goes, however it goes (released hold, cancel by anyone, hold
   expiry sweep, erasure, the venue cancelling).
9. Cancelling one consultation takes only the bookings that depend on it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from pamper.bookings import actions as booking_actions
from pamper.bookings import tasks
from pamper.bookings.models import Booking, Status
from pamper.clinical import pathway, privacy
from pamper.clinical.models import Consultation, PathwayOverride, QuestionnaireResponse
from pamper.venues.models import Client, ServiceKind

from .conftest import NOW, World, at
from .test_pathway_api import answer_questionnaire, book_direct, book_pathway, post

pytestmark = pytest.mark.django_db


def status_of(booking_id: int) -> str:
    return Booking.objects.get(pk=booking_id).status


def passed_test(world: World, client: Client, applied: dt.datetime) -> Consultation:
    return Consultation.objects.create(venue=world.venue, client=client, treatment=world.meso, outcome="passed",
                                       applied_at=applied, read_at=applied + dt.timedelta(hours=24))


def hold_consultation(world: World, start: dt.datetime) -> Booking:
    return booking_actions.hold_visit(venue=world.venue, services=[world.meso_consult], start=start,
                                      customer=world.customer, now=NOW)


# ---------------------------------------------------------------- point 4: the questionnaire


def test_api_consultation_booked_alone_needs_the_questionnaire_first(world: World) -> None:
    refused = book_direct(world, world.meso_consult, at(3, 10))
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "questionnaire_required"
    assert "/api/v1/pathway/questionnaire" in body["message"]
    assert body["questionnaire_url"].startswith(f"/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/")
    assert not Booking.objects.exists()
    answer_questionnaire(world, world.meso)
    assert book_direct(world, world.meso_consult, at(3, 10)).status_code == 201


def test_api_treatment_covered_by_a_passed_test_still_needs_the_questionnaire(world: World) -> None:
    passed_test(world, world.client_of(world.customer), at(1, 9))
    refused = book_direct(world, world.meso_service, at(5, 10))
    assert refused.status_code == 422 and refused.json()["code"] == "questionnaire_required"
    assert not Booking.objects.exists()
    answer_questionnaire(world, world.meso)
    booked = book_direct(world, world.meso_service, at(5, 10))
    assert booked.status_code == 201 and booked.json()["status"] == Status.CONFIRMED


def test_answers_to_an_older_version_of_the_questionnaire_do_not_count(world: World) -> None:
    from pamper.catalog.models import Contraindication

    answer_questionnaire(world, world.meso)
    passed_test(world, world.client_of(world.customer), at(1, 9))
    keloid = Contraindication.objects.create(slug="keloid", label="Keloid scars", question="Do you scar easily?")
    world.meso.contraindications.add(keloid)  # the next request asks version 2
    refused = book_direct(world, world.meso_service, at(5, 10))
    assert refused.status_code == 422 and refused.json()["code"] == "questionnaire_required"
    answer_questionnaire(world, world.meso)
    assert book_direct(world, world.meso_service, at(5, 10)).status_code == 201


def test_answers_older_than_their_validity_do_not_count(world: World) -> None:
    answer_questionnaire(world, world.meso)
    QuestionnaireResponse.objects.update(submitted_at=NOW - dt.timedelta(days=200))
    passed_test(world, world.client_of(world.customer), at(1, 9))
    refused = book_direct(world, world.meso_service, at(5, 10))
    assert refused.status_code == 422 and refused.json()["code"] == "questionnaire_required"


def test_rescheduling_needs_a_current_questionnaire_too(world: World) -> None:
    from pamper.catalog.models import Contraindication

    answer_questionnaire(world, world.meso)
    passed_test(world, world.client_of(world.customer), at(1, 9))
    booked = book_direct(world, world.meso_service, at(5, 10)).json()
    world.meso.contraindications.add(Contraindication.objects.create(slug="keloid", label="Keloid", question="Scars?"))
    moved = post(world.api("customer"), f"/api/v1/bookings/{booked['id']}/reschedule", {"start": at(6, 10).isoformat()})
    assert moved.status_code == 422 and moved.json()["code"] == "questionnaire_required"
    assert Booking.objects.get(pk=booked["id"]).start == at(5, 10)


def test_confirming_a_page_hold_checks_the_questionnaire_again(world: World) -> None:
    answer_questionnaire(world, world.meso)
    held = hold_consultation(world, at(3, 10))
    QuestionnaireResponse.objects.all().delete()  # e.g. erased meanwhile
    with pytest.raises(booking_actions.Refusal) as refused:
        booking_actions.confirm_hold(booking=held, now=NOW)
    assert refused.value.code == "questionnaire_required"
    assert status_of(held.pk) == Status.HELD


def test_booking_page_routes_to_the_questionnaire_and_back(world: World) -> None:
    browser = world.browser("customer")
    page = browser.post(f"/venues/{world.venue.slug}/book/hold/",
                        {"service": [world.meso_consult.pk], "start": at(3, 10).isoformat()})
    assert page.status_code == 422
    html = page.content.decode()
    link = f"/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/?next="
    assert link in html
    assert not Booking.objects.exists()
    # The questionnaire page sends the customer back to the booking page with the same service chosen.
    href = html[html.index(link):].split('"', 1)[0].replace("&amp;", "&")
    target = parse_qs(urlparse(href).query)["next"][0]
    assert target.startswith(f"/venues/{world.venue.slug}/book/") and f"service={world.meso_consult.pk}" in target
    form = browser.get(href)
    assert form.status_code == 200
    version = form.context["version"]
    answers = {q["slug"]: ("no" if q["kind"] == "yesno" else "") for q in version.questions}
    done = browser.post(href, {"version": version.version, "next": target, **answers})
    assert done.status_code == 302 and done["Location"] == target
    again = browser.post(f"/venues/{world.venue.slug}/book/hold/",
                         {"service": [world.meso_consult.pk], "start": at(3, 10).isoformat()})
    assert again.status_code == 302
    assert Booking.objects.get().status == Status.HELD


def test_front_desk_needs_a_logged_override_for_a_walk_in_without_answers(world: World) -> None:
    desk = post(world.api("reception"), f"/api/v1/partner/venues/{world.venue.pk}/bookings", {
        "services": [world.meso_consult.pk], "start": at(3, 10).isoformat(),
        "client": {"name": "Walk In", "phone": "07700 900123"},
    })
    assert desk.status_code == 422 and desk.json()["code"] == "questionnaire_required"
    assert not Booking.objects.exists()
    walk_in = Client.objects.create(venue=world.venue, name="Walk In", phone="07700 900123")
    overridden = post(world.api("manager"), f"/api/v1/clinical/venues/{world.venue.pk}/override-bookings", {
        "client_id": walk_in.pk, "services": [world.meso_consult.pk], "start": at(3, 10).isoformat(),
        "reason": "Medical history taken on paper at the desk.",
    })
    assert overridden.status_code == 201, overridden.content
    logged = PathwayOverride.objects.get()
    assert (logged.rule, logged.client_id, logged.created_by_id) == ("questionnaire_required", walk_in.pk,
                                                                      world.manager.pk)


def test_the_combined_checkout_still_books_both(world: World) -> None:
    response = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30))
    assert response.status_code == 201, response.content
    assert response.json()["treatment"]["status"] == Status.AWAITING_PATCH_TEST


# ---------------------------------------------------------------- point 5: both or neither


def waiting_on_hold(world: World) -> tuple[Booking, int]:
    """A consultation only held in the page checkout, and a treatment booked against it through the API."""
    answer_questionnaire(world, world.meso)
    held = hold_consultation(world, at(3, 10))
    treatment = book_direct(world, world.meso_service, at(4, 11))
    assert treatment.status_code == 201 and treatment.json()["status"] == Status.AWAITING_PATCH_TEST
    return held, treatment.json()["id"]


def test_releasing_a_held_consultation_cancels_the_treatment_waiting_for_it(world: World) -> None:
    held, treatment_id = waiting_on_hold(world)
    released = world.browser("customer").post(f"/bookings/{held.pk}/release/")
    assert released.status_code == 302
    assert status_of(held.pk) == Status.CANCELLED
    assert status_of(treatment_id) == Status.CANCELLED
    assert not Booking.objects.get(pk=treatment_id).items.filter(active=True).exists()


def test_the_hold_expiry_sweep_cancels_the_treatment_waiting_for_it(world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    held, treatment_id = waiting_on_hold(world)
    frozen.move_to(NOW + dt.timedelta(minutes=11))
    assert tasks.expire_holds.call() == 1
    assert status_of(held.pk) == Status.EXPIRED
    assert status_of(treatment_id) == Status.CANCELLED


def test_an_expired_hold_booked_again_keeps_its_waiting_treatment(world: World) -> None:
    held, treatment_id = waiting_on_hold(world)
    later = NOW + dt.timedelta(minutes=11)
    rebooked = booking_actions.confirm_hold(booking=held, now=later)
    assert rebooked.pk != held.pk and rebooked.status == Status.CONFIRMED
    treatment = Booking.objects.get(pk=treatment_id)
    assert treatment.status == Status.AWAITING_PATCH_TEST and treatment.depends_on_id == rebooked.pk


def test_the_customer_cancelling_the_consultation_cancels_its_treatment(world: World) -> None:
    answer_questionnaire(world, world.meso)
    consultation = book_direct(world, world.meso_consult, at(3, 10)).json()["id"]
    treatment = book_direct(world, world.meso_service, at(4, 11)).json()["id"]
    assert post(world.api("customer"), f"/api/v1/bookings/{consultation}/cancel", {}).status_code == 200
    assert status_of(treatment) == Status.CANCELLED


def test_the_venue_cancelling_the_consultation_cancels_its_treatment(world: World) -> None:
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    cancelled = post(world.api("reception"),
                     f"/api/v1/partner/venues/{world.venue.pk}/bookings/{body['consultation']['id']}/cancel",
                     {"reason": "The venue is closed that day."})
    assert cancelled.status_code == 200, cancelled.content
    assert status_of(body["treatment"]["id"]) == Status.CANCELLED


def test_erasure_cancels_held_consultations_and_their_treatments_through_the_booking_verbs(  # type: ignore[no-untyped-def]
        world: World, events) -> None:
    held, treatment_id = waiting_on_hold(world)
    second = book_pathway(world, world.meso_service, at(10, 10), at(11, 11)).json()
    events.clear()
    counts = privacy.erase_health_data(user=world.customer, now=NOW)
    ids = [held.pk, treatment_id, second["consultation"]["id"], second["treatment"]["id"]]
    assert {status_of(i) for i in ids} == {Status.CANCELLED}
    assert counts["bookings_cancelled"] == 4
    # The venue hears of every booked visit freed (not of the checkout hold, which it never saw).
    assert sorted(i for i, kind in events if kind == "cancelled") == sorted(ids[1:])


# ---------------------------------------------------------------- point 9: only the dependants


def test_cancelling_one_consultation_leaves_a_later_separate_visit_whole(world: World) -> None:
    first = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    second = book_pathway(world, world.meso_service, at(10, 10), at(11, 10, 30)).json()
    assert post(world.api("customer"), f"/api/v1/bookings/{first['consultation']['id']}/cancel", {}).status_code == 200
    assert status_of(first["treatment"]["id"]) == Status.CANCELLED
    assert status_of(second["consultation"]["id"]) == Status.CONFIRMED
    assert status_of(second["treatment"]["id"]) == Status.AWAITING_PATCH_TEST


def test_a_visit_holding_its_own_consultation_survives_another_consultation_being_cancelled(world: World) -> None:
    world.meso.patch_test_lead_hours = None  # consultation only: consultation and treatment in one visit
    world.meso.save()
    answer_questionnaire(world, world.meso)
    first = book_direct(world, world.meso_consult, at(3, 10)).json()["id"]
    visit = post(world.api("customer"), "/api/v1/bookings", {
        "venue_id": world.venue.pk, "services": [world.meso_consult.pk, world.meso_service.pk],
        "start": at(10, 10).isoformat()})
    assert visit.status_code == 201 and visit.json()["status"] == Status.AWAITING_PATCH_TEST
    assert post(world.api("customer"), f"/api/v1/bookings/{first}/cancel", {}).status_code == 200
    assert status_of(visit.json()["id"]) == Status.AWAITING_PATCH_TEST


def test_a_treatment_booked_on_its_own_records_the_consultation_it_waits_for(world: World) -> None:
    answer_questionnaire(world, world.meso)
    first = book_direct(world, world.meso_consult, at(3, 10)).json()["id"]
    second = book_direct(world, world.meso_consult, at(10, 10)).json()["id"]
    early = book_direct(world, world.meso_service, at(4, 11)).json()["id"]
    late = book_direct(world, world.meso_service, at(11, 11)).json()["id"]
    assert Booking.objects.get(pk=early).depends_on_id == first
    assert Booking.objects.get(pk=late).depends_on_id == first  # the first consultation already covers it
    assert post(world.api("customer"), f"/api/v1/bookings/{first}/cancel", {}).status_code == 200
    assert status_of(early) == Status.CANCELLED
    kept = Booking.objects.get(pk=late)
    assert kept.status == Status.AWAITING_PATCH_TEST and kept.depends_on_id == second  # now waits for the second
    assert status_of(second) == Status.CONFIRMED


def test_the_pathway_check_names_the_consultation_a_treatment_waits_for(world: World) -> None:
    answer_questionnaire(world, world.meso)
    consultation = book_direct(world, world.meso_consult, at(3, 10)).json()["id"]
    client = world.client_of(world.customer)
    verdict = pathway.check_visit(customer=client, venue=world.venue, services=[world.meso_service], start=at(4, 11),
                                  now=NOW)
    assert verdict.status == Status.AWAITING_PATCH_TEST and verdict.depends_on_id == consultation
    assert world.meso_consult.kind == ServiceKind.CONSULTATION


def test_a_reaction_cancels_the_waiting_treatment_through_the_cancel_verb_and_lists_it(  # type: ignore[no-untyped-def]
        world: World, events, frozen) -> None:
    body = book_pathway(world, world.meso_service, at(3, 10), at(4, 10, 30)).json()
    consultation, treatment = body["consultation"]["id"], body["treatment"]["id"]
    frozen.move_to(at(3, 11))
    events.clear()
    result = post(world.api("manager"), f"/api/v1/clinical/venues/{world.venue.pk}/patch-tests", {
        "treatment_id": world.meso.pk, "booking_id": consultation, "outcome": "reaction",
        "read_at": at(3, 11).isoformat(),
    })
    assert result.status_code == 201, result.content
    assert result.json()["cancelled_booking_ids"] == [treatment]
    cancelled = Booking.objects.get(pk=treatment)
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_at == at(3, 11)
    assert not cancelled.items.filter(active=True).exists()
    # The result message lists the treatment: no separate cancellation for it.
    assert events == [(consultation, "patch_test_failed")]
