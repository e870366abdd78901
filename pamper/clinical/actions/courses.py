"""Courses and sessions: the practitioner plans a course and records sessions, the customer answers the
check-in after each, and a reported side effect is followed up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings.models import OCCUPYING, Booking
from pamper.catalog.models import Treatment
from pamper.clinical import timing
from pamper.clinical.actions.common import check_time, clean_text, notify, require_clinical
from pamper.clinical.models import Course, TreatmentSession
from pamper.clinical.queries import active_course, has_consent
from pamper.errors import Refusal
from pamper.venues.models import Client

CHECKIN_AFTER = dt.timedelta(days=2)


def set_course(*, by: User, client: Client, treatment: Treatment, planned_sessions: int, interval_days: int,
               now: dt.datetime) -> Course:
    """Plan (or re-plan) the client's course of a treatment: how many sessions, how many days apart."""
    require_clinical(by, client.venue)
    if not 1 <= planned_sessions <= 50:
        raise Refusal(422, "invalid_sessions", gettext("A course has between 1 and 50 sessions."))
    if not 0 <= interval_days <= 365:
        raise Refusal(422, "invalid_interval", gettext("The interval is between 0 and 365 days."))
    with transaction.atomic():
        course = active_course(client, treatment, lock=True)
        if course is None:
            return Course.objects.create(venue=client.venue, client=client, treatment=treatment, created_by=by,
                                         planned_sessions=planned_sessions, interval_days=interval_days,
                                         created_at=now)
        if planned_sessions < course.sessions_done():
            raise Refusal(
                422,
                "invalid_sessions",
                gettext("%(course_sessions_done)s sessions are already done.")
                % {"course_sessions_done": course.sessions_done()},
            )
        course.planned_sessions, course.interval_days = planned_sessions, interval_days
        course.save(update_fields=["planned_sessions", "interval_days"])
        return course


def record_session(
    *,
    by: User,
    client: Client,
    treatment: Treatment,
    performed_at: dt.datetime | None,
    now: dt.datetime,
    notes: str = "",
    booking: Booking | None = None,
    late_reason: str = "",
) -> TreatmentSession:
    """Record a session that took place. Needs a signed consent; starts a course from the catalogue if none.

    `performed_at` (None: the booking's start, or now without a booking) lies
    inside the booking, or without one after the client's record began, and
    not in the future; one more than a day ago needs `late_reason`, which goes
    to the audit log. Refusal 422 with `field` otherwise.
    """
    role = require_clinical(by, client.venue)
    if not has_consent(client, treatment):
        raise Refusal(
            409,
            "consent_required",
            gettext(
                "The client has not signed the consent form for %(treatment_name)s: ask them to sign it (online or "
                "on this device) before the first treatment."
            )
            % {"treatment_name": treatment.name},
        )
    if booking is not None and (booking.client_id != client.pk or booking.status not in OCCUPYING):
        raise Refusal(404, "not_found", gettext("Not found."))
    if booking is not None:
        window = timing.booking_window(booking.start, booking.end, now, "booking")
        performed_at = performed_at or booking.start
    else:
        window, performed_at = timing.client_window(client, now), performed_at or now
    late = check_time(
        performed_at,
        field="performed_at",
        label=gettext("Session took place at"),
        window=window,
        now=now,
        venue=client.venue,
        late_reason=late_reason,
    )
    with transaction.atomic():
        course = active_course(client, treatment, lock=True) or Course.objects.create(
            venue=client.venue,
            client=client,
            treatment=treatment,
            created_by=by,
            created_at=now,
            planned_sessions=max(treatment.course_sessions, 1),
            interval_days=treatment.course_interval_days or 0,
        )
        done = course.sessions.count()
        if done >= course.planned_sessions:
            raise Refusal(
                409,
                "course_complete",
                gettext("All %(course_planned_sessions)s sessions of this course are done: extend the course first.")
                % {"course_planned_sessions": course.planned_sessions},
            )
        session = TreatmentSession.objects.create(
            course=course,
            booking=booking,
            number=done + 1,
            performed_at=performed_at,
            performed_by=by,
            notes=clean_text(notes, "notes"),
            checkin_due_at=performed_at + CHECKIN_AFTER,
        )
        if late:
            timing.log_late_entry(
                venue=client.venue,
                by=by,
                role=role,
                record_type="session",
                record_id=session.pk,
                field="performed_at",
                event_at=performed_at,
                reason=late,
                now=now,
            )
        if booking is not None:
            notify(booking.pk, "session_done")
    return session


def submit_checkin(
    *, user: User, session: TreatmentSession, side_effect: bool, note: str, now: dt.datetime
) -> TreatmentSession:
    """The customer's answer to the check-in after a session; a side effect flags the record."""
    if now < session.performed_at:
        raise Refusal(409, "checkin_too_early", gettext("The check-in opens after the session."))
    note = clean_text(note, "note", 2000)
    with transaction.atomic():
        locked = TreatmentSession.objects.select_for_update().get(pk=session.pk)
        if locked.checkin_at is not None:
            raise Refusal(
                409,
                "checkin_done",
                gettext("You have already answered this check-in. If something has changed, contact the venue."),
            )
        locked.checkin_answer = {"side_effect": bool(side_effect), "note": note}
        locked.checkin_at = now
        locked.flagged = bool(side_effect)
        locked.save(update_fields=["checkin_answer", "checkin_at", "flagged"])
    return locked


def resolve_checkin_flag(*, by: User, session: TreatmentSession, now: dt.datetime) -> TreatmentSession:
    """A practitioner marks a reported side effect as followed up."""
    require_clinical(by, session.course.venue)
    session.flag_resolved_by, session.flag_resolved_at = by, now
    session.save(update_fields=["flag_resolved_by", "flag_resolved_at"])
    return session
