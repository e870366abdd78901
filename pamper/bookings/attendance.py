"""After the visit's start: the venue marks it attended or a no-show. The slot stays used either way; a no-show lets
go of the treatments that waited for it, as a cancellation does.

Attended is final: a no-show can be corrected to attended (the client came late, the wrong button was pressed), but
an attended visit never becomes a no-show, because a no-show is what lets the venue charge the no-show fee the
client accepted (payments.fees.charge_fee): flipping a visit back would make a client who came pay it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.errors import Refusal
from pamper.lib import clock

from . import hooks
from .actions import _locked, _release_dependants, not_changeable
from .models import Booking, Status


def _mark(booking: Booking, status: str, now: dt.datetime, actor: User | None) -> Booking:
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == status:
            return booking
        allowed = {Status.CONFIRMED, Status.PENDING, Status.ATTENDED, Status.NO_SHOW}
        if booking.status not in allowed:
            raise not_changeable(booking)
        if now < booking.start:
            raise Refusal(422, "not_started", gettext("The visit has not started yet."))
        if booking.status == Status.ATTENDED:  # status is NO_SHOW here: see the module's docstring
            raise Refusal(409, "already_attended", gettext(
                "%(name)s was marked as attended, so this visit can no longer be marked as a no-show (and no "
                "no-show fee can be charged for it).") % {"name": booking.client.name})
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
        if status == Status.ATTENDED:
            hooks.announce(booking.id, "attended")
        else:
            _release_dependants(booking, actor, now)
    return booking


def mark_attended(*, booking: Booking, actor: User | None = None, now: dt.datetime | None = None) -> Booking:
    """The client came (from the visit's start on; corrects a no-show). 409/422 otherwise."""
    return _mark(booking, Status.ATTENDED, now or clock.now(), actor)


def mark_no_show(*, booking: Booking, actor: User | None = None, now: dt.datetime | None = None) -> Booking:
    """The client did not come (from the visit's start on). The slot stays used.

    Refusal 409 already_attended for a visit marked attended (attended is final), 409 not_changeable (cancelled,
    ...), 422 not_started before the visit's start."""
    return _mark(booking, Status.NO_SHOW, now or clock.now(), actor)
