"""Writes to venues and what they offer: keyword-only functions, each owning its transaction.

Seed, admin and the partner workspace all write through these, so the search
index stays in step: every function that changes what a search shows calls
`reindex(venue_id)` inside the same transaction, which sends
hooks.venue_changed (search refreshes the venue's rows on it). Bad input raises pamper.errors.Refusal
(422 invalid, with the fields at fault under `errors`) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from pamper.accounts import two_factor
from pamper.accounts.models import Membership, Role, User
from pamper.catalog.models import Treatment
from pamper.errors import Refusal, invalid, invalid_fields
from pamper.lib import clock
from pamper.lib.money import round_money

from . import hooks
from .models import (
    AuditEntry,
    Client,
    Closure,
    OpeningHours,
    Resource,
    Service,
    ServiceKind,
    ServiceRules,
    Shift,
    Staff,
    TimeOff,
    Venue,
    weakened_rules,
    weekly_overlap,
)
from .regions import default_currency, default_zone

VENUE_EDITABLE = frozenset({
    "name", "kind", "description", "address", "city", "postcode", "country", "latitude", "longitude", "timezone",
    "currency", "phone", "email", "is_published", "slot_minutes", "min_notice_minutes", "horizon_days",
    "cancel_notice_hours", "auto_confirm", "reminder_lead_hours",
})
WeeklyInterval = tuple[int, dt.time, dt.time]


def reindex(venue_id: int) -> None:
    """Tell the apps above (search refreshes the venue's rows) that what a search shows may have changed.

    Call it inside the write's transaction: the receivers run there and then.
    """
    hooks.venue_changed.send(sender=Venue, venue_id=venue_id)


def slug_base(name: str, city: str) -> str:
    """'Studio Olivia', 'London' -> 'studio-olivia-london' (ASCII, at most 120 characters)."""
    base = slugify(f"{name} {city}")[:120].strip("-")
    return base or "venue"


def unique_venue_slug(name: str, city: str) -> str:
    """slug_base, with -2, -3 ... appended while another venue has it."""
    base = slug_base(name, city)
    taken = set(Venue.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_venue(
    *, name: str, kind: str, address: str, city: str, country: str, latitude: float, longitude: float,
    postcode: str = "", timezone: str | None = None, currency: str | None = None, slug: str | None = None,
    owner: User | None = None, **extra: Any,
) -> Venue:
    """A new venue; zone and currency default from the country. An owner gets an owner membership."""
    unknown = set(extra) - VENUE_EDITABLE
    if unknown:
        raise invalid(f"Unknown venue fields: {', '.join(sorted(unknown))}.")
    country = country.upper()
    venue = Venue(
        name=name, kind=kind, address=address, city=city, country=country, latitude=latitude, longitude=longitude,
        postcode=postcode, timezone=timezone or default_zone(country) or "", currency=currency or default_currency(country) or "",
        slug=slug or unique_venue_slug(name, city), **extra,
    )
    _check_venue(venue)
    venue.save()
    if owner is not None:
        Membership.objects.create(user=owner, venue=venue, role=Role.OWNER)
    reindex(venue.id)
    return venue


def _check_venue(venue: Venue) -> None:
    errors: dict[str, list[str]] = {}
    if not venue.currency:
        errors["currency"] = ["Give the currency: the country has no default."]
    if not venue.timezone:
        errors["timezone"] = ["Give the time zone: the country has no default."]
    if errors:
        raise invalid_fields(errors)
    _clean(venue)


def _clean(row: Any) -> None:
    """The model's own checks (full_clean); what fails is Refusal 422 invalid with every field's messages."""
    try:
        row.full_clean()
    except ValidationError as exc:
        raise invalid_fields(exc.message_dict) from exc


@transaction.atomic
def update_venue(*, venue: Venue, **changes: Any) -> Venue:
    """Change the venue's details or policies (only the fields in VENUE_EDITABLE)."""
    unknown = set(changes) - VENUE_EDITABLE
    if unknown:
        raise invalid(f"These venue fields cannot be changed here: {', '.join(sorted(unknown))}.")
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    for field, value in changes.items():
        setattr(venue, field, value)
    _check_venue(venue)
    venue.save()
    reindex(venue.id)
    return venue


def set_venue_published(*, venue: Venue, published: bool) -> Venue:
    """Show or hide the venue in search and on its page."""
    return update_venue(venue=venue, is_published=published)


def _price(value: Decimal | int | str) -> Decimal:
    try:
        amount = round_money(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise invalid("Enter a price such as 45 or 45.50.", field="price") from exc
    if amount < 0:
        raise invalid("A price cannot be negative.", field="price")
    return amount


def _own_staff(venue: Venue, staff: Iterable[Staff]) -> list[Staff]:
    staff = list(staff)
    if any(s.venue_id != venue.id for s in staff):
        raise invalid("Every practitioner must work at this venue.", field="staff")
    return staff


@transaction.atomic
def save_service(
    *, venue: Venue, treatment: Treatment, name: str, price: Decimal | int | str, duration_minutes: int,
    service: Service | None = None, kind: str = ServiceKind.TREATMENT, variant: str = "", description: str = "",
    buffer_before: int = 0, buffer_after: int = 0, online_bookable: bool = True, is_active: bool = True,
    resource: Resource | None = None, staff: Iterable[Staff] | None = None, position: int | None = None,
    by: User | None = None, reason: str = "", now: dt.datetime | None = None,
) -> Service:
    """Create a service (service=None) or update one of this venue's; priced in the venue's currency.

    `staff`, when given, replaces who performs it. An update that weakens the
    rules its bookings are checked against goes through guard_rules_change
    (`by` and `reason` are for that; Refusal when refused, nothing changed).
    """
    if service is not None and service.venue_id != venue.id:
        raise invalid("That service belongs to another venue.")
    if resource is not None and resource.venue_id != venue.id:
        raise invalid("That room or device belongs to another venue.", field="resource")
    performers = _own_staff(venue, staff) if staff is not None else None
    before = None
    if service is not None and service.pk is not None:
        # Locked so two edits cannot each pass the check against the same old rules.
        service = Service.objects.select_for_update().select_related("treatment").get(pk=service.pk)
        before = service.rules()
    service = service or Service(venue=venue)
    fields = dict(
        treatment=treatment, name=name, price=_price(price), currency=venue.currency, duration_minutes=duration_minutes,
        kind=kind, variant=variant, description=description, buffer_before=buffer_before, buffer_after=buffer_after,
        online_bookable=online_bookable, is_active=is_active, resource=resource,
    )
    for field, value in fields.items():
        setattr(service, field, value)
    if position is not None:
        service.position = position
    elif service.pk is None:
        service.position = venue.services.count()
    _clean(service)
    if before is not None:
        guard_rules_change(service=service, before=before, by=by, reason=reason, now=now or clock.now())
    service.save()
    if performers is not None:
        service.staff.set(performers)
    reindex(venue.id)
    return service


def check_rules_change(*, service: Service, before: ServiceRules, by: User | None, reason: str,
                       now: dt.datetime) -> tuple[list[str], str]:
    """May `service` (changed, not saved yet) leave the rules `before`? The one rule every edit path applies.

    Returns ([], "") for a change that does not weaken the rules, else (what
    is weaker, the actor's role). Raises Refusal 422 service_rules_weakened
    while the service has bookings that have not ended (they were checked under
    the old rules); otherwise 403 owner_required unless `by` is the venue's
    owner (or a platform operator, in the admin), and 422 reason_required
    without a reason of a few words.
    """
    weaker = weakened_rules(before, service.rules())
    if not weaker:
        return [], ""
    what = "; ".join(weaker)
    if service.booking_items.filter(active=True, end__gt=now).exists():  # bookings.BookingItem, by its reverse name
        raise Refusal(422, "service_rules_weakened", f"“{service.name}” has bookings to come, and this change would "
                       f"check them less ({what}). Keep the service as it is and add a new one instead.",
                       weakened=weaker)
    role = _owner_role(by, service.venue_id)
    if role is None:
        raise Refusal(403, "owner_required", f"Only the venue's owner can make this change ({what}).", weakened=weaker)
    if len(" ".join((reason or "").split())) < 5:
        raise Refusal(422, "reason_required", f"Say why the service's rules may be weaker ({what}): it is kept in "
                       "the venue's audit log.", weakened=weaker)
    return weaker, role


def guard_rules_change(*, service: Service, before: ServiceRules, by: User | None, reason: str,
                       now: dt.datetime) -> AuditEntry | None:
    """check_rules_change, then write an allowed weakening to the venue's audit log (its entry comes back).

    None when the change does not weaken the rules. Call inside the transaction that saves the service.
    """
    weaker, role = check_rules_change(service=service, before=before, by=by, reason=reason, now=now)
    if not weaker:
        return None
    return AuditEntry.objects.create(
        venue_id=service.venue_id, actor=by, actor_role=role, action="service_rules_weakened", object_type="service",
        object_id=service.pk, changes={"before": before.as_dict(), "after": service.rules().as_dict(), "weakened": weaker},
        reason=" ".join(reason.split())[:2000], at=now,
    )


def _owner_role(by: User | None, venue_id: int) -> str | None:
    """'owner' for the venue's owner, 'operator' for a platform superuser, None for anyone else."""
    if by is None:
        return None
    if Membership.objects.filter(user=by, venue_id=venue_id, role=Role.OWNER).exists():
        return Role.OWNER.value
    return "operator" if by.is_superuser else None


@transaction.atomic
def deactivate_service(*, service: Service) -> Service:
    """Stop offering a service; past bookings keep pointing at it."""
    service.is_active = False
    service.save(update_fields=["is_active"])
    reindex(service.venue_id)
    return service


@transaction.atomic
def save_staff(
    *, venue: Venue, name: str, title: str = "", bio: str = "", staff: Staff | None = None,
    services: Iterable[Service] | None = None, user: User | None = None, is_active: bool = True,
    position: int | None = None,
) -> Staff:
    """Create or update a practitioner; `services`, when given, replaces what they perform."""
    if staff is not None and staff.venue_id != venue.id:
        raise invalid("That practitioner works at another venue.")
    chosen = list(services) if services is not None else None
    if chosen is not None and any(s.venue_id != venue.id for s in chosen):
        raise invalid("Every service must be one of this venue's.", field="services")
    staff = staff or Staff(venue=venue)
    staff.name, staff.title, staff.bio, staff.user, staff.is_active = name, title, bio, user, is_active
    if position is not None:
        staff.position = position
    elif staff.pk is None:
        staff.position = venue.staff.count()
    _clean(staff)
    staff.save()
    if chosen is not None:
        staff.services.set(chosen)
    reindex(venue.id)
    return staff


def check_weekly(intervals: Sequence[WeeklyInterval], what: str) -> list[WeeklyInterval]:
    """Sorted intervals; Refusal 422 invalid when one ends before it starts or two overlap on a day."""
    ordered = sorted(intervals)
    for weekday, start, end in ordered:
        if not 0 <= weekday <= 6:
            raise invalid(f"{what}: the weekday must be 0 (Monday) to 6 (Sunday).")
        if end <= start:
            raise invalid(f"{what}: each interval must end after it starts ({start:%H:%M}–{end:%H:%M}).")
    for a, b in itertools.pairwise(ordered):
        if weekly_overlap(a, b):
            raise invalid(f"{what}: two intervals overlap on the same day.")
    return ordered


@transaction.atomic
def set_opening_hours(*, venue: Venue, hours: Sequence[WeeklyInterval]) -> list[OpeningHours]:
    """Replace the venue's weekly opening hours with (weekday, opens, closes) local wall-clock intervals."""
    ordered = check_weekly(hours, "Opening hours")
    venue.opening_hours.all().delete()
    rows = OpeningHours.objects.bulk_create(OpeningHours(venue=venue, weekday=d, opens=a, closes=b) for d, a, b in ordered)
    reindex(venue.id)
    return rows


@transaction.atomic
def set_shifts(*, staff: Staff, shifts: Sequence[WeeklyInterval]) -> list[Shift]:
    """Replace a practitioner's weekly shifts; two on a day make a break between them."""
    ordered = check_weekly(shifts, "Shifts")
    staff.shifts.all().delete()
    rows = Shift.objects.bulk_create(Shift(staff=staff, weekday=d, start=a, end=b) for d, a, b in ordered)
    reindex(staff.venue_id)
    return rows


@transaction.atomic
def add_closure(*, venue: Venue, start_date: dt.date, end_date: dt.date, reason: str = "") -> Closure:
    """Close the venue for whole local days, start to end inclusive."""
    closure = Closure(venue=venue, start_date=start_date, end_date=end_date, reason=reason)
    if end_date < start_date:
        raise invalid("The closure must end on or after its first day.", field="end_date")
    _clean(closure)
    closure.save()
    reindex(venue.id)
    return closure


@transaction.atomic
def remove_closure(*, closure: Closure) -> None:
    venue_id = closure.venue_id
    closure.delete()
    reindex(venue_id)


@transaction.atomic
def add_time_off(*, staff: Staff, start: dt.datetime, end: dt.datetime, reason: str = "") -> TimeOff:
    """An absence between two aware instants."""
    if start.tzinfo is None or end.tzinfo is None:
        raise invalid("Time off needs times with a time zone.")
    if end <= start:
        raise invalid("Time off must end after it starts.", field="end")
    row = TimeOff(staff=staff, start=start, end=end, reason=reason)
    _clean(row)
    row.save()
    reindex(staff.venue_id)
    return row


@transaction.atomic
def save_resource(*, venue: Venue, name: str, kind: str = Resource.Kind.ROOM, resource: Resource | None = None) -> Resource:
    """Create or rename a room or device that services can require. Names are unique per venue."""
    if resource is not None and resource.venue_id != venue.id:
        raise invalid("That room or device belongs to another venue.")
    name = " ".join(name.split())
    clash = Resource.objects.filter(venue=venue, name__iexact=name)
    if resource is not None:
        clash = clash.exclude(pk=resource.pk)
    if name and clash.exists():
        raise invalid(f"{venue.name} already has a room or device called “{name}”.", field="name")
    resource = resource or Resource(venue=venue)
    resource.name, resource.kind = name, kind
    _clean(resource)
    resource.save()
    return resource


def remove_resource(*, resource: Resource) -> bool:
    """Delete a room or device no booking ever used; its services then need none (availability is refreshed).

    False (and nothing changed) when bookings used it: their history keeps pointing at it.
    """
    try:
        with transaction.atomic():
            needed = resource.services.exists()
            resource.delete()
            if needed:
                reindex(resource.venue_id)
        return True
    except ProtectedError:
        return False


# --- one row at a time: shifts, time off, services, clients, the venue's two-factor rule ------------------------


def check_shift(shift: Shift) -> None:
    """The rules of one weekly shift (saved or not): it ends after it starts, its last day is not before its first,
    and it clashes with none of the staff member's other shifts (Shift.clashes_with).

    Refusal 422 invalid naming the `field` at fault, 409 overlapping_shift for a clash. Reads only.
    """
    if shift.end <= shift.start:
        raise invalid("A shift must end after it starts (split a shift that crosses midnight in two).", field="end")
    if shift.valid_from and shift.valid_until and shift.valid_until < shift.valid_from:
        raise invalid("The last day comes before the first.", field="valid_until")
    other = Shift.objects.clashing(shift)
    if other is not None:
        raise Refusal(409, "overlapping_shift",
                      f"{shift.staff.name} already works {other.start:%H:%M}–{other.end:%H:%M} that day.")


def add_shift(*, staff: Staff, weekday: int, start: dt.time, end: dt.time, valid_from: dt.date | None = None,
              valid_until: dt.date | None = None) -> Shift:
    """Add one weekly shift (local wall-clock time, optionally only between two dates, inclusive); returns it.

    Refusals as check_shift, nothing written then. The staff member's row is
    locked first, so two shifts added at once cannot both pass the clash check.
    """
    if not 0 <= weekday <= 6:
        raise invalid("The weekday must be 0 (Monday) to 6 (Sunday).", field="weekday")
    with transaction.atomic():
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        shift = Shift(staff=staff, weekday=weekday, start=start, end=end, valid_from=valid_from, valid_until=valid_until)
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
def remove_time_off(*, time_off: TimeOff) -> None:
    """Cancel an absence: the staff member's time is bookable again."""
    venue_id = Staff.objects.filter(pk=time_off.staff_id).values_list("venue_id", flat=True).get()
    time_off.delete()
    reindex(venue_id)


def remove_service(*, service: Service) -> bool:
    """Delete a service never booked; one with bookings is switched off instead, so its history stays.

    True when it was deleted, False when it was switched off.
    """
    try:
        with transaction.atomic():
            service.delete()
            reindex(service.venue_id)
        return True
    except ProtectedError:
        deactivate_service(service=service)
        return False


def set_two_factor_requirement(*, venue: Venue, required: bool, by: Any) -> Venue:
    """The owner turns on (or off) two-factor sign-in for everyone who opens the venue's clinical records.

    `by` is the request's user. Either way `by` must have given a second factor
    in this session: turning it on cannot lock the owner out, and a password
    alone cannot turn it off. Refusal 403 owner_required for anyone but an
    owner; accounts.two_factor.TwoFactorRequired for want of the second factor.
    """
    if not Membership.objects.filter(user=by, venue=venue, role=Role.OWNER).exists():
        raise Refusal(403, "owner_required", "Only an owner can change the two-factor requirement.")
    if not two_factor.is_verified(by):
        doing = "Requiring two-factor sign-in" if required else "No longer requiring two-factor sign-in"
        raise two_factor.TwoFactorRequired(venue, has_device=two_factor.is_enabled(by), message=(
            f"{doing} needs two-factor sign-in on your own account, and a code from it."))
    Venue.objects.filter(pk=venue.pk).update(require_two_factor=required)
    venue.require_two_factor = required
    return venue


def add_client(*, venue: Venue, name: str, phone: str = "", email: str = "") -> Client:
    """Record a client the venue entered itself (a phone or walk-in client, no account); returns it.

    Spaces around the details go and the email is lower-cased. The caller has
    checked the details (partner.desk: a name, and nobody on file matching).
    """
    return Client.objects.create(venue=venue, name=name.strip(), phone=phone.strip(), email=email.strip().lower())


def update_client(*, client: Client, name: str, phone: str, email: str, notes: str) -> Client:
    """Change the venue's contact details and (non-clinical) notes of a client; returns it.

    Refusal 422 invalid with the fields at fault; nothing changed then.
    """
    client.name, client.phone, client.email, client.notes = name, phone, email, notes
    _clean(client)
    client.save(update_fields=["name", "phone", "email", "notes"])
    return client
