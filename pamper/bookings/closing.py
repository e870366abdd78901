"""Bookings' closing check (accounts.hooks.register_closing_check, connected in BookingsConfig.ready).

An account with visits still to come cannot be closed: the person cancels them (under the venue's cancellation
terms, late-cancellation fee included) or attends them first. Closing the account must not cancel them for
free, nor leave the venue a visit whose customer no longer exists. Reads only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from pamper.errors import Refusal

from .models import CHANGEABLE, Booking, Status

# A checkout hold is not a visit: it lapses by itself within minutes (a waitlist offer's hold is given back when
# the waitlist entry goes).
STILL_TO_COME = sorted(CHANGEABLE - {Status.HELD})


def upcoming_visits(*, user: Any, now: dt.datetime) -> int:
    """How many visits of `user` are still to come or under way (booked online, or by a venue for the client
    record linked to the account)."""
    mine = Q(customer=user) | Q(client__user=user)
    return Booking.objects.filter(mine, status__in=STILL_TO_COME, end__gt=now).count()


def refuse_upcoming_visits(*, user: Any, now: dt.datetime) -> None:
    """Refusal 409 upcoming_visits (with `count`) when `user` has visits still to come."""
    count = upcoming_visits(user=user, now=now)
    if count:
        raise Refusal(409, "upcoming_visits", ngettext(
            "You have %(count)s upcoming visit. Cancel it (the venue's cancellation terms apply) or attend it "
            "before closing your account.",
            "You have %(count)s upcoming visits. Cancel them (the venue's cancellation terms apply) or attend them "
            "before closing your account.", count) % {"count": count}, count=count)
