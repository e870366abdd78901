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

The reads the rules need are in queries.py, the words of each refusal in
pathway_refusals.py, and the summary pages show (PathwayState) in state.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from pamper.accounts.models import CLINICAL_ROLES, Membership, User
from pamper.bookings.models import Status
from pamper.catalog.models import Treatment
from pamper.clinical import pathway_refusals as refuse
from pamper.clinical.queries import (
    answered_questionnaire,
    blocking_reaction,
    client_for,
    consultation_service,
    course_session_times,
    latest_response,
    passed_tests,
    pending_consultations,
    pending_tests,
    waiting_treatment_starts,
)
from pamper.errors import Refusal
from pamper.venues.models import Client, Service, ServiceKind, Venue


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


def check_visit(
    *,
    customer: User | Client | None,
    venue: Venue,
    services: Sequence[Service | int],
    start: dt.datetime,
    now: dt.datetime,
    override: Override | None = None,
    booking: Any = None,
) -> Verdict:
    """Check a booking (or a reschedule to `start`) against the clinical pathway.

    `customer` is the booking user, or the venue's Client for bookings the
    venue enters; `services` are the visit's services in order (objects or
    ids), the first starting at `start`. For a reschedule pass `booking` (the
    booking being moved) so its own consultation is not counted twice.

    Returns a Verdict: status None when the booking may go ahead as usual, or
    "awaiting_patch_test" when a treatment relies on a consultation that has no
    result yet (book it in that status), with the consultation booking it
    relies on. Raises Refusal 422 questionnaire_required, patch_test_required,
    patch_test_lead_time, contraindication_review, patch_test_reaction or
    course_interval otherwise; with an Override from a clinical member of the
    venue staff and a reason the rule is waived and listed on the Override
    (403 override_not_allowed for anyone else, 422 override_reason_required
    without a reason).
    """
    try:
        return _check(customer=customer, venue=venue, services=services, start=start, now=now, override=override,
                      booking=booking)
    except OverflowError as exc:  # a start at the edge of the calendar: no treatment can be that far out
        raise Refusal(422, "invalid_start", gettext("That date is out of range.")) from exc


def _check(*, customer: User | Client | None, venue: Venue, services: Sequence[Service | int], start: dt.datetime,
           now: dt.datetime, override: Override | None, booking: Any) -> Verdict:
    client = client_for(customer, venue)
    if client is None and override is not None and override.client is not None:
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
    if all(isinstance(s, Service) and s.venue_id == venue.pk and Service.treatment.is_cached(s) for s in wanted):
        return wanted  # loaded with their treatments by the caller (the booking API): no second read
    ids = [s if isinstance(s, int) else s.pk for s in wanted]
    found = {s.pk: s for s in Service.objects.filter(pk__in=ids, venue=venue).select_related("treatment")}
    missing = [i for i in ids if i not in found]
    if missing:
        raise Refusal(422, "unknown_service",
                      gettext("Service %(service)s is not offered by this venue.") % {"service": missing[0]})
    return [found[i] for i in ids]


def _check_treatment(visit: _Visit, position: int, treatment: Treatment) -> str | None:
    """None (covered by a passed test), Status.AWAITING_PATCH_TEST, or raises the rule that stops it."""
    start = visit.item_starts[position]
    if blocking_reaction(visit.client, treatment) is not None:
        raise refuse.reaction(visit.venue, treatment)
    response = latest_response(visit.client, treatment)
    if response is not None and response.blocks_booking:
        raise refuse.review(visit.venue, treatment, consultation_service(visit.venue, treatment))
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
        raise refuse.lead_time(visit.venue, treatment, min(w for w in waits if start < w))
    raise refuse.required(
        visit.venue, treatment, visit.services[position], consultation_service(visit.venue, treatment), visit.now
    )


def _check_questionnaire(visit: _Visit, position: int, treatment: Treatment) -> None:
    """The medical questionnaire, current and within its validity at the visit, comes before any pathway
    booking."""
    if answered_questionnaire(visit.client, treatment, visit.item_starts[position]) is None:
        raise refuse.questionnaire_required(visit.venue, treatment, visit.client)


def _check_course_interval(visit: _Visit, position: int, treatment: Treatment) -> None:
    """Sessions of an open course keep its interval from every other session, done or booked, and from the other
    sessions of the same treatment in this very visit."""
    if visit.client is None:
        return
    course, others = course_session_times(visit.client, treatment, exclude_booking_id=visit.booking_id)
    if course is None or course.interval_days == 0:
        return
    others = [*others, *(visit.item_starts[i] for i, s in enumerate(visit.services)
                         if i != position and s.treatment_id == treatment.pk and s.kind != ServiceKind.CONSULTATION)]
    tz, gap = visit.venue.tz, course.interval_days
    day = visit.item_starts[position].astimezone(tz).date()
    near = [(o.astimezone(tz).date(), o) for o in others if abs((o.astimezone(tz).date() - day).days) < gap]
    if not near:
        return
    closest = min(near, key=lambda pair: abs((pair[0] - day).days))[1]
    before = [d for d, _ in near if d <= day]
    raise refuse.course_interval(
        treatment,
        gap=gap,
        closest=closest,
        tz=tz,
        later_from=max(before) + dt.timedelta(days=gap) if before else None,
        earlier_until=min(d for d, _ in near) - dt.timedelta(days=gap),
    )


def _check_dependants_still_reachable(visit: _Visit, position: int, treatment: Treatment) -> None:
    """When a consultation is moved, its waiting treatments must still be at least the lead time after it."""
    if visit.booking_id is None or visit.client is None or not treatment.has_pathway:
        return
    waiting = waiting_treatment_starts(visit.client, treatment, exclude_booking_id=visit.booking_id)
    new_end = visit.item_starts[position] + dt.timedelta(minutes=visit.services[position].duration_minutes)
    applied = [*pending_tests(visit.client, treatment, visit.booking_id), new_end]
    applied += [t.applied_at for t in passed_tests(visit.client, treatment)]
    for item_start in waiting:
        if not any(treatment.patch_test_covers(a, item_start) for a in applied):
            raise refuse.dependant_too_close(visit.venue, treatment, item_start, visit.client)


def _waive(visit: _Visit, treatment: Treatment, start: dt.datetime, refusal: Refusal, override: Override) -> None:
    """Let `refusal` through for a clinical member of the venue's staff with a reason, and list it on the
    Override. 403 / 422 otherwise."""
    is_clinical = (
        override.by is not None
        and Membership.objects.filter(user=override.by, venue=visit.venue, role__in=CLINICAL_ROLES).exists()
    )
    if not is_clinical:
        raise Refusal(
            403,
            "override_not_allowed",
            gettext("Only the venue's owner, managers and practitioners can override the clinical pathway."),
        )
    if len(override.reason.strip()) < 5:
        raise Refusal(
            422, "override_reason_required", gettext("Give the reason for the override (a few words at least).")
        )
    override.waived.append(
        Waiver(venue=visit.venue, client=visit.client, treatment=treatment, rule=refusal.code, start=start)
    )
