"""Clinical writes: each a keyword-only verb_noun function owning its transaction.

Views and API endpoints look the objects up with access.py (so the caller is
allowed), then call one of these. Errors are pamper.errors.Refusal with a 4xx
status and a code, so pages and the API show the same message.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from pamper.accounts.models import User
from pamper.bookings import hooks as booking_hooks
from pamper.bookings.actions import book_visit, cancel_booking, end_patch_test_wait, link_to_consultation
from pamper.bookings.models import CHANGEABLE, OCCUPYING, Booking, BookingItem, Source, Status
from pamper.catalog.models import Treatment
from pamper.clinical import access, documents, pathway, photos, timing
from pamper.clinical.models import (
    Angle,
    Consent,
    Consultation,
    Course,
    Outcome,
    PathwayOverride,
    PhotoUse,
    ProgressPhoto,
    QuestionnaireResponse,
    ReviewStatus,
    TreatmentSession,
)
from pamper.errors import Refusal
from pamper.venues.models import Client, ServiceKind, Venue

logger = logging.getLogger(__name__)

CHECKIN_AFTER = dt.timedelta(days=2)
MAX_NOTE = 4000


def _notify(booking_id: int, kind: str) -> None:
    """Announce a clinical event on the booking (bookings.hooks.booking_changed); notifications mails after commit
    and never lets mail trouble fail a clinical write."""
    booking_hooks.announce(booking_id, kind)


def _check_time(value: dt.datetime, *, field: str, label: str, window: timing.Window, now: dt.datetime,
                venue: Venue, late_reason: str) -> str:
    """timing.check_event_time; the late-entry reason to log ("" when the entry is not late)."""
    late = timing.check_event_time(value, field=field, label=label, window=window, now=now, venue=venue,
                                   late_reason=late_reason)
    return " ".join(late_reason.split()) if late else ""


def _require_clinical(user: User, venue: Venue) -> str:
    role = access.clinical_role(user, venue.pk)
    if role is None:
        raise Refusal(403, "forbidden", "Only the venue's owner, managers and practitioners can change clinical records.")
    return role


def _text(value: str | None, what: str, limit: int = MAX_NOTE) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise Refusal(422, "too_long", f"The {what} may be at most {limit} characters.")
    return text


# ---------------------------------------------------------------- the customer's side


def ensure_client(*, user: User, venue: Venue, now: dt.datetime) -> Client:
    """The venue's client record for an online customer, created on first contact."""
    client = Client.objects.filter(venue=venue, user=user).first()
    if client is not None:
        return client
    try:
        with transaction.atomic():
            return Client.objects.create(venue=venue, user=user, name=user.get_full_name(), email=user.email,
                                         phone=getattr(user, "phone", ""), created_at=now)
    except IntegrityError:
        return Client.objects.get(venue=venue, user=user)


def submit_questionnaire(*, user: User, venue: Venue, treatment: Treatment, answers: dict[str, Any],
                         version: int | None, now: dt.datetime) -> QuestionnaireResponse:
    """Store a customer's answers (encrypted). A "yes" to a contraindication asks for a practitioner's review.

    Raises 409 questionnaire_changed when the form was answered against an older version,
    422 invalid_answer for a missing or malformed answer.
    """
    questionnaire = documents.current_questionnaire(treatment)
    if version is not None and version != questionnaire.version:
        raise Refusal(409, "questionnaire_changed", "The questions have changed since the form was opened: "
                       "please answer the new version.", version=questionnaire.version)
    try:
        cleaned = documents.clean_answers(questionnaire, answers)
    except documents.AnswerError as exc:
        raise Refusal(422, "invalid_answer", exc.message, field=exc.field) from exc
    flagged = documents.is_flagged(questionnaire, cleaned)
    with transaction.atomic():
        client = ensure_client(user=user, venue=venue, now=now)
        return QuestionnaireResponse.objects.create(
            client=client, questionnaire=questionnaire, answers=cleaned, flagged=flagged,
            review_status=ReviewStatus.NEEDS_REVIEW if flagged else ReviewStatus.NOT_NEEDED,
            submitted_by=user, submitted_at=now,
        )


