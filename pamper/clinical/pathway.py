"""The pathway rules: what must happen before a treatment may be booked.

A catalogue treatment declares its prerequisites as data (consultation
required, patch-test lead time in hours and validity in days). For a
(client, treatment, venue) the rules are, in order:

1. an uncleared patch-test reaction at the venue blocks it (patch_test_reaction);
2. questionnaire answers waiting for review, or declined, block it
   (contraindication_review);
3. a passed test or consultation covers a treatment that starts at least the
   lead time after the test was applied and before its validity ends;
4. a consultation booked ahead (no result yet) makes the treatment reachable
   when it starts at least the lead time after the consultation ends: the
   treatment is then booked in status "awaiting_patch_test";
5. anything else needs the consultation first (patch_test_required), or, when
   a test exists but the slot is inside its wait, patch_test_lead_time;
6. a consultation, and a treatment that rules 3 or 4 let through, needs the
   medical questionnaire answered: to its current version, within its
   validity (the treatment's test validity) at the visit (questionnaire_required).

For any treatment the client has an open course of at the venue, the session
must also fall at least the course's interval (in calendar days at the venue)
from every other session, done or booked (course_interval).

bookings.actions calls check_visit() for every booking, hold, confirmation
and reschedule, inside its transaction; it also names the consultation
booking a waiting treatment depends on, so that only the bookings which
depend on a consultation go with it. A practitioner's Override (who, why)
lets a booking through: the check only reads, and lists on the Override the
rules it waived; clinical.actions.book_past_pathway writes them to
PathwayOverride in the booking's transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from pamper.accounts.models import CLINICAL_ROLES, Membership, User
from pamper.bookings.models import LIVE_CONSULTATION, BookingItem, Status
from pamper.catalog.models import Treatment
from pamper.clinical import documents
from pamper.clinical.models import (
    Consultation,
    Course,
    Outcome,
    PathwayStatus,
    QuestionnaireResponse,
    ReviewStatus,
)
from pamper.errors import Refusal
from pamper.lib.clock import format_local
from pamper.venues.models import Client, Service, ServiceKind, Venue

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Verdict:
    """What the pathway says about one visit: the status to book it in, and what it waits for.

    `status` is None (book as usual) or Status.AWAITING_PATCH_TEST; `depends_on_id` is the
    consultation booking a waiting treatment relies on (None when it relies on
    a consultation inside the same visit, or on a result recorded without a booking).
    """

    status: str | None = None
    depends_on_id: int | None = None


@dataclass(frozen=True)
class Waiver:
    """One rule an Override let through: for which treatment, at what start."""

    venue: Venue
    client: Client | None
    treatment: Treatment
    rule: str  # the code of the refusal waived, e.g. patch_test_required
    start: dt.datetime


@dataclass(frozen=True)
class Override:
    """A practitioner's decision to let one booking through the pathway rules.

    The check fills `waived` with the rules it let through (nothing is written
    then); clinical.actions records them once the booking is made.
    """

    by: User
    reason: str
    client: Client | None = None  # the venue's client when the booking is for someone without an account
    waived: list[Waiver] = field(default_factory=list, compare=False)


# ---------------------------------------------------------------- pure rules


def next_session_from(last_session_at: dt.datetime, interval_days: int) -> dt.datetime:
    """When the next course session is due: the last one plus the course interval."""
    return last_session_at + dt.timedelta(days=interval_days)


# ---------------------------------------------------------------- lookups


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
    return list(
        Consultation.objects.filter(client=client, treatment=treatment, outcome=Outcome.PASSED).select_related("treatment")
    )


def pending_consultations(client: Client | None, treatment: Treatment,
                          exclude_booking_id: int | None = None) -> list[tuple[dt.datetime, int | None]]:
    """(when the test was or will be applied, its consultation booking id) for each test still waiting for a
    result, soonest first.

    That is the end of each live consultation booking for the treatment with no
    result recorded, plus pending results recorded without a booking (id None).
    """
    if client is None:
        return []
    resulted = Consultation.objects.filter(booking=OuterRef("booking"), treatment=treatment).exclude(outcome=Outcome.PENDING)
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


def pending_tests(client: Client | None, treatment: Treatment, exclude_booking_id: int | None = None) -> list[dt.datetime]:
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


def answered_questionnaire(client: Client | None, treatment: Treatment, at: dt.datetime) -> QuestionnaireResponse | None:
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


# ---------------------------------------------------------------- the check


@dataclass
class _Visit:
    """One booking request as the rules see it."""

    venue: Venue
    client: Client | None
    services: list[Service]
    start: dt.datetime
    now: dt.datetime
    booking_id: int | None = None
    item_starts: list[dt.datetime] = field(default_factory=list)
    depends_on_id: int | None = None  # the first outside consultation booking a waiting treatment relies on
    linked_to: int | None = None  # the consultation a booking being moved waits for: kept while it still covers

    def __post_init__(self) -> None:
        offset = dt.timedelta()
        for service in self.services:
            self.item_starts.append(self.start + offset)
            offset += dt.timedelta(minutes=service.duration_minutes)

    def consultation_ends_before(self, position: int, treatment: Treatment) -> list[dt.datetime]:
        """Ends of consultations for treatment earlier in the same visit."""
        return [
            self.item_starts[i] + dt.timedelta(minutes=s.duration_minutes)
            for i, s in enumerate(self.services[:position])
            if s.kind == ServiceKind.CONSULTATION and s.treatment_id == treatment.pk
        ]


def check_booking(
    *,
    customer: User | Client | None,
    venue: Venue,
    services: Sequence[Service | int],
    start: dt.datetime,
    now: dt.datetime,
    override: Override | Mapping[str, Any] | None = None,
    booking: Any = None,
) -> str | None:
    """Check a booking (or a reschedule to `start`) against the clinical pathway.

    `customer` is the booking user, or the venue's Client for bookings the
    venue enters; `services` are the visit's services in order (objects or
    ids), the first starting at `start`. For a reschedule pass `booking` (the
    booking being moved) so its own consultation is not counted twice.

    Returns None when the booking may go ahead as usual, or "awaiting_patch_test"
    when a treatment relies on a consultation that has no result yet (book it in
    that status). Raises Refusal 422 questionnaire_required, patch_test_required,
    patch_test_lead_time, contraindication_review or patch_test_reaction
    otherwise; with an Override from a clinical member of the venue staff and a
    reason the rule is waived and the waiver logged (403 override_not_allowed
    for anyone else). check_visit() says the same and names what a waiting
    treatment depends on.
    """
    return check_visit(customer=customer, venue=venue, services=services, start=start, now=now, override=override,
                       booking=booking).status


def check_visit(
    *,
    customer: User | Client | None,
    venue: Venue,
    services: Sequence[Service | int],
    start: dt.datetime,
    now: dt.datetime,
    override: Override | Mapping[str, Any] | None = None,
    booking: Any = None,
) -> Verdict:
    """check_booking(), returning a Verdict: the status and the consultation booking a waiting treatment relies on."""
    try:
        return _check(customer=customer, venue=venue, services=services, start=start, now=now, override=override,
                      booking=booking)
    except OverflowError as exc:  # a start at the edge of the calendar: no treatment can be that far out
        raise Refusal(422, "invalid_start", "That date is out of range.") from exc


def _check(*, customer: User | Client | None, venue: Venue, services: Sequence[Service | int], start: dt.datetime,
           now: dt.datetime, override: Override | Mapping[str, Any] | None, booking: Any) -> Verdict:
    client = client_for(customer, venue)
    if client is None and isinstance(override, Override) and override.client is not None:
        client = client_for(override.client, venue)
    visit = _Visit(
        venue=venue, client=client, services=_services(venue, services),
        start=start, now=now, booking_id=getattr(booking, "pk", booking),
        linked_to=getattr(booking, "depends_on_id", None),
    )
    result: str | None = None
    for position, service in enumerate(visit.services):
        treatment = service.treatment
        if service.kind == ServiceKind.CONSULTATION:
            _check_dependants_still_reachable(visit, position, treatment)
        try:
            if service.kind == ServiceKind.CONSULTATION:
                if treatment.has_pathway:
                    _check_questionnaire(visit, position, treatment)
                continue
            _check_course_interval(visit, position, treatment)
            if treatment.has_pathway and _check_treatment(visit, position, treatment) == Status.AWAITING_PATCH_TEST:
                result = Status.AWAITING_PATCH_TEST
        except Refusal as refusal:
            if override is None:
                raise
            _waive(visit, treatment, visit.item_starts[position], refusal, override)
    return Verdict(status=result, depends_on_id=visit.depends_on_id if result == Status.AWAITING_PATCH_TEST else None)


def _services(venue: Venue, services: Iterable[Service | int]) -> list[Service]:
    wanted = list(services)
    ids = [s if isinstance(s, int) else s.pk for s in wanted]
    found = {s.pk: s for s in Service.objects.filter(pk__in=ids, venue=venue).select_related("treatment")}
    missing = [i for i in ids if i not in found]
    if missing:
        raise Refusal(422, "unknown_service", f"Service {missing[0]} is not offered by this venue.")
    return [found[i] for i in ids]


def _check_treatment(visit: _Visit, position: int, treatment: Treatment) -> str | None:
    """None (covered by a passed test), Status.AWAITING_PATCH_TEST, or raises the rule that stops it."""
    start = visit.item_starts[position]
    reaction = blocking_reaction(visit.client, treatment)
    if reaction is not None:
        raise Refusal(
            422, "patch_test_reaction",
            f"Your patch test for {treatment.name} at {visit.venue.name} showed a reaction, so it cannot be booked "
            "online. Please talk to the venue: a practitioner can clear this after reviewing it with you.",
        )
    response = latest_response(visit.client, treatment)
    if response is not None and response.blocks_booking:
        raise _review_error(visit, treatment)
    passed = passed_tests(visit.client, treatment)
    if any(treatment.patch_test_covers(t.applied_at, start) for t in passed):
        _check_questionnaire(visit, position, treatment)
        return None
    if any(treatment.patch_test_covers(end, start) for end in visit.consultation_ends_before(position, treatment)):
        _check_questionnaire(visit, position, treatment)
        return Status.AWAITING_PATCH_TEST  # waits for the consultation earlier in this very visit
    pending = pending_consultations(visit.client, treatment, visit.booking_id)
    covering = [booking_id for applied, booking_id in pending if treatment.patch_test_covers(applied, start)]
    if covering:
        _check_questionnaire(visit, position, treatment)
        if visit.depends_on_id is None:
            visit.depends_on_id = visit.linked_to if visit.linked_to in covering else covering[0]
        return Status.AWAITING_PATCH_TEST
    waits = [treatment.earliest_after(t.applied_at) for t in passed if start <= t.valid_until()]
    applied_times = [a for a, _ in pending] + visit.consultation_ends_before(position, treatment)
    waits += [treatment.earliest_after(a) for a in applied_times if start <= a + treatment.patch_test_validity]
    if any(start < w for w in waits):
        raise _lead_time_error(visit, treatment, min(w for w in waits if start < w))
    raise _required_error(visit, treatment, visit.services[position])


def _check_questionnaire(visit: _Visit, position: int, treatment: Treatment) -> None:
    """The medical questionnaire, current and within its validity at the visit, comes before any pathway booking."""
    if answered_questionnaire(visit.client, treatment, visit.item_starts[position]) is not None:
        return
    page = reverse("clinical:questionnaire", args=[visit.venue.pk, treatment.pk])
    if visit.client is not None and visit.client.user_id is None:
        where = ("The client has no account to answer it online: a practitioner can book past this rule with the "
                 "reason (for example, the history taken on paper), which is logged.")
    else:
        where = (f"Answer it on your health page ({page}) or through the API (GET and POST "
                 f"/api/v1/pathway/questionnaire?venue_id={visit.venue.pk}&treatment_id={treatment.pk}), then book again.")
    raise Refusal(
        422, "questionnaire_required",
        f"{treatment.name} at {visit.venue.name} needs the medical questionnaire answered first (the current "
        f"version, answered within the last {treatment.patch_test_validity.days} days): the practitioner reads it before "
        f"your consultation. {where}",
        questionnaire_url=page, venue_id=visit.venue.pk, treatment_id=treatment.pk,
    )


def _check_course_interval(visit: _Visit, position: int, treatment: Treatment) -> None:
    """Sessions of an open course keep its interval from every other session, done or booked."""
    if visit.client is None:
        return
    course = Course.objects.open_for(visit.client, treatment).first()
    if course is None or course.interval_days == 0:
        return
    others = list(course.sessions.values_list("performed_at", flat=True))
    booked = BookingItem.objects.filter(
        booking__client=visit.client, active=True, service__treatment=treatment, service__kind=ServiceKind.TREATMENT,
    )
    if visit.booking_id is not None:
        booked = booked.exclude(booking_id=visit.booking_id)
    others += list(booked.values_list("start", flat=True))
    tz, gap = visit.venue.tz, course.interval_days
    day = visit.item_starts[position].astimezone(tz).date()
    near = [(o.astimezone(tz).date(), o) for o in others if abs((o.astimezone(tz).date() - day).days) < gap]
    if not near:
        return
    closest = min(near, key=lambda pair: abs((pair[0] - day).days))[1]
    before = [d for d, _ in near if d <= day]
    if before:
        advice = f"Choose {max(before) + dt.timedelta(days=gap):%A %-d %B} or later."
    else:
        advice = f"Choose {min(d for d, _ in near) - dt.timedelta(days=gap):%A %-d %B} or earlier, or move that session."
    raise Refusal(
        422, "course_interval",
        f"Sessions of your {treatment.name} course are at least {gap} days apart, and another one is on "
        f"{format_local(closest, tz)}. {advice}",
        other_session=closest.isoformat(), interval_days=gap,
    )


def _check_dependants_still_reachable(visit: _Visit, position: int, treatment: Treatment) -> None:
    """When a consultation is moved, its waiting treatments must still be at least the lead time after it."""
    if visit.booking_id is None or visit.client is None or not treatment.has_pathway:
        return
    waiting = BookingItem.objects.filter(
        booking__client=visit.client, booking__status=Status.AWAITING_PATCH_TEST, service__treatment=treatment,
        service__kind=ServiceKind.TREATMENT,
    ).exclude(booking_id=visit.booking_id)
    new_end = visit.item_starts[position] + dt.timedelta(minutes=visit.services[position].duration_minutes)
    applied = [*pending_tests(visit.client, treatment, visit.booking_id), new_end]
    applied += [t.applied_at for t in passed_tests(visit.client, treatment)]
    for item_start in waiting.values_list("start", flat=True):
        if not any(treatment.patch_test_covers(a, item_start) for a in applied):
            when = format_local(item_start, visit.venue.tz)
            raise Refusal(
                422, "patch_test_lead_time",
                f"Your {treatment.name} on {when} must start at least {_hours(treatment)} after the consultation. "
                "Choose an earlier consultation time, or move the treatment first.",
                latest_consultation_end=(item_start - treatment.patch_test_lead).isoformat(),
            )


def _hours(treatment: Treatment) -> str:
    hours = treatment.patch_test_lead_hours or 0
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _required_error(visit: _Visit, treatment: Treatment, treatment_service: Service) -> Refusal:
    service = consultation_service(visit.venue, treatment)
    minutes = service.duration_minutes if service else 30
    earliest = visit.now + dt.timedelta(minutes=visit.venue.min_notice_minutes + minutes) + treatment.patch_test_lead
    what = "a consultation and patch test" if treatment.needs_patch_test else "a consultation"
    if service is None:
        message = (f"{treatment.name} needs {what} first, and {visit.venue.name} does not take that booking online: "
                   "please contact the venue.")
    else:
        wait = f" and a wait of at least {_hours(treatment)} for the result" if treatment.needs_patch_test else ""
        message = (f"{treatment.name} needs {what} first{wait}. Book the consultation; the treatment can start "
                   f"from {format_local(earliest, visit.venue.tz)} at the earliest.")
    return Refusal(
        422, "patch_test_required", message,
        consultation_service_id=service.pk if service else None, treatment_id=treatment.pk,
        lead_hours=treatment.patch_test_lead_hours or 0, earliest_treatment_start=earliest.isoformat(),
        checkout_url=f"/book/pathway/{treatment_service.pk}/" if service else None,
    )


def _lead_time_error(visit: _Visit, treatment: Treatment, earliest: dt.datetime) -> Refusal:
    return Refusal(
        422, "patch_test_lead_time",
        f"The patch test for {treatment.name} needs at least {_hours(treatment)} to show any reaction: the treatment "
        f"can start from {format_local(earliest, visit.venue.tz)} at the earliest.",
        earliest_start=earliest.isoformat(), lead_hours=treatment.patch_test_lead_hours or 0, treatment_id=treatment.pk,
    )


def _review_error(visit: _Visit, treatment: Treatment) -> Refusal:
    service = consultation_service(visit.venue, treatment)
    return Refusal(
        422, "contraindication_review",
        f"Your medical questionnaire mentions something a practitioner at {visit.venue.name} must review before "
        f"{treatment.name} can be booked online. They have been asked to review it; you can still book the "
        "consultation to talk it through.",
        consultation_service_id=service.pk if service else None, treatment_id=treatment.pk,
    )


def _waive(visit: _Visit, treatment: Treatment, start: dt.datetime, refusal: Refusal,
           override: Override | Mapping[str, Any]) -> None:
    """Let `refusal` through for a clinical member of the venue's staff with a reason, and list it on the
    Override (a Mapping override is checked the same way, nothing kept). 403 / 422 otherwise."""
    by = override.by if isinstance(override, Override) else override.get("by")
    reason = (override.reason if isinstance(override, Override) else str(override.get("reason") or "")).strip()
    is_clinical = by is not None and Membership.objects.filter(
        user=by, venue=visit.venue, role__in=CLINICAL_ROLES
    ).exists()
    if not is_clinical:
        raise Refusal(403, "override_not_allowed", "Only the venue's owner, managers and practitioners can override "
                       "the clinical pathway.")
    if len(reason) < 5:
        raise Refusal(422, "override_reason_required", "Give the reason for the override (a few words at least).")
    if isinstance(override, Override):
        override.waived.append(Waiver(venue=visit.venue, client=visit.client, treatment=treatment,
                                      rule=refusal.code, start=start))


# ---------------------------------------------------------------- for pages


@dataclass(frozen=True)
class PathwayState:
    """Where a customer stands on one treatment's pathway at one venue, for pages and the API."""

    treatment: Treatment
    status: PathwayStatus
    consultation_service: Service | None
    valid_until: dt.datetime | None = None
    earliest_treatment: dt.datetime | None = None
    questionnaire_done: bool = False


