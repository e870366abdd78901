"""Writes to venues and what they offer: keyword-only functions, each owning its transaction.

Seed, admin and the partner workspace all write through these, so the search
index stays in step: every function that changes what a search shows calls
`reindex(venue_id)` inside the same transaction, which sends
hooks.venue_changed (search refreshes the venue's rows on it). Bad input
raises pamper.errors.Refusal (422 invalid, with the fields at fault under
`errors`) and changes nothing.

By topic: `venue` (the venue itself), `services` (services, staff, rooms),
`schedule` (opening hours, closures, shifts, time off), `clients`. Callers use
the names re-exported here: `venues.actions.save_service(...)`.
"""

from .clients import add_client, update_client
from .common import reindex, reindexed_once
from .favourites import forget_favourites, set_favourite
from .schedule import (
    add_closure,
    add_shift,
    add_time_off,
    check_opening_hours,
    check_shift,
    check_weekly,
    remove_closure,
    remove_shift,
    remove_time_off,
    set_opening_hours,
    set_shifts,
)
from .services import (
    check_rules_change,
    deactivate_service,
    guard_rules_change,
    remove_resource,
    remove_service,
    save_resource,
    save_service,
    save_staff,
)
from .venue import (
    create_venue,
    set_two_factor_requirement,
    set_venue_published,
    slug_base,
    update_settings,
    update_venue,
)

__all__ = [
    "add_client", "add_closure", "add_shift", "add_time_off", "check_opening_hours", "check_rules_change",
    "check_shift", "check_weekly", "create_venue", "deactivate_service", "forget_favourites", "guard_rules_change",
    "reindex", "reindexed_once", "remove_closure", "remove_resource", "remove_service", "remove_shift",
    "remove_time_off", "save_resource", "save_service", "save_staff", "set_favourite", "set_opening_hours",
    "set_shifts", "set_two_factor_requirement", "set_venue_published", "slug_base", "update_client", "update_settings",
    "update_venue",
]