def sign_consent(*, user: User | None, client: Client, treatment: Treatment, version: int | None,
                 typed_name: str, now: dt.datetime) -> Consent:
    """Record a consent signed by typing one's name under the current consent text."""
    text = documents.current_consent_text(treatment)
    if version is not None and version != text.version:
        raise Refusal(409, "consent_changed", "The consent text has changed since you opened it: please read the "
                       "new version.", version=text.version)
    name = " ".join((typed_name or "").split())
    if len(name) < 2 or len(name) > 150:
        raise Refusal(422, "name_required", "Type your full name to sign.")
    return Consent.objects.create(client=client, text=text, typed_name=name, signed_by=user, signed_at=now)


def has_consent(client: Client, treatment: Treatment) -> bool:
    return Consent.objects.filter(client=client, text__treatment=treatment).exists()


def submit_checkin(*, user: User, session: TreatmentSession, side_effect: bool, note: str,
                   now: dt.datetime) -> TreatmentSession:
    """The customer's answer to the check-in after a session; a side effect flags the record."""
    if now < session.performed_at:
        raise Refusal(409, "checkin_too_early", "The check-in opens after the session.")
    note = _text(note, "note", 2000)
    with transaction.atomic():
        locked = TreatmentSession.objects.select_for_update().get(pk=session.pk)
        if locked.checkin_at is not None:
            raise Refusal(409, "checkin_done", "You have already answered this check-in. If something has changed, "
                           "contact the venue.")
        locked.checkin_answer = {"side_effect": bool(side_effect), "note": note}
        locked.checkin_at = now
        locked.flagged = bool(side_effect)
        locked.save(update_fields=["checkin_answer", "checkin_at", "flagged"])
    return locked


def set_photo_use(*, user: User, photo: ProgressPhoto, use: str) -> ProgressPhoto:
    """The customer's choice of what a photo may be used for."""
    if photo.client.user_id != user.pk:
        raise Refusal(403, "forbidden", "Only the customer chooses how a photo is used.")
    if use not in PhotoUse.values:
        raise Refusal(422, "invalid_use", "Choose one of: " + ", ".join(PhotoUse.values) + ".")
    photo.use = use
    photo.save(update_fields=["use"])
    return photo


def withdraw_photo(*, user: User, photo: ProgressPhoto, now: dt.datetime) -> None:
    """The customer withdraws a photo: the row goes and the encrypted file is destroyed after commit."""
    if photo.client.user_id != user.pk:
        raise Refusal(403, "forbidden", "Only the customer can withdraw a photo.")
    name = photo.storage_name
    with transaction.atomic():
        access.log_read(user=user, role=access.CUSTOMER, venue=photo.venue, client=photo.client,
                        record_type="photo", record_id=photo.pk, now=now, action="erase")
        photo.delete()
        transaction.on_commit(lambda: photos.destroy(name))


# ---------------------------------------------------------------- the practitioner's side


