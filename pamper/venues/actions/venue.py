"""Writes to a venue itself: creating it, its details and policies, publishing, its two-factor rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from pamper.accounts import two_factor
from pamper.accounts.models import Membership, Role, User
from pamper.errors import Refusal, invalid, invalid_fields
from pamper.lib import money

from .. import hooks
from ..models import OpeningHours, Service, Venue
from ..regions import default_currency, default_zone
from .common import clean, reindex

VENUE_EDITABLE = frozenset({
    "name", "kind", "description", "address", "city", "postcode", "country", "latitude", "longitude", "timezone",
    "currency", "phone", "email", "is_published", "slot_minutes", "min_notice_minutes", "horizon_days",
    "cancel_notice_hours", "auto_confirm", "reminder_lead_hours",
})


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
        raise invalid(gettext("Unknown venue fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    country = country.upper()
    venue = Venue(
        name=name, kind=kind, address=address, city=city, country=country, latitude=latitude, longitude=longitude,
        postcode=postcode, timezone=timezone or default_zone(country) or "",
        currency=currency or default_currency(country) or "",
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
        errors["currency"] = [gettext("Give the currency: the country has no default.")]
    if not venue.timezone:
        errors["timezone"] = [gettext("Give the time zone: the country has no default.")]
    if errors:
        raise invalid_fields(errors)
    clean(venue)


@transaction.atomic
def update_venue(*, venue: Venue, **changes: Any) -> Venue:
    """Change the venue's details or policies (only the fields in VENUE_EDITABLE)."""
    unknown = set(changes) - VENUE_EDITABLE
    if unknown:
        raise invalid(gettext("These venue fields cannot be changed here: %(fields)s.")
                      % {"fields": ", ".join(sorted(unknown))})
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    before = venue.currency
    for field, value in changes.items():
        setattr(venue, field, value)
    _check_venue(venue)
    if venue.currency != before:
        _check_prices_fit(venue, before)
    venue.save()
    if venue.currency != before:  # the venue's currency decides: its services are priced in it from now on
        Service.objects.filter(venue_id=venue.pk).update(currency=venue.currency)
    reindex(venue.id)
    return venue


def _check_prices_fit(venue: Venue, before: str) -> None:
    """Refusal 422 prices_too_precise (field currency) when a price of the venue has more decimals than its new
    currency has: a £45.50 service (or a £5.50 fixed deposit) cannot become ¥45.50, and rounding it would charge
    a price the owner never wrote (cb701a0). The refusal names them all (`prices`: what, amount), so the owner
    can change them first. An exchange rate is no answer either: the owner sets the new prices."""
    currency = venue.currency
    held = [(service.name, service.price) for service in Service.objects.filter(venue_id=venue.pk).order_by("pk")]
    for _receiver, answer in hooks.currency_changing.send(sender=Venue, venue=venue, currency=currency):
        held.extend(answer or [])
    unfit = [(what, amount) for what, amount in held if money.too_precise(Decimal(amount), currency)]
    if not unfit:
        return
    listed = ", ".join(f"{what} {money.format_money(amount, before)}" for what, amount in unfit)
    message = " ".join([money.decimals_message(currency), gettext(
        "Change these prices first, then the currency: %(prices)s.") % {"prices": listed}])
    raise Refusal(422, "prices_too_precise", message, field="currency",
                  prices=[{"what": what, "amount": money.money_str(amount, before)} for what, amount in unfit])


@transaction.atomic
def update_settings(*, venue: Venue, **changes: Any) -> Venue:
    """update_venue with the details and policies in `changes`, then listing or unlisting the venue when
    `is_published` is among them (set_venue_published: hours first): all of it or nothing."""
    published = changes.pop("is_published", None)
    if changes:
        venue = update_venue(venue=venue, **changes)
    if published is not None:
        venue = set_venue_published(venue=venue, published=published)
    return venue


@transaction.atomic
def set_venue_published(*, venue: Venue, published: bool) -> Venue:
    """Show or hide the venue in search and on its page. Refusal 422 hours_required when listing a venue with no
    opening hours (nobody could book it); the row is locked first, as set_opening_hours does, so the two cannot
    cross."""
    if published:
        Venue.objects.select_for_update().only("pk").get(pk=venue.pk)
        if not OpeningHours.objects.filter(venue_id=venue.pk).exists():
            raise Refusal(422, "hours_required", gettext("Set your opening hours."))
    return update_venue(venue=venue, is_published=published)


def set_two_factor_requirement(*, venue: Venue, required: bool, by: Any) -> Venue:
    """The owner turns on (or off) two-factor sign-in for everyone who opens the venue's clinical records.

    `by` is the request's user. Either way `by` must have given a second factor
    in this session: turning it on cannot lock the owner out, and a password
    alone cannot turn it off. Refusal 403 owner_required for anyone but an
    owner; accounts.two_factor.TwoFactorRequired for want of the second factor.
    """
    if not Membership.objects.filter(user=by, venue=venue, role=Role.OWNER).exists():
        raise Refusal(403, "owner_required", gettext("Only an owner can change the two-factor requirement."))
    if not two_factor.is_verified(by):
        doing = (gettext("Requiring two-factor sign-in") if required
                 else gettext("No longer requiring two-factor sign-in"))
        raise two_factor.TwoFactorRequired(venue, has_device=two_factor.is_enabled(by), message=(
            gettext("%(doing)s needs two-factor sign-in on your own account, and a code from it.") % {"doing": doing}))
    Venue.objects.filter(pk=venue.pk).update(require_two_factor=required)
    venue.require_two_factor = required
    return venue
