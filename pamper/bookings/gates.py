"""The door through which the clinical pathway tells the booking page which times it may offer.

Bookings stands below clinical (DESIGN.md, "Layout"), yet the booking page
must not offer a treatment time the pathway check will refuse (a treatment
that needs a consultation first, or a patch test's waiting time). Clinical
registers a gate in its AppConfig.ready(); the page asks it for every chosen
service. It fails closed like the booking checks: a service with a pathway
and no gate registered raises ImproperlyConfigured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class Gate(Protocol):
    """A gate's answer for one service: whether its times may be offered at all (`open`), and if so from when
    (`not_before`, None: any time); when closed, why (`message`) and the way on (`action_url`, `action_label`,
    either may be empty)."""

    open: bool
    not_before: dt.datetime | None
    message: str
    action_url: str
    action_label: str


BookingGate = Callable[..., "Gate | None"]  # called as gate(customer=, venue=, service=, now=)
_gates: list[BookingGate] = []


def register_booking_gate(gate: BookingGate) -> BookingGate:
    """Ask `gate` before the booking page offers times for a service (once, however often registered)."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


def unregister_booking_gate(gate: BookingGate) -> None:
    if gate in _gates:
        _gates.remove(gate)


def booking_gates(*, customer: Any, venue: Any, services: Sequence[Any], now: dt.datetime) -> list[Gate]:
    """The gates' answers for the chosen services (None answers dropped). Read only.

    Raises ImproperlyConfigured when a service has a pathway and no gate is registered: the page would
    otherwise offer times the booking then refuses."""
    if not _gates and any(s.treatment.has_pathway for s in services):
        raise ImproperlyConfigured("No booking gate is registered (the clinical app registers one in "
                                   "ClinicalConfig.ready): the booking page cannot tell which times it may offer.")
    answers = [gate(customer=customer, venue=venue, service=s, now=now) for gate in list(_gates) for s in services]
    return [a for a in answers if a is not None]