def pathway_state(*, client: Client | None, venue: Venue, treatment: Treatment, now: dt.datetime) -> PathwayState:
    """Summarise the rules above for one customer, treatment and venue as of now."""
    service = consultation_service(venue, treatment) if treatment.has_pathway else None
    response = latest_response(client, treatment)
    answered = answered_questionnaire(client, treatment, now) is not None
    base = {"treatment": treatment, "consultation_service": service, "questionnaire_done": answered}
    if not treatment.has_pathway:
        return PathwayState(status=PathwayStatus.NOT_NEEDED, **base)
    if blocking_reaction(client, treatment) is not None:
        return PathwayState(status=PathwayStatus.REACTION, **base)
    if response is not None and response.blocks_booking:
        return PathwayState(status=PathwayStatus.DECLINED if response.review_status == ReviewStatus.DECLINED
                            else PathwayStatus.REVIEW, **base)
    valid = [t for t in passed_tests(client, treatment) if t.valid_until() > now]
    if valid:
        best = max(valid, key=lambda t: t.applied_at)
        return PathwayState(status=PathwayStatus.READY, valid_until=best.valid_until(),
                            earliest_treatment=max(treatment.earliest_after(best.applied_at), now), **base)
    pending = pending_tests(client, treatment)
    if pending:
        return PathwayState(status=PathwayStatus.AWAITING_RESULT, earliest_treatment=treatment.earliest_after(pending[0]),
                            **base)
    return PathwayState(status=PathwayStatus.NEEDS_CONSULTATION, **base)
