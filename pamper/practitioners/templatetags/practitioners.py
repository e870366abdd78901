"""Who may treat on public pages: a practitioner's verified registrations ("Nurse, NMC registered, verified")."""

from __future__ import annotations

from typing import Any

from django import template

from ..queries import verified_registrations as _verified

register = template.Library()


@register.simple_tag
def verified_registrations(venue_id: int) -> dict[int, list[Any]]:
    """{staff id: verified registrations and prescribing rights} of the venue, in one query."""
    return _verified(venue_id)


@register.filter
def for_staff(registrations: dict[int, list[Any]], staff_id: int) -> list[Any]:
    return registrations.get(staff_id, [])
