"""Clinical reads: what the pathway check, the pages, the API and the actions look up (no writes).

Callers do the permission check (access.py, the workspace's door) and log
reads of health data (access.log_read); these functions only read.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import router
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings.models import LIVE_CONSULTATION, Booking, BookingItem, Status
from pamper.catalog.models import Treatment
from pamper.clinical import documents
from pamper.clinical.models import (
    AccessLog,
    Consent,
    Consultation,
    Course,
    Outcome,
    QuestionnaireResponse,
    ReviewStatus,
    TreatmentSession,
)
from pamper.errors import Refusal
from pamper.lib import cursors
from pamper.lib.prepared import fetch_all
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue

# ---------------------------------------------------------------- the pathway's reads


def client_for(customer: User | Client | None, venue: Venue) -> Client | None:
    """The venue's client record for a customer (a user, or a Client given directly)."""
    if customer is None:
        return None
    if isinstance(customer, Client):
        return customer if customer.venue_id == venue.pk else None
    if not getattr(customer, "is_authenticated", False):
        return None
    return Client.objects.filter(venue=venue, user=customer).first()


def consultation_service(venue: Venue, treatment: Treatment) -> Service | None:
    """The venue's active "consultation and patch test" service for the treatment, if it offers one."""
    return (
        Service.objects.filter(venue=venue, treatment=treatment, kind=ServiceKind.CONSULTATION, is_active=True)
        .order_by("position", "id")
        .first()
    )


def blocking_reaction(client: Client | None, treatment: Treatment) -> Consultation | None:
    if client is None:
        return None
    return Consultation.objects.filter(
        client=client, treatment=treatment, outcome=Outcome.REACTION, cleared_at__isnull=True
    ).first()


def latest_response(client: Client | None, treatment: Treatment) -> QuestionnaireResponse | None:
    if client is None:
        return None
    return (
        QuestionnaireResponse.objects.filter(client=client, questionnaire__treatment=treatment)
        .select_related("questionnaire")
        .order_by("-submitted_at", "-id")
        .first()
    )


def passed_tests(client: Client | None, treatment: Treatment) -> list[Consultation]:
    if client is None:
        return []
    passed = Consultation.objects.filter(client=client, treatment=treatment, outcome=Outcome.PASSED)
    return list(passed.select_related("treatment"))


def pending_consultations(client: Client | None, treatment: Treatment,
                          exclude_booking_id: int | None = None) -> list[tuple[dt.datetime, int | None]]:
    """(when the test was or will be applied, its consultation booking id) for each test still waiting for a
    result, soonest first.

    That is the end of each live consultation booking for the treatment with no
    result recorded, plus pending results recorded without a booking (id None).
    """
    if client is None:
        return []
    resulted = Consultation.objects.filter(booking=OuterRef("booking"), treatment=treatment).exclude(
        outcome=Outcome.PENDING)
    items = BookingItem.objects.filter(
        booking__client=client,
        booking__status__in=LIVE_CONSULTATION,
        service__kind=ServiceKind.CONSULTATION,
        service__treatment=treatment,
    ).filter(~Exists(resulted))
    if exclude_booking_id is not None:
        items = items.exclude(booking_id=exclude_booking_id)
    found: list[tuple[dt.datetime, int | None]] = list(items.values_list("end", "booking_id"))
    loose = Consultation.objects.filter(client=client, treatment=treatment, outcome=Outcome.PENDING)
    if exclude_booking_id is not None:
        loose = loose.exclude(booking_id=exclude_booking_id)
    found += [(applied, booking_id) for applied, booking_id in loose.values_list("applied_at", "booking_id")]
    return sorted(found, key=lambda pair: (pair[0], pair[1] or 0))


def pending_tests(client: Client | None, treatment: Treatment,
                  exclude_booking_id: int | None = None) -> list[dt.datetime]:
    """When each test still waiting for a result was (or will be) applied, soonest first."""
    return [applied for applied, _ in pending_consultations(client, treatment, exclude_booking_id)]


def covering_consultation(client: Client | None, treatment: Treatment, start: dt.datetime, *,
                          exclude_booking_id: int | None = None) -> tuple[bool, int | None]:
    """Whether a passed test or a consultation still waiting for its result covers a treatment at `start`.

    Returns (covered, the consultation booking it would wait for). The booking
    is None when a passed test covers it or the covering result has no booking.
    `exclude_booking_id` leaves one consultation booking out (the one going away).
    """
    if any(treatment.patch_test_covers(t.applied_at, start) for t in passed_tests(client, treatment)):
        return True, None
    for applied, booking_id in pending_consultations(client, treatment, exclude_booking_id):
        if treatment.patch_test_covers(applied, start):
            return True, booking_id
    return False, None


