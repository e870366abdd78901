"""Writes to a venue's week: opening hours, closures, staff shifts and time off. Each refreshes search."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

from pamper.errors import Refusal, invalid
from pamper.lib import clock, formats, walltime

from ..models import Closure, OpeningHours, Shift, Staff, TimeOff, Venue, weekly_overlap
from .common import clean, reindex

WeeklyInterval = tuple[int, dt.time, dt.time]


def check_weekly(intervals: Sequence[WeeklyInterval], what: str) -> list[WeeklyInterval]:
    """Sorted intervals; Refusal 422 invalid when one ends before it starts or two overlap on a day."""
    ordered = sorted(intervals)
    for weekday, start, end in ordered:
        if not 0 <= weekday <= 6:
            raise invalid(gettext("%(what)s: the weekday must be 0 (Monday) to 6 (Sunday).") % {"what": what})
        if end <= start:
            raise invalid(gettext("%(what)s: each interval must end after it starts (%(start)s–%(end)s).")
                          % {"what": what, "start": walltime.text(start), "end": walltime.text(end)})
    for a, b in itertools.pairwise(ordered):
        if weekly_overlap(a, b):
            raise invalid(gettext("%(what)s: two intervals overlap on the same day.") % {"what": what})
    return ordered


def check_opening_hours(venue: Venue, hours: Sequence[WeeklyInterval]) -> list[WeeklyInterval]:
    """The week sorted, as set_opening_hours would store it; Refusal 422 invalid for a bad interval (check_weekly),
    422 hours_required for an empty week while the venue is listed: search would show it with nothing to book.
    A listed venue closes single days with closures, or is hidden from search before its week is emptied."""
    ordered = check_weekly(hours, gettext("Opening hours"))
    if not ordered and Venue.objects.filter(pk=venue.pk, is_published=True).exists():
        raise Refusal(422, "hours_required", gettext(
            "%(venue_name)s is listed in search, so it needs opening hours: without any, customers would find it "
            "but could not book. To close on some days, add a closure; to stop taking bookings, hide the venue "
            "from search first.") % {"venue_name": venue.name})
    return ordered


@transaction.atomic
def set_opening_hours(*, venue: Venue, hours: Sequence[WeeklyInterval]) -> list[OpeningHours]:
    """Replace the venue's weekly opening hours with (weekday, opens, closes) local wall-clock intervals.
    Refusal as check_opening_hours (an empty week for a listed venue), nothing changed."""
    # The venue's row locked first: publishing it at the same moment waits, so it cannot go listed with no hours.
    Venue.objects.select_for_update().only("pk").get(pk=venue.pk)
    ordered = check_opening_hours(venue, hours)
    venue.opening_hours.all().delete()
    rows = OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=d, opens=a, closes=b) for d, a, b in ordered)
    reindex(venue.id)
    return rows


@transaction.atomic
def add_closure(*, venue: Venue, start_date: dt.date, end_date: dt.date, reason: str = "") -> Closure:
    """Close the venue for whole local days, start to end inclusive.

    A last day before the first is Refusal 422 invalid from the model's constraint (Closure.Meta), the one
    place that rule is worded; days that overlap a closure already set are Refusal 409 overlapping_closure
    (the page would list both, and which one holds would be anyone's guess)."""
    closure = Closure(venue=venue, start_date=start_date, end_date=end_date, reason=reason)
    clean(closure)
    Venue.objects.select_for_update().only("pk").get(pk=venue.pk)  # two closures added at once: one check at a time
    _refuse_overlapping_closure(closure)
    closure.save()
    reindex(venue.id)
    return closure


def _refuse_overlapping_closure(closure: Closure) -> None:
    other = (Closure.objects.filter(venue_id=closure.venue_id, start_date__lte=closure.end_date,
                                    end_date__gte=closure.start_date).order_by("start_date").first())
    if other is None:
        return
    raise Refusal(
        409, "overlapping_closure",
        gettext("The venue is already closed from %(first_day)s to %(last_day)s. Remove that closure first to "
                "set other days, or choose days after it.")
        % {"first_day": formats.day(other.start_date, "weekday"), "last_day": formats.day(other.end_date, "weekday")},
        field="start_date",
    )


@transaction.atomic
def remove_closure(*, closure: Closure) -> None:
    venue_id = closure.venue_id
    closure.delete()
    reindex(venue_id)


@transaction.atomic
def set_shifts(*, staff: Staff, shifts: Sequence[WeeklyInterval]) -> list[Shift]:
    """Replace a practitioner's weekly shifts; two on a day make a break between them."""
    ordered = check_weekly(shifts, gettext("Shifts"))
    staff.shifts.all().delete()
    rows = Shift.objects.bulk_create(Shift(staff=staff, weekday=d, start=a, end=b) for d, a, b in ordered)
    reindex(staff.venue_id)
    return rows


def check_shift(shift: Shift) -> None:
    """The rules of one weekly shift (saved or not): it ends after it starts, its last day is not before its first,
    and it clashes with none of the staff member's other shifts (Shift.clashes_with).

    Refusal 422 invalid naming the `field` at fault, 409 overlapping_shift for a clash. Reads only.
    """
    if shift.end <= shift.start:
        raise invalid(gettext("A shift must end after it starts (split a shift that crosses midnight in two)."),
                      field="end")
    if shift.valid_from and shift.valid_until and shift.valid_until < shift.valid_from:
        raise invalid(gettext("The last day comes before the first."), field="valid_until")
    other = Shift.objects.clashing(shift)
    if other is not None:
        raise Refusal(
            409,
            "overlapping_shift",
            gettext("%(staff_name)s already works %(format)s–%(format2)s that day.")
            % {
                "staff_name": shift.staff.name,
                "format": walltime.text(other.start),
                "format2": walltime.text(other.end),
            },
        )


def add_shift(
    *,
    staff: Staff,
    weekday: int,
    start: dt.time,
    end: dt.time,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Shift:
    """Add one weekly shift (local wall-clock time, optionally only between two dates, inclusive); returns it.

    Refusals as check_shift, nothing written then. The staff member's row is
    locked first, so two shifts added at once cannot both pass the clash check.
    """
    if not 0 <= weekday <= 6:
        raise invalid(gettext("The weekday must be 0 (Monday) to 6 (Sunday)."), field="weekday")
    with transaction.atomic():
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        shift = Shift(
            staff=staff, weekday=weekday, start=start, end=end, valid_from=valid_from, valid_until=valid_until
        )
        check_shift(shift)
        shift.save()
        reindex(staff.venue_id)
    return shift


@transaction.atomic
def remove_shift(*, shift: Shift) -> None:
    """Take one weekly shift off the staff member's week (bookings already made stay)."""
    venue_id = Staff.objects.filter(pk=shift.staff_id).values_list("venue_id", flat=True).get()
    shift.delete()
    reindex(venue_id)


@transaction.atomic
def add_time_off(*, staff: Staff, start: dt.datetime, end: dt.datetime, reason: str = "") -> TimeOff:
    """An absence between two aware instants.

    Refusal 422 invalid for naive or reversed times, 409 overlapping_time_off when it overlaps time off the
    staff member already has (back to back is fine). The staff member's row is locked first, so two absences
    added at once cannot both pass that check.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise invalid(gettext("Time off needs times with a time zone."))
    if end <= start:
        raise invalid(gettext("Time off must end after it starts."), field="end")
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    other = TimeOff.objects.filter(staff=staff, start__lt=end, end__gt=start).order_by("start").first()
    if other is not None:
        raise Refusal(
            409, "overlapping_time_off",
            gettext("%(staff_name)s is already off from %(start)s to %(end)s. Remove that time off first to "
                    "change it, or choose times outside it.")
            % {"staff_name": staff.name, "start": clock.format_local(other.start, staff.venue.tz),
               "end": clock.format_local(other.end, staff.venue.tz)},
            field="start_date",
        )
    row = TimeOff(staff=staff, start=start, end=end, reason=reason)
    clean(row)
    row.save()
    reindex(staff.venue_id)
    return row


@transaction.atomic
def remove_time_off(*, time_off: TimeOff) -> None:
    """Cancel an absence: the staff member's time is bookable again."""
    venue_id = Staff.objects.filter(pk=time_off.staff_id).values_list("venue_id", flat=True).get()
    time_off.delete()
    reindex(venue_id)
