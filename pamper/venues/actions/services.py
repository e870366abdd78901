"""Writes to what a venue offers: services (and the guard on weakening their clinical rules), staff, rooms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext

from pamper.accounts.models import Membership, Role, User
from pamper.catalog.models import Treatment
from pamper.errors import Refusal, invalid
from pamper.lib import clock
from pamper.lib.money import places, round_money

from ..models import AuditEntry, Resource, Service, ServiceKind, ServiceRules, Staff, Venue
from ..rules import weakened_rules
from .common import clean, reindex


def _price(value: Decimal | int | str) -> Decimal:
    """The price as given, at two decimals. One with more decimals is kept as given for the model to refuse (the
    field's two decimals; Service.clean: the currency's), never rounded into a price the owner did not write."""
    try:
        if isinstance(value, float):
            raise TypeError("Money is never a float.")
        amount = Decimal(value)
        if not amount.is_finite():
            raise ValueError(value)
        amount = round_money(amount) if places(amount) <= 2 else amount
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise invalid(gettext("Enter a price such as 45 or 45.50."), field="price") from exc
    if amount < 0:
        raise invalid(gettext("A price cannot be negative."), field="price")
    return amount


def _own_staff(venue: Venue, staff: Iterable[Staff]) -> list[Staff]:
    staff = list(staff)
    if any(s.venue_id != venue.id for s in staff):
        raise invalid(gettext("Every practitioner must work at this venue."), field="staff")
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
        raise invalid(gettext("That service belongs to another venue."))
    if resource is not None and resource.venue_id != venue.id:
        raise invalid(gettext("That room or device belongs to another venue."), field="resource")
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
    clean(service)
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
        raise Refusal(
            422,
            "service_rules_weakened",
            gettext(
                "“%(service_name)s” has bookings to come, and this change would check them less (%(what)s). Keep the "
                "service as it is and add a new one instead."
            )
            % {"service_name": service.name, "what": what},
            weakened=weaker,
        )
    role = _owner_role(by, service.venue_id)
    if role is None:
        raise Refusal(
            403,
            "owner_required",
            gettext("Only the venue's owner can make this change (%(what)s).") % {"what": what},
            weakened=weaker,
        )
    if len(" ".join((reason or "").split())) < 5:
        raise Refusal(
            422,
            "reason_required",
            gettext("Say why the service's rules may be weaker (%(what)s): it is kept in the venue's audit log.")
            % {"what": what},
            weakened=weaker,
        )
    return weaker, role


def guard_rules_change(
    *, service: Service, before: ServiceRules, by: User | None, reason: str, now: dt.datetime
) -> AuditEntry | None:
    """check_rules_change, then write an allowed weakening to the venue's audit log (its entry comes back).

    None when the change does not weaken the rules. Call inside the transaction that saves the service.
    """
    weaker, role = check_rules_change(service=service, before=before, by=by, reason=reason, now=now)
    if not weaker:
        return None
    return AuditEntry.objects.create(
        venue_id=service.venue_id,
        actor=by,
        actor_role=role,
        action="service_rules_weakened",
        object_type="service",
        object_id=service.pk,
        changes={"before": before.as_dict(), "after": service.rules().as_dict(), "weakened": weaker},
        reason=" ".join(reason.split())[:2000],
        at=now,
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


@transaction.atomic
def save_staff(
    *,
    venue: Venue,
    name: str,
    title: str = "",
    bio: str = "",
    staff: Staff | None = None,
    services: Iterable[Service] | None = None,
    user: User | None = None,
    is_active: bool = True,
    position: int | None = None,
) -> Staff:
    """Create or update a practitioner; `services`, when given, replaces what they perform."""
    if staff is not None and staff.venue_id != venue.id:
        raise invalid(gettext("That practitioner works at another venue."))
    chosen = list(services) if services is not None else None
    if chosen is not None and any(s.venue_id != venue.id for s in chosen):
        raise invalid(gettext("Every service must be one of this venue's."), field="services")
    staff = staff or Staff(venue=venue)
    staff.name, staff.title, staff.bio, staff.user, staff.is_active = name, title, bio, user, is_active
    if position is not None:
        staff.position = position
    elif staff.pk is None:
        staff.position = venue.staff.count()
    clean(staff)
    staff.save()
    if chosen is not None:
        staff.services.set(chosen)
    reindex(venue.id)
    return staff


@transaction.atomic
def save_resource(
    *, venue: Venue, name: str, kind: str = Resource.Kind.ROOM, resource: Resource | None = None
) -> Resource:
    """Create or rename a room or device that services can require. Names are unique per venue."""
    if resource is not None and resource.venue_id != venue.id:
        raise invalid(gettext("That room or device belongs to another venue."))
    name = " ".join(name.split())
    clash = Resource.objects.filter(venue=venue, name__iexact=name)
    if resource is not None:
        clash = clash.exclude(pk=resource.pk)
    if name and clash.exists():
        raise invalid(f"{venue.name} already has a room or device called “{name}”.", field="name")
    resource = resource or Resource(venue=venue)
    resource.name, resource.kind = name, kind
    clean(resource)
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
