"""The workspace editors' form adapters: a validated form's data handed to pamper.venues.actions.

Every write (venue, service, staff, shifts, opening hours, closures, time
off) is a venues action, which keeps the search index in step in the same
transaction; nothing here writes a row itself. A refusal from an action comes back as errors on
the form (pamper.lib.refusals.form_attempt), so the page shows it next to the field.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib.refusals import form_attempt
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure, OpeningHours, Resource, Service, Shift, Staff, TimeOff, Venue

VENUE_FIELDS = ("name", "kind", "description", "address", "city", "postcode", "country", "latitude", "longitude",
                "timezone", "currency", "phone", "email")
POLICY_FIELDS = ("slot_minutes", "min_notice_minutes", "horizon_days", "cancel_notice_hours", "auto_confirm", "reminder_lead_hours")


def reindex(venue: Venue) -> None:
    venue_actions.reindex(venue.pk)


def create_venue(*, form: forms.BaseForm, owner: User) -> Venue | None:
    """A new, unlisted venue owned by `owner`."""
    data = {name: form.cleaned_data[name] for name in VENUE_FIELDS}
    return form_attempt(form, lambda: venue_actions.create_venue(owner=owner, is_published=False, **data))


def update_venue(*, form: forms.BaseForm, venue: Venue, fields: tuple[str, ...]) -> Venue | None:
    changes = {name: form.cleaned_data[name] for name in fields}
    return form_attempt(form, lambda: venue_actions.update_venue(venue=venue, **changes))


def save_service(*, form: forms.BaseForm, venue: Venue, service: Service | None, by: User) -> Service | None:
    """Save the service form; a change that weakens its rules is refused next to the reason box."""
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_service(
        venue=venue, service=service, treatment=d["treatment"], name=d["name"], price=d["price"],
        duration_minutes=d["duration_minutes"], kind=d["kind"], variant=d["variant"], description=d["description"],
        buffer_before=d["buffer_before"], buffer_after=d["buffer_after"], online_bookable=d["online_bookable"],
        is_active=d["is_active"], resource=d["resource"], staff=d["staff"], position=d["position"],
        by=by, reason=d.get("rules_change_reason", ""),
    ), field="rules_change_reason")


def save_resource(*, form: forms.BaseForm, venue: Venue, resource: Resource | None) -> Resource | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_resource(venue=venue, resource=resource, name=d["name"], kind=d["kind"]))


def save_staff(*, form: forms.BaseForm, venue: Venue, staff: Staff | None) -> Staff | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_staff(
        venue=venue, staff=staff, name=d["name"], title=d["title"], bio=d["bio"], services=d["services"], user=d["user"],
        is_active=d["is_active"], position=d["position"],
    ))


def _hours(venue: Venue, exclude: int | None = None) -> list[tuple[int, dt.time, dt.time]]:
    return [(h.weekday, h.opens, h.closes) for h in OpeningHours.objects.filter(venue=venue).exclude(pk=exclude)]


def add_opening_hours(*, form: forms.BaseForm, venue: Venue) -> list[OpeningHours] | None:
    d = form.cleaned_data
    hours = [*_hours(venue), (d["weekday"], d["opens"], d["closes"])]
    return form_attempt(form, lambda: venue_actions.set_opening_hours(venue=venue, hours=hours))


def remove_opening_hours(*, row: OpeningHours) -> None:
    venue_actions.set_opening_hours(venue=row.venue, hours=_hours(row.venue, exclude=row.pk))


def add_closure(*, form: forms.BaseForm, venue: Venue) -> Closure | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_closure(venue=venue, start_date=d["start_date"], end_date=d["end_date"], reason=d["reason"]))


def remove_closure(*, row: Closure) -> None:
    venue_actions.remove_closure(closure=row)


def add_time_off(*, form: forms.BaseForm, staff: Staff) -> TimeOff | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_time_off(staff=staff, start=d["start"], end=d["end"], reason=d["reason"]))


def add_shift(*, form: forms.BaseForm, staff: Staff) -> Shift | None:
    """Add the weekly shift of the form (ShiftForm) to `staff`; None when refused (the reason is on the form)."""
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_shift(
        staff=staff, weekday=d["weekday"], start=d["start"], end=d["end"], valid_from=d["valid_from"],
        valid_until=d["valid_until"],
    ))


def publish_problems(venue: Venue) -> list[str]:
    """What stops the venue from being listed; empty when it can be published."""
    problems = []
    if not OpeningHours.objects.filter(venue=venue).exists():
        problems.append("Set your opening hours.")
    if not Service.objects.filter(venue=venue, is_active=True).exists():
        problems.append("Add at least one service with a price.")
    return problems


def set_published(*, venue: Venue, published: bool) -> None:
    """List or unlist the venue; listing needs opening hours and an active service (Refusal 422 not_ready
    saying what is missing)."""
    if published and (problems := publish_problems(venue)):
        raise Refusal(422, "not_ready", " ".join(problems))
    venue_actions.set_venue_published(venue=venue, published=published)

