"""Partner API: the venue's own details and booking policies, as the workspace's Settings and Policies pages edit them.

Mounted inside partner.api's router (same auth). Reading needs any role at the venue, changing needs owner or
manager (as the pages). A change goes through pamper.venues.actions.update_settings, so the rules are the pages':
a currency its prices cannot be written in is refused (422 prices_too_precise, naming them) and a switch that fits
moves the services with it; listing a venue without opening hours is refused (422 hours_required); the search
index follows.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router
from pydantic import EmailStr

from pamper.bookings.workspace import Perm, api_workspace
from pamper.errors import invalid_fields
from pamper.lib.fields import Id, Input, Name, Phone, Words
from pamper.venues import actions as venue_actions
from pamper.venues.api import VenueBasics
from pamper.venues.models import YEAR_HOURS, YEAR_MINUTES, Venue, VenueKind

from . import places

router = Router(tags=["partner"])
P = "/partner/venues/{venue_id}/settings"

Kind = Literal[tuple(VenueKind.values)]  # type: ignore[valid-type]
SlotMinutes = Literal[5, 10, 15, 20, 30, 45, 60]  # the Policies page's choices


class VenueSettingsOut(VenueBasics):
    latitude: float
    longitude: float
    timezone: str = Field(description="IANA zone: every time on the calendar and in emails is written in it.")
    currency: str = Field(description="ISO 4217: the services' prices are in it.")
    phone: str
    email: str
    is_published: bool = Field(description="Shown in search and bookable online.")
    slot_minutes: int = Field(description="Start times offered online fall on this grid.")
    min_notice_minutes: int
    horizon_days: int
    cancel_notice_hours: int = Field(description="Customers may cancel or move up to this many hours before.")
    auto_confirm: bool
    reminder_lead_hours: int


class VenueSettingsPatch(Input):
    """Only the fields sent change."""

    name: Name | None = Field(None, min_length=1, max_length=120)
    kind: Kind | None = None
    description: Words | None = Field(None, max_length=5000)
    address: Name | None = Field(None, min_length=1, max_length=200)
    city: Name | None = Field(None, min_length=1, max_length=100)
    postcode: Name | None = Field(None, max_length=20)
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    timezone: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    phone: Phone | Literal[""] | None = None
    email: EmailStr | Literal[""] | None = Field(None, max_length=254)
    is_published: bool | None = None
    slot_minutes: SlotMinutes | None = None
    min_notice_minutes: int | None = Field(None, ge=0, le=YEAR_MINUTES)
    horizon_days: int | None = Field(None, ge=1, le=365)
    cancel_notice_hours: int | None = Field(None, ge=0, le=YEAR_HOURS)
    auto_confirm: bool | None = None
    reminder_lead_hours: int | None = Field(None, ge=0, le=YEAR_HOURS)


def _out(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in VenueSettingsOut.model_fields}


def _check_places(changes: dict[str, Any]) -> None:
    """A country and a currency the Settings page offers (the zone is the model's own check)."""
    hints = places.hints()
    offered = {"country": set(hints), "currency": {h.currency for h in hints.values()}}
    errors = {field: [gettext("%(value)s is not one of the choices offered.") % {"value": changes[field]}]
              for field, allowed in offered.items() if field in changes and changes[field] not in allowed}
    if errors:
        raise invalid_fields(errors)


@router.get(P, response=VenueSettingsOut, summary="The venue's details and booking policies")
def venue_settings(request: HttpRequest, venue_id: Id) -> dict[str, Any]:
    return _out(api_workspace(request, venue_id).venue)


@router.patch(P, response=VenueSettingsOut, summary="Change the venue's details or policies (only the fields sent)",
              description="Owners and managers. A new currency its prices cannot be written in is refused with 422 "
                          "`prices_too_precise` (with `prices`); one that fits moves the services' prices to it, "
                          "numbers unchanged. Listing a venue without opening hours: 422 `hours_required`.")
def change_venue_settings(request: HttpRequest, venue_id: Id, data: VenueSettingsPatch) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    _check_places(changes)
    return _out(venue_actions.update_settings(venue=ws.venue, **changes))
