"""check_visit() as the booking engine calls it, and the pure rules under it."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings.models import Booking, BookingItem, Status
from pamper.catalog.models import Treatment
from pamper.clinical import actions, pathway
from pamper.clinical.models import Consultation, PathwayOverride
from pamper.errors import Refusal

from .conftest import NOW, World, at

pytestmark = pytest.mark.django_db


def book(world: World, service, start: dt.datetime, status: str = Status.CONFIRMED, client=None) -> Booking:  # type: ignore[no-untyped-def]
    client = client or world.client_of(world.customer)
    end = start + dt.timedelta(minutes=service.duration_minutes)
    booking = Booking.objects.create(venue=world.venue, client=client, customer=client.user, status=status, start=start,
                                     end=end, total_price=service.price, currency="GBP")
    BookingItem.objects.create(booking=booking, venue=world.venue, service=service, staff=world.staff, start=start,
                               end=end, busy_start=start, busy_end=end, price=service.price, currency="GBP")
    return booking


def check(world: World, services, start: dt.datetime, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("customer", world.customer)
    return pathway.check_visit(venue=world.venue, services=services, start=start, now=NOW, **kwargs).status


def code_of(world: World, services, start: dt.datetime, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as refused:
        check(world, services, start, **kwargs)
    return refused.value.code


def answered(world: World, *treatments, client=None) -> None:  # type: ignore[no-untyped-def]
    """The medical questionnaire answered (current version, nothing flagged) by the customer or `client`."""
    from pamper.clinical import documents
    from pamper.clinical.models import QuestionnaireResponse

    client = client or world.client_of(world.customer)
    for treatment in treatments:
        QuestionnaireResponse.objects.create(client=client, questionnaire=documents.current_questionnaire(treatment),
                                             answers={}, submitted_at=NOW)


def test_pure_rules_count_real_hours_and_validity() -> None:
    treatment = Treatment(patch_test_lead_hours=24, patch_test_validity_days=None)  # unsaved: the rules are pure
    applied = at(2, 10)
    assert treatment.earliest_after(applied) == at(3, 10)
    assert not treatment.patch_test_covers(applied, at(3, 9, 59))
    assert treatment.patch_test_covers(applied, at(3, 10))
    assert treatment.patch_test_covers(applied, applied + dt.timedelta(days=180))
    assert not treatment.patch_test_covers(applied, applied + dt.timedelta(days=180, minutes=1))
    assert pathway.next_session_from(at(2, 10), 14) == at(16, 10)


def test_treatments_without_a_pathway_pass_and_consultations_need_the_questionnaire(world: World) -> None:
    assert check(world, [world.facial_service], at(3, 10)) is None
    assert code_of(world, [world.meso_consult], at(3, 10)) == "questionnaire_required"
    assert code_of(world, [world.meso_consult.pk], at(3, 10), customer=None) == "questionnaire_required"
    answered(world, world.meso)
    assert check(world, [world.meso_consult], at(3, 10)) is None


def test_a_walk_in_client_without_an_account_is_checked_by_their_client_record(world: World) -> None:
    from pamper.venues.models import Client

    walk_in = Client.objects.create(venue=world.venue, name="Walk In")
    assert code_of(world, [world.hair_service], at(5, 10), customer=walk_in) == "patch_test_required"
    answered(world, world.hair, client=walk_in)
    Consultation.objects.create(venue=world.venue, client=walk_in, treatment=world.hair, outcome="passed",
                                applied_at=at(1, 9), read_at=at(2, 7))
    assert check(world, [world.hair_service], at(5, 10), customer=walk_in) is None
    assert code_of(world, [world.hair_service], at(5, 10)) == "patch_test_required"  # someone else


def test_a_consultation_earlier_in_the_same_visit_counts_only_with_no_wait(world: World) -> None:
    world.meso.patch_test_lead_hours = None  # a consultation-only treatment
    world.meso.save()
    answered(world, world.meso, world.hair)
    assert check(world, [world.meso_consult, world.meso_service], at(3, 10)) == Status.AWAITING_PATCH_TEST
    assert code_of(world, [world.hair_consult, world.hair_service], at(3, 10)) == "patch_test_lead_time"


def test_moving_a_consultation_after_its_waiting_treatment_is_refused(world: World) -> None:
    answered(world, world.meso)
    consultation = book(world, world.meso_consult, at(3, 10))
    book(world, world.meso_service, at(4, 11), status=Status.AWAITING_PATCH_TEST)
    assert check(world, [world.meso_consult], at(3, 9), booking=consultation) is None  # earlier is fine
    assert code_of(world, [world.meso_consult], at(4, 9), booking=consultation) == "patch_test_lead_time"


def test_a_cancelled_or_missed_consultation_does_not_count(world: World) -> None:
    book(world, world.meso_consult, at(3, 10), status=Status.CANCELLED)
    book(world, world.meso_consult, at(3, 12), status=Status.NO_SHOW)
    assert code_of(world, [world.meso_service], at(5, 10)) == "patch_test_required"


def test_a_passed_test_at_another_venue_does_not_count_here(world: World) -> None:
    elsewhere = world.client_of(world.customer, world.other_venue)
    Consultation.objects.create(venue=world.other_venue, client=elsewhere, treatment=world.meso, outcome="passed",
                                applied_at=at(1, 9), read_at=at(2, 7))
    assert code_of(world, [world.meso_service], at(5, 10)) == "patch_test_required"


def test_the_wait_is_counted_in_real_hours_across_the_clock_change(world: World) -> None:
    # Clocks go forward in London at 01:00 UTC on Sunday 29 March 2026.
    answered(world, world.meso)
    book(world, world.meso_consult, at(28, 10))  # ends 10:30 GMT
    with pytest.raises(Refusal) as refused:
        check(world, [world.meso_service], at(29, 9, 45))  # 10:45 BST, only 23 h 15 later
    assert refused.value.extra["earliest_start"] == at(29, 10, 30).isoformat()
    assert "11:30" in refused.value.message and "Europe/" not in refused.value.message  # London time
    assert check(world, [world.meso_service], at(29, 10, 30)) == Status.AWAITING_PATCH_TEST


def test_an_override_needs_a_clinical_member_and_a_reason_and_is_recorded(world: World) -> None:
    assert code_of(world, [world.meso_service], at(5, 10),
                   override=pathway.Override(by=world.reception, reason="Customer insists")) == "override_not_allowed"
    assert code_of(world, [world.meso_service], at(5, 10),
                   override=pathway.Override(by=world.outsider, reason="Tested with us")) == "override_not_allowed"
    assert code_of(world, [world.meso_service], at(5, 10),
                   override=pathway.Override(by=world.practitioner, reason=" ")) == "override_reason_required"
    assert not PathwayOverride.objects.exists()
    override = pathway.Override(by=world.manager, reason="Seen test record.")
    assert check(world, [world.meso_service], at(5, 10), override=override) is None
    client = world.client_of(world.customer)
    booked = actions.book_past_pathway(by=world.manager, client=client, services=[world.meso_service], start=at(5, 10),
                                       reason="Seen test record.", now=NOW)
    row = PathwayOverride.objects.get()
    assert (row.rule, row.created_by, row.start, row.client) == ("patch_test_required", world.manager, at(5, 10),
                                                                  client)
    assert booked.status == Status.CONFIRMED


def test_the_check_itself_writes_nothing(world: World) -> None:
    """The check only reads: the waivers it lists are written by the action that books (issue 14, point 3)."""
    override = pathway.Override(by=world.manager, reason="Seen test record.")
    assert check(world, [world.meso_service], at(5, 10), override=override) is None
    assert [(w.rule, w.start) for w in override.waived] == [("patch_test_required", at(5, 10))]
    assert not PathwayOverride.objects.exists()


def test_an_unknown_service_is_a_clear_422(world: World) -> None:
    assert code_of(world, [999999], at(5, 10)) == "unknown_service"


def facial_course(world: World, interval_days: int = 7):  # type: ignore[no-untyped-def]
    from pamper.clinical.models import Course, TreatmentSession

    client = world.client_of(world.customer)
    course = Course.objects.create(venue=world.venue, client=client, treatment=world.facial, planned_sessions=4,
                                   interval_days=interval_days)
    TreatmentSession.objects.create(course=course, number=1, performed_at=at(2, 10), performed_by=world.practitioner,
                                    checkin_due_at=at(4, 10))
    return course


def test_course_sessions_keep_the_interval_from_sessions_done(world: World) -> None:
    facial_course(world)
    with pytest.raises(Refusal) as refused:
        check(world, [world.facial_service], at(6, 10))
    assert refused.value.code == "course_interval"
    assert "at least 7 days apart" in refused.value.message and "Mon 2 Mar 2026, 10:00" in refused.value.message
    assert "Monday 9 March or later" in refused.value.message
    assert check(world, [world.facial_service], at(9, 9)) is None  # counted in calendar days, not to the hour


def test_course_sessions_keep_the_interval_from_sessions_booked(world: World) -> None:
    facial_course(world)
    later = book(world, world.facial_service, at(16, 10))
    with pytest.raises(Refusal) as refused:
        check(world, [world.facial_service], at(12, 10))
    assert "Monday 9 March or earlier" in refused.value.message
    assert check(world, [world.facial_service], at(23, 10)) is None
    # Moving the booked session does not count it against itself.
    assert check(world, [world.facial_service], at(17, 10), booking=later) is None
    later.status = Status.CANCELLED
    later.save()
    BookingItem.objects.filter(booking=later).update(active=False)
    assert check(world, [world.facial_service], at(12, 10)) is None


def test_two_sessions_of_a_course_in_one_visit_break_its_interval(world: World) -> None:
    """The interval holds between the sessions of one visit too: the same course treatment twice back to back is
    two sessions on one day."""
    facial_course(world)
    with pytest.raises(Refusal) as refused:
        check(world, [world.facial_service, world.facial_service], at(16, 10))
    assert refused.value.code == "course_interval"
    assert "at least 7 days apart" in refused.value.message
    assert check(world, [world.facial_service], at(16, 10)) is None  # one session that day is fine
    facial_course(world, interval_days=0)  # a course without an interval: nothing to keep apart
    world.client_of(world.customer).courses.exclude(interval_days=0).delete()
    assert check(world, [world.facial_service, world.facial_service], at(16, 10)) is None


def test_without_a_course_or_with_an_override_the_interval_does_not_apply(world: World) -> None:
    book(world, world.facial_service, at(9, 10))
    assert check(world, [world.facial_service], at(10, 10)) is None  # no course planned: any day
    facial_course(world)
    override = pathway.Override(by=world.practitioner, reason="Touch-up agreed at the last visit")
    assert check(world, [world.facial_service], at(5, 10), override=override) is None
    assert [w.rule for w in override.waived] == ["course_interval"]


def test_a_consultation_in_a_visit_waiting_for_it_is_on_the_worklist_for_its_result(world: World) -> None:
    """The worklist counts the same consultations as the pathway: one inside a visit that waits for it too."""
    from pamper.bookings.actions import book_visit

    world.meso.patch_test_lead_hours = None  # a consultation-only treatment: consultation and treatment in one visit
    world.meso.save()
    answered(world, world.meso)
    visit = book_visit(venue=world.venue, services=[world.meso_consult, world.meso_service], start=at(3, 10),
                       customer=world.customer, now=NOW)
    assert visit.status == Status.AWAITING_PATCH_TEST
    page = world.browser("owner").get(f"/partner/clinical/{world.venue.pk}/").content.decode()
    awaiting = page[page.index('id="awaiting"'):page.index('id="waiting"')]
    assert world.client_of(world.customer).name in awaiting and "Record result" in awaiting