def review_questionnaire(*, by: User, response: QuestionnaireResponse, decision: str, note: str,
                         now: dt.datetime) -> QuestionnaireResponse:
    """A practitioner's decision on flagged answers: cleared (may book) or declined (may not)."""
    _require_clinical(by, response.client.venue)
    if decision not in (ReviewStatus.CLEARED, ReviewStatus.DECLINED):
        raise Refusal(422, "invalid_decision", "Decide 'cleared' or 'declined'.")
    response.review_status = decision
    response.review_note = _text(note, "note")
    response.reviewed_by, response.reviewed_at = by, now
    response.save(update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at"])
    return response


@dataclass
class PatchTestResult:
    consultation: Consultation
    confirmed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    still_waiting: list[int] = field(default_factory=list)


def _consultation_item(booking: Booking, treatment: Treatment) -> BookingItem:
    item = booking.items.filter(service__kind=ServiceKind.CONSULTATION, service__treatment=treatment).first()
    if item is None:
        raise Refusal(422, "not_a_consultation", f"Booking {booking.pk} holds no consultation for {treatment.name}.")
    return item


def record_patch_test(*, by: User, venue: Venue, treatment: Treatment, outcome: str, read_at: dt.datetime,
                      now: dt.datetime, booking: Booking | None = None, client: Client | None = None,
                      applied_at: dt.datetime | None = None, product: str = "", batch: str = "",
                      notes: str = "", late_reason: str = "") -> PatchTestResult:
    """Record the result of a consultation / patch test, then act on the treatments waiting for it.

    No reaction confirms the waiting treatments the test covers (lead time and
    validity); a reaction cancels every upcoming booking of that treatment for
    the client at the venue and blocks online booking until cleared. Either way
    the customer is told (notifications, on the consultation booking).

    The test is applied no earlier than its consultation booking starts (or,
    without one, than the client's record) and read after it was applied, none
    of it in the future; a result read more than a day ago needs `late_reason`,
    which goes to the audit log (timing.py). Refusal 422 with `field` otherwise.
    """
    role = _require_clinical(by, venue)
    if outcome not in (Outcome.PASSED, Outcome.REACTION):
        raise Refusal(422, "invalid_outcome", "The outcome is 'passed' (no reaction) or 'reaction'.")
    with transaction.atomic():
        window = None
        if booking is not None:
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            if booking.venue_id != venue.pk:
                raise Refusal(404, "not_found", "Not found.")
            client = booking.client
            item = _consultation_item(booking, treatment)
            applied_at = applied_at or item.end
            window = timing.booking_window(item.start, None, now, "the consultation booking")
        if client is None or applied_at is None:
            raise Refusal(422, "consultation_unknown", "Give the consultation booking, or the client and when the "
                           "test was applied.")
        late = _check_times(applied_at, read_at, now, venue, window or timing.client_window(client, now), late_reason)
        consultation = _save_result(
            venue=venue, client=client, treatment=treatment, booking=booking, outcome=outcome, applied_at=applied_at,
            read_at=read_at, by=by, now=now, product=_text(product, "product", 200),
            batch=_text(batch, "batch number", 100), notes=_text(notes, "notes"),
        )
        if late:
            timing.log_late_entry(venue=venue, by=by, role=role, record_type="consultation", record_id=consultation.pk,
                                  field="read_at", event_at=read_at, reason=late, now=now)
        if outcome == Outcome.PASSED:
            result = _confirm_covered(consultation, now)
        else:
            result = _cancel_after_reaction(consultation, by, now)
        _tell_customer(result, booking, outcome)
    return result


def _check_times(applied_at: dt.datetime, read_at: dt.datetime, now: dt.datetime, venue: Venue,
                 window: timing.Window, late_reason: str) -> str:
    """Applied inside `window`, read after that and by now; the late-entry reason to log, or ""."""
    timing.check_event_time(applied_at, field="applied_at", label="Test applied at", window=window, now=now,
                            venue=venue, late_reason=None)  # lateness is judged on the reading, the entry's own event
    read_window = timing.Window(start=applied_at, end=now + timing.CLOCK_SKEW, what="the time after the test was applied")
    try:
        return _check_time(read_at, field="read_at", label="Result read at", window=read_window, now=now, venue=venue,
                           late_reason=late_reason)
    except Refusal as exc:
        if exc.code == "time_out_of_range":
            raise Refusal(422, "read_before_applied", "The result cannot be read before the test was applied.",
                           field="read_at") from exc
        raise


def _save_result(*, venue: Venue, client: Client, treatment: Treatment, booking: Booking | None, **values: Any
                 ) -> Consultation:
    by, now = values.pop("by"), values.pop("now")
    values.update(recorded_by=by, recorded_at=now, venue=venue, client=client)
    if booking is not None:
        consultation, _ = Consultation.objects.update_or_create(booking=booking, treatment=treatment,
                                                                defaults=values)
        return consultation
    return Consultation.objects.create(treatment=treatment, booking=None, created_at=now, **values)


def _treatment_bookings(consultation: Consultation, statuses: Iterable[str]) -> list[Booking]:
    return list(
        Booking.objects.select_for_update().filter(
            client=consultation.client, status__in=list(statuses),
            pk__in=BookingItem.objects.filter(service__treatment=consultation.treatment,
                                              service__kind=ServiceKind.TREATMENT).values("booking_id"),
        ).order_by("start")
    )


def _treatment_start(booking: Booking, treatment: Treatment) -> dt.datetime:
    item = booking.items.filter(service__treatment=treatment, service__kind=ServiceKind.TREATMENT).first()
    return item.start if item else booking.start


def _confirm_covered(consultation: Consultation, now: dt.datetime) -> PatchTestResult:
    result = PatchTestResult(consultation)
    for booking in _treatment_bookings(consultation, [Status.AWAITING_PATCH_TEST]):
        if consultation.treatment.patch_test_covers(consultation.applied_at, _treatment_start(booking, consultation.treatment)):
            end_patch_test_wait(booking=booking, depends_on_id=booking.depends_on_id or consultation.booking_id)
            result.confirmed.append(booking.pk)
        else:
            result.still_waiting.append(booking.pk)
    return result


def _cancel_after_reaction(consultation: Consultation, by: User, now: dt.datetime) -> PatchTestResult:
    result = PatchTestResult(consultation)
    upcoming = [b for b in _treatment_bookings(consultation, [Status.AWAITING_PATCH_TEST, Status.PENDING,
                                                              Status.CONFIRMED, Status.HELD]) if b.start > now]
    for booking in upcoming:
        if booking.status == Status.AWAITING_PATCH_TEST and booking.depends_on_id is None:
            # It was waiting for this very test: link it, so the result message lists it.
            link_to_consultation(booking=booking, consultation_id=consultation.booking_id)
        listed = consultation.booking_id is not None and booking.depends_on_id == consultation.booking_id
        if cancel_booking_for_clinical_reason(
            booking=booking, by=by, now=now, notify=not listed,  # the result message tells of those it lists
            reason=f"The patch test for {consultation.treatment.name} showed a reaction.",
        ):
            result.cancelled.append(booking.pk)
    return result


def check_override_start(start: dt.datetime, now: dt.datetime) -> None:
    """A booking made past the pathway is for the coming year (or a late entry from the last month)."""
    if not now - dt.timedelta(days=31) <= start <= now + dt.timedelta(days=366):
        raise Refusal(422, "invalid_start", "Choose a start within the next year.")


def book_past_pathway(*, by: User, client: Client, services: list[Any], start: dt.datetime, reason: str,
                      now: dt.datetime, staff: Any = None) -> Booking:
    """A practitioner books a visit for the venue's client past the pathway rules, with the reason; returns it.

    The pathway check lets through (and lists) the rules it waives for a
    clinical member of staff with a reason (403 override_not_allowed, 422
    override_reason_required otherwise); each waiver is written to
    PathwayOverride with the booking, or neither. The booking engine's refusals
    (409 slot_taken, ...) and 422 invalid_start (outside the coming year) as is.
    """
    check_override_start(start, now)
    override = pathway.Override(by=by, reason=reason, client=client)
    with transaction.atomic():
        booking = book_visit(venue=client.venue, services=services, start=start, client=client, staff=staff,
                             source=Source.PARTNER, now=now, clinical_override=override)
        _record_overrides(override, now)
    return booking


def _record_overrides(override: pathway.Override, now: dt.datetime) -> list[PathwayOverride]:
    """Write the rules the pathway check waived (pathway.Override.waived) to the clinical record."""
    rows = [
        PathwayOverride.objects.create(venue=w.venue, client=w.client, treatment=w.treatment, rule=w.rule, start=w.start,
                                       reason=override.reason.strip()[:2000], created_by=override.by, created_at=now)
        for w in override.waived
    ]
    for w in override.waived:
        logger.info("pathway override of %s for treatment %s at venue %s by user %s", w.rule, w.treatment.pk,
                    w.venue.pk, override.by.pk)
    return rows


def cancel_booking_for_clinical_reason(*, booking: Booking, by: User | None, reason: str, now: dt.datetime,
                                       notify: bool = True) -> bool:
    """Cancel a booking because the pathway no longer allows it, through the booking engine's cancel (which
    frees its diary time, refreshes search, tells people and takes its own dependants with it).

    Returns False when the booking was no longer changeable (already cancelled, e.g. along with its consultation).
    """
    if not Booking.objects.filter(pk=booking.pk, status__in=list(CHANGEABLE)).exists():
        return False
    cancel_booking(booking=booking, actor=by, by_venue=True, reason=reason, now=now, notify=notify)
    return True


def _tell_customer(result: PatchTestResult, booking: Booking | None, outcome: str) -> None:
    """The result on the consultation booking (listing the treatments it confirmed or cancelled); a separate
    confirmation for confirmed treatments it does not list. Cancellations were told when they were made."""
    kind = "patch_test_passed" if outcome == Outcome.PASSED else "patch_test_failed"
    others = Booking.objects.filter(pk__in=result.confirmed)
    if booking is not None:
        _notify(booking.pk, kind)
        others = others.exclude(depends_on=booking)
    for other in others.only("pk"):
        _notify(other.pk, "confirmed")


def cancel_waiting_treatments(*, consultation_booking: Booking, by: User | None, now: dt.datetime) -> list[int]:
    """When a consultation booking goes (cancelled, released, expired or missed), the bookings that depended on it
    go too, and only those. Returns the ids cancelled.

    Those are the bookings linked to it (depends_on) still waiting (or held),
    and the client's waiting bookings with no link whose treatment it covered.
    One that another consultation or a passed test still covers stays, now
    linked to that consultation. For bookings.actions, inside its transaction.
    """
    gone = consultation_booking.pk
    treatments = set(consultation_booking.items.filter(service__kind=ServiceKind.CONSULTATION)
                     .values_list("service__treatment_id", flat=True))
    linked = Q(depends_on_id=gone, status__in=[Status.AWAITING_PATCH_TEST, Status.HELD])
    unlinked = Q(client_id=consultation_booking.client_id, depends_on__isnull=True, status=Status.AWAITING_PATCH_TEST)
    ends = {item.service.treatment_id: item.end for item in consultation_booking.items.select_related("service")
            if item.service.kind == ServiceKind.CONSULTATION}
    cancelled = []
    for booking in Booking.objects.filter(linked | unlinked).exclude(pk=gone).order_by("start", "pk"):
        items = _waiting_items(booking)
        if booking.depends_on_id != gone and not any(
            i.service.treatment_id in treatments and i.service.treatment.patch_test_covers(ends[i.service.treatment_id], i.start)
            for i in items
        ):
            continue  # it never waited for this consultation
        still, relied_on = _still_covered(booking, items, gone)
        if still:
            if relied_on != booking.depends_on_id:
                link_to_consultation(booking=booking, consultation_id=relied_on)
        elif cancel_booking_for_clinical_reason(booking=booking, by=by, now=now,
                                                reason="The consultation and patch test it needed was cancelled."):
            cancelled.append(booking.pk)
    return cancelled


def _waiting_items(booking: Booking) -> list[BookingItem]:
    """The booking's treatment items that follow a pathway (what can wait for a consultation)."""
    return [i for i in booking.items.select_related("service__treatment")
            if i.service.kind == ServiceKind.TREATMENT and i.service.treatment.has_pathway]


def _still_covered(booking: Booking, items: list[BookingItem], gone: int) -> tuple[bool, int | None]:
    """Whether every waiting item is covered without consultation booking `gone`, and the outside consultation
    booking it then waits for (None when covered by a passed test or its own consultation)."""
    relied_on: int | None = None
    for item in items:
        covered, by = pathway.covering_consultation(booking.client, item.service.treatment, item.start,
                                                    exclude_booking_id=gone)
        if not covered:
            return False, None
        if by is not None and by != booking.pk and relied_on is None:
            relied_on = by
    return True, relied_on


def clear_reaction(*, by: User, consultation: Consultation, reason: str, now: dt.datetime) -> Consultation:
    """Lift the online-booking block after a reaction; the customer then needs a new consultation and test."""
    _require_clinical(by, consultation.venue)
    if not consultation.blocks_booking:
        raise Refusal(409, "nothing_to_clear", "This result does not block booking.")
    reason = _text(reason, "reason", 1000)
    if len(reason) < 5:
        raise Refusal(422, "reason_required", "Say why the block can be lifted.")
    consultation.cleared_by, consultation.cleared_at, consultation.clear_reason = by, now, reason
    consultation.save(update_fields=["cleared_by", "cleared_at", "clear_reason"])
    return consultation


def set_course(*, by: User, client: Client, treatment: Treatment, planned_sessions: int, interval_days: int,
               now: dt.datetime) -> Course:
    """Plan (or re-plan) the client's course of a treatment: how many sessions, how many days apart."""
    _require_clinical(by, client.venue)
    if not 1 <= planned_sessions <= 50:
        raise Refusal(422, "invalid_sessions", "A course has between 1 and 50 sessions.")
    if not 0 <= interval_days <= 365:
        raise Refusal(422, "invalid_interval", "The interval is between 0 and 365 days.")
    with transaction.atomic():
        course = active_course(client, treatment, lock=True)
        if course is None:
            return Course.objects.create(venue=client.venue, client=client, treatment=treatment, created_by=by,
                                         planned_sessions=planned_sessions, interval_days=interval_days, created_at=now)
        if planned_sessions < course.sessions_done():
            raise Refusal(422, "invalid_sessions", f"{course.sessions_done()} sessions are already done.")
        course.planned_sessions, course.interval_days = planned_sessions, interval_days
        course.save(update_fields=["planned_sessions", "interval_days"])
        return course


def active_course(client: Client, treatment: Treatment, lock: bool = False) -> Course | None:
    courses = Course.objects.open_for(client, treatment)
    return (courses.select_for_update() if lock else courses).first()


def record_session(*, by: User, client: Client, treatment: Treatment, performed_at: dt.datetime | None,
                   now: dt.datetime, notes: str = "", booking: Booking | None = None,
                   late_reason: str = "") -> TreatmentSession:
    """Record a session that took place. Needs a signed consent; starts a course from the catalogue if none.

    `performed_at` (None: the booking's start, or now without a booking) lies
    inside the booking, or without one after the client's record began, and
    not in the future; one more than a day ago needs `late_reason`, which goes
    to the audit log. Refusal 422 with `field` otherwise.
    """
    role = _require_clinical(by, client.venue)
    if not has_consent(client, treatment):
        raise Refusal(409, "consent_required", f"The client has not signed the consent form for {treatment.name}: "
                       "ask them to sign it (online or on this device) before the first treatment.")
    if booking is not None and (booking.client_id != client.pk or booking.status not in OCCUPYING):
        raise Refusal(404, "not_found", "Not found.")
    if booking is not None:
        window = timing.booking_window(booking.start, booking.end, now, "the booking")
        performed_at = performed_at or booking.start
    else:
        window, performed_at = timing.client_window(client, now), performed_at or now
    late = _check_time(performed_at, field="performed_at", label="Session took place at", window=window, now=now,
                       venue=client.venue, late_reason=late_reason)
    with transaction.atomic():
        course = active_course(client, treatment, lock=True) or Course.objects.create(
            venue=client.venue, client=client, treatment=treatment, created_by=by, created_at=now,
            planned_sessions=max(treatment.course_sessions, 1), interval_days=treatment.course_interval_days or 0,
        )
        done = course.sessions.count()
        if done >= course.planned_sessions:
            raise Refusal(409, "course_complete", f"All {course.planned_sessions} sessions of this course are done: "
                           "extend the course first.")
        session = TreatmentSession.objects.create(
            course=course, booking=booking, number=done + 1, performed_at=performed_at, performed_by=by,
            notes=_text(notes, "notes"), checkin_due_at=performed_at + CHECKIN_AFTER,
        )
        if late:
            timing.log_late_entry(venue=client.venue, by=by, role=role, record_type="session", record_id=session.pk,
                                  field="performed_at", event_at=performed_at, reason=late, now=now)
        if booking is not None:
            _notify(booking.pk, "session_done")
    return session


def resolve_checkin_flag(*, by: User, session: TreatmentSession, now: dt.datetime) -> TreatmentSession:
    _require_clinical(by, session.course.venue)
    session.flag_resolved_by, session.flag_resolved_at = by, now
    session.save(update_fields=["flag_resolved_by", "flag_resolved_at"])
    return session


def upload_photo(*, by: User, client: Client, treatment: Treatment, data: bytes, angle: str, now: dt.datetime,
                 session: TreatmentSession | None = None, taken_at: dt.datetime | None = None,
                 late_reason: str = "") -> ProgressPhoto:
    """Check, strip, encrypt and store a progress photo. Raises Refusal with the photo's problem.

    `taken_at` (None: now) follows the rule of every clinical time: after the
    client's record began, not in the future, a reason when over a day ago.
    """
    role = _require_clinical(by, client.venue)
    if angle not in Angle.values:
        raise Refusal(422, "invalid_angle", "Choose the angle: " + ", ".join(Angle.values) + ".")
    if session is not None and session.course.client_id != client.pk:
        raise Refusal(404, "not_found", "Not found.")
    taken_at = taken_at or now
    late = _check_time(taken_at, field="taken_at", label="Photo taken at", window=timing.client_window(client, now),
                       now=now, venue=client.venue, late_reason=late_reason)
    try:
        clean = photos.clean(data)
    except photos.PhotoRejected as exc:
        raise Refusal(exc.status, exc.code, exc.message) from exc
    name = photos.new_storage_name()
    photos.store(name, clean.data)
    try:
        with transaction.atomic():
            course = session.course if session else active_course(client, treatment)
            photo = ProgressPhoto.objects.create(
                venue=client.venue, client=client, treatment=treatment, course=course, session=session, angle=angle,
                taken_at=taken_at, uploaded_by=by, storage_name=name, content_type=clean.content_type,
                width=clean.width, height=clean.height, size_bytes=len(clean.data), created_at=now,
            )
            if late:
                timing.log_late_entry(venue=client.venue, by=by, role=role, record_type="photo", record_id=photo.pk,
                                      field="taken_at", event_at=taken_at, reason=late, now=now)
            return photo
    except Exception:
        photos.destroy(name)
        raise


# ---------------------------------------------------------------- the one checkout


@dataclass
class PathwayBooking:
    consultation: Booking
    treatment: Booking


def book_pathway(*, user: User, venue: Venue, treatment_service: Any, consultation_start: dt.datetime,
                 treatment_start: dt.datetime, now: dt.datetime, consultation_staff: Any = None,
                 treatment_staff: Any = None, notes: str = "") -> PathwayBooking:
    """Book the consultation (with patch test) and the treatment together, or neither.

    The treatment must start at least the lead time after the consultation
    ends; it is booked in status awaiting_patch_test, depending on the
    consultation booking. Raises the booking engine's and the pathway's
    refusals (409 slot_taken, 422 patch_test_lead_time, ...), and 409
    pathway_not_needed when a valid test already covers the treatment time.
    """
    treatment = treatment_service.treatment
    if treatment_service.kind != ServiceKind.TREATMENT or not treatment.has_pathway:
        raise Refusal(422, "no_pathway", f"{treatment_service.name} needs no consultation: book it directly.")
    consultation_service = pathway.consultation_service(venue, treatment)
    if consultation_service is None:
        raise Refusal(422, "no_consultation_service",
                       f"{venue.name} does not take consultations for {treatment.name} online: please contact them.")
    client = Client.objects.filter(venue=venue, user=user).first()
    # The medical questionnaire is asked by the one pathway check (pathway.check_visit) when the consultation is booked.
    if any(treatment.patch_test_covers(t.applied_at, treatment_start) for t in pathway.passed_tests(client, treatment)):
        raise Refusal(409, "pathway_not_needed", f"Your patch test for {treatment.name} is still valid at that time: "
                       "book the treatment directly.")
    with transaction.atomic():
        consultation = book_visit(venue=venue, services=[consultation_service], start=consultation_start,
                                  customer=user, staff=consultation_staff, notes=notes, now=now)
        booked = book_visit(venue=venue, services=[treatment_service], start=treatment_start, customer=user,
                            staff=treatment_staff, notes=notes, depends_on=consultation, now=now)
        if booked.status != Status.AWAITING_PATCH_TEST:
            # Only an override could do this; the checkout never carries one, so refuse rather than guess.
            raise Refusal(409, "pathway_not_needed", "The treatment does not need to wait for this consultation.")
    return PathwayBooking(consultation=consultation, treatment=booked)