def answered_questionnaire(client: Client | None, treatment: Treatment,
                           at: dt.datetime) -> QuestionnaireResponse | None:
    """The client's latest answers for the treatment when they count at `at`, else None.

    They count when they answer the current version of the questionnaire and
    were given no longer ago than the treatment's validity (a patch test's, six
    months by default): a changed form or an old medical history is asked again.
    """
    response = latest_response(client, treatment)
    if response is None or at > response.submitted_at + treatment.patch_test_validity:
        return None
    if response.questionnaire_id != documents.current_questionnaire(treatment).pk:
        return None
    return response


@functools.cache
def _open_course_sql() -> str:
    # Course.objects.open_for(...).first() as one fixed statement: it runs in every booking of a treatment.
    table = Course._meta.db_table
    return (f"SELECT id, interval_days FROM {table} WHERE client_id = %s AND treatment_id = %s"  # noqa: S608
            " AND ended_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1")


def _open_course(client: Client, treatment: Treatment) -> Course | None:
    """The client's open course of the treatment (its id and interval; other fields load when read), or None."""
    db = router.db_for_read(Course)
    rows = fetch_all(_open_course_sql(), [client.pk, treatment.pk], db)
    return Course.from_db(db, ["id", "interval_days"], rows[0]) if rows else None


def course_session_times(client: Client, treatment: Treatment, *, exclude_booking_id: int | None
                         ) -> tuple[Course | None, list[dt.datetime]]:
    """The client's open course of the treatment (None without one), and when each of the treatment's sessions
    was done or is booked (active items), leaving out booking `exclude_booking_id` (the one being moved)."""
    course = _open_course(client, treatment)
    if course is None or course.interval_days == 0:
        return course, []
    times = list(course.sessions.values_list("performed_at", flat=True))
    booked = BookingItem.objects.filter(
        booking__client=client, active=True, service__treatment=treatment, service__kind=ServiceKind.TREATMENT,
    )
    if exclude_booking_id is not None:
        booked = booked.exclude(booking_id=exclude_booking_id)
    return course, times + list(booked.values_list("start", flat=True))


def waiting_treatment_starts(client: Client, treatment: Treatment, *, exclude_booking_id: int) -> list[dt.datetime]:
    """When each of the client's treatments waiting for a patch test starts, other than booking
    `exclude_booking_id`'s."""
    waiting = BookingItem.objects.filter(
        booking__client=client, booking__status=Status.AWAITING_PATCH_TEST, service__treatment=treatment,
        service__kind=ServiceKind.TREATMENT,
    ).exclude(booking_id=exclude_booking_id)
    return list(waiting.values_list("start", flat=True))


# ---------------------------------------------------------------- the practitioner's pages


def awaiting_result(venue: Venue, clients: QuerySet[Client]) -> list[BookingItem]:
    """Consultations still waiting for a result, for the given clients (those whose records the reader may
    open), soonest first, at most 100."""
    resulted = Consultation.objects.filter(booking=OuterRef("booking"), treatment=OuterRef("service__treatment")
                                           ).exclude(outcome=Outcome.PENDING)
    return list(
        BookingItem.objects.filter(venue=venue, service__kind=ServiceKind.CONSULTATION,
                                   booking__status__in=LIVE_CONSULTATION, booking__client__in=clients)
        .filter(~Exists(resulted)).select_related("booking__client", "service__treatment").order_by("start")[:100]
    )


def worklist(venue: Venue, readable: QuerySet[Client], search: str) -> dict[str, Any]:
    """The worklist's lists, each limited to `readable` (the clients whose records the reader may open).

    awaiting (consultations without a result), waiting_treatments, reviews
    (flagged answers), followups (reported side effects), blocked (uncleared
    reactions), and clients: those with anything clinical, by name, matching
    `search` in name or email (a queryset, for the page to paginate).
    """
    clients = readable.filter(
        Q(questionnaire_responses__isnull=False) | Q(consultations__isnull=False) | Q(courses__isnull=False)
        | Q(bookings__items__service__kind=ServiceKind.CONSULTATION)
    ).distinct().order_by("name")
    if search:
        clients = clients.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return {
        "awaiting": awaiting_result(venue, readable),
        "waiting_treatments": Booking.objects.filter(venue=venue, status=Status.AWAITING_PATCH_TEST,
                                                     client__in=readable)
        .select_related("client").prefetch_related("items__service").order_by("start")[:100],
        "reviews": QuestionnaireResponse.objects.filter(client__in=readable, review_status=ReviewStatus.NEEDS_REVIEW)
        .select_related("client", "questionnaire__treatment"),
        "followups": TreatmentSession.objects.filter(course__venue=venue, course__client__in=readable, flagged=True,
                                                     flag_resolved_at__isnull=True)
        .select_related("course__client", "course__treatment"),
        "blocked": Consultation.objects.filter(venue=venue, client__in=readable, outcome=Outcome.REACTION,
                                               cleared_at__isnull=True)
        .select_related("client", "treatment"),
        "clients": clients,
    }


