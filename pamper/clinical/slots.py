"""Slots the pathway offers: treatment times after a consultation, the next session of a course.

Both reuse the booking engine's pure availability function and its schedule
loader; they only move the window: a treatment may not start before the
consultation ends plus the patch-test lead time, and a course's next session
is offered from the last session plus the course interval.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from pamper.bookings import availability as av
from pamper.bookings.localtime import to_minute_ceil
from pamper.bookings.present import slot_json
from pamper.bookings.schedule import load_schedule, spec_of
from pamper.clinical import pathway, queries
from pamper.clinical.models import Course
from pamper.errors import Refusal
from pamper.venues.models import Service, ServiceKind, Venue

MAX_DAYS = 31


def slots_from(*, venue: Venue, service: Service, earliest: dt.datetime, now: dt.datetime, days: int = 14,
               staff_id: int | None = None) -> list[dict[str, Any]]:
    """Free slots for one service starting at or after `earliest`, over `days` local days from its date."""
    days = max(1, min(days, MAX_DAYS))
    first = max(earliest, now).astimezone(venue.tz).date()
    last = first + dt.timedelta(days=days - 1)
    schedule = load_schedule(venue, {service.pk}, first, last, now)
    if staff_id is not None and staff_id not in schedule.performs:
        raise Refusal(422, "unknown_staff", gettext("That staff member does not perform this service."))
    found = av.find_slots(schedule, [spec_of(service)], first, last, to_minute_ceil(now), staff_id=staff_id)
    floor = to_minute_ceil(earliest)
    return [slot_json(s, venue) for s in found if s.start >= floor]


def treatment_slots_after(*, venue: Venue, service: Service, consultation_start: dt.datetime, now: dt.datetime,
                          days: int = 14, staff_id: int | None = None) -> tuple[dt.datetime, list[dict[str, Any]]]:
    """The earliest allowed treatment start after a consultation starting then, and the free slots from it."""
    if service.kind != ServiceKind.TREATMENT:
        raise Refusal(422, "not_a_treatment", gettext("Choose the treatment, not the consultation."))
    consultation = queries.consultation_service(venue, service.treatment)
    if consultation is None:
        raise Refusal(
            422,
            "no_consultation_service",
            gettext("%(venue_name)s does not take consultations for %(treatment_name)s online.")
            % {"venue_name": venue.name, "treatment_name": service.treatment.name},
        )
    if not now - dt.timedelta(days=1) <= consultation_start <= now + dt.timedelta(days=venue.horizon_days):
        raise Refusal(
            422,
            "invalid_start",
            gettext("Choose a consultation time within the next %(venue_horizon_days)s days.")
            % {"venue_horizon_days": venue.horizon_days},
        )
    consultation_end = consultation_start + dt.timedelta(minutes=consultation.duration_minutes)
    earliest = service.treatment.earliest_after(consultation_end)
    return earliest, slots_from(venue=venue, service=service, earliest=earliest, now=now, days=days, staff_id=staff_id)


def next_session_due(course: Course, now: dt.datetime) -> dt.datetime | None:
    """When the next session of a course may be booked from; None when the course is complete."""
    last = course.sessions.order_by("-number").values_list("performed_at", flat=True).first()
    if course.sessions.count() >= course.planned_sessions:
        return None
    if last is None:
        return now
    return max(pathway.next_session_from(last, course.interval_days), now)


def course_service(course: Course) -> Service | None:
    """The venue's online service for the course's treatment (its first, in menu order)."""
    return (
        Service.objects.filter(
            venue=course.venue,
            treatment=course.treatment,
            kind=ServiceKind.TREATMENT,
            is_active=True,
            online_bookable=True,
        )
        .order_by("position", "id")
        .first()
    )


def next_session_slots(
    *, course: Course, now: dt.datetime, days: int = 14
) -> tuple[dt.datetime | None, list[dict[str, Any]]]:
    """The date the next session is due and the free slots from then (none when the course is complete)."""
    due = next_session_due(course, now)
    if due is None:
        return None, []
    service = course_service(course)
    if service is None:
        return due, []
    return due, slots_from(venue=course.venue, service=service, earliest=due, now=now, days=days)