def venue_treatments(venue: Venue) -> list[Treatment]:
    """The treatments the venue offers (any active service), by name."""
    return list(Treatment.objects.filter(services__venue=venue, services__is_active=True).distinct().order_by("name"))


def client_record(client: Client) -> dict[str, Any]:
    """Everything the practitioner's page shows of one client's clinical record (the reader checked and logged).

    courses come with their sessions prefetched and photos with their
    treatment and session; bookings are the latest 30, services the venue's
    active treatments (to book past the pathway).
    """
    return {
        "questionnaires": list(client.questionnaire_responses.select_related("questionnaire__treatment")),
        "consents": list(client.consents.select_related("text__treatment")),
        "signed": set(client.consents.values_list("text__treatment_id", flat=True)),
        "consultations": list(client.consultations.select_related("treatment", "recorded_by")),
        "pending": awaiting_result(client.venue, Client.objects.filter(pk=client.pk)),
        "courses": list(client.courses.select_related("treatment").prefetch_related("sessions")),
        "photos": list(client.progress_photos.select_related("treatment", "session")),
        "overrides": list(client.pathway_overrides.select_related("treatment", "created_by")),
        "bookings": list(Booking.objects.filter(client=client).prefetch_related("items__service")
                         .order_by("-start")[:30]),
        "services": Service.objects.filter(venue=client.venue, is_active=True, kind=ServiceKind.TREATMENT)
        .order_by("name"),
    }


# ---------------------------------------------------------------- records


def has_consent(client: Client, treatment: Treatment) -> bool:
    """True when the client has signed a consent (any version) for the treatment."""
    return Consent.objects.filter(client=client, text__treatment=treatment).exists()


def active_course(client: Client, treatment: Treatment, lock: bool = False) -> Course | None:
    """The client's open course of the treatment, if any (row-locked with `lock`, inside a transaction)."""
    courses = Course.objects.open_for(client, treatment)
    return (courses.select_for_update() if lock else courses).first()


# ---------------------------------------------------------------- the API's lookups


def venue_or_404(venue_id: int) -> Venue:
    """A published venue; Refusal 404 otherwise."""
    venue = Venue.objects.filter(pk=venue_id, is_published=True).first()
    if venue is None:
        raise Refusal(404, "not_found", gettext("No such venue."))
    return venue


def treatment_at(venue: Venue, treatment_id: int) -> Treatment:
    """A treatment the venue offers (404 otherwise)."""
    treatment = Treatment.objects.filter(pk=treatment_id, services__venue=venue, services__is_active=True).first()
    if treatment is None:
        raise Refusal(404, "not_found", gettext("This venue does not offer that treatment."))
    return treatment


def staff_at(venue: Venue, staff_id: int | None) -> Staff | None:
    """The venue's active staff member (None for None); Refusal 422 unknown_staff otherwise."""
    if staff_id is None:
        return None
    found = Staff.objects.filter(pk=staff_id, venue=venue, is_active=True).first()
    if found is None:
        raise Refusal(422, "unknown_staff", gettext("That staff member does not work here."))
    return found


# ---------------------------------------------------------------- the access log, page by page


@dataclass(frozen=True)
class LogPage:
    rows: list[AccessLog]
    next_cursor: str | None


def access_log_page(rows: QuerySet[AccessLog], *, bound_to: list[Any], cursor: str | None,
                    limit: int) -> LogPage:
    """One page of `rows` (an access log already scoped by the caller), newest first, and the cursor after it.

    Keyset paging on (at, id): the cursor names the last row shown, so every row is reached once however long the
    log, and rows written meanwhile do not shift the pages. The cursor is sealed to `bound_to` (the log's owner:
    a venue, a customer), so one log's cursor opens no other; Refusal 400 bad_cursor for any cursor not made here
    for it (the API and the pages say so alike). next_cursor is None on the last page.
    """
    if cursor:
        when, pk = _log_position(cursor, bound_to)
        rows = rows.filter(Q(at__lt=when) | Q(at=when, id__lt=pk))
    found = list(rows.order_by("-at", "-id")[: limit + 1])
    if len(found) <= limit:
        return LogPage(found, None)
    last = found[limit - 1]
    return LogPage(found[:limit], cursors.seal("access_log", [last.at.isoformat(), last.pk], bound_to))


def _log_position(cursor: str, bound_to: list[Any]) -> tuple[dt.datetime, int]:
    try:
        at, pk = cursors.unseal("access_log", cursor, bound_to)
        when = dt.datetime.fromisoformat(at)
    except (cursors.BadCursor, ValueError, TypeError) as exc:
        raise _bad_cursor() from exc
    if type(pk) is not int or when.tzinfo is None:
        raise _bad_cursor()
    return when, pk


def _bad_cursor() -> Refusal:
    return Refusal(400, "bad_cursor", gettext("cursor: use the next_cursor value from the previous page."))
