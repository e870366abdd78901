"""Erasure's part in the bookings: the person leaves their bookings, the venues keep their diary and takings.

`anonymise_bookings` is called by clinical.privacy.erase_health_data (the health page's Erase, and closing the
account), after the upcoming visits were cancelled through actions.cancel_booking. `account_closing` is connected
in BookingsConfig.ready: closing the account also drops the stored answers to the person's booking requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from pamper.accounts.models import User
from pamper.venues.models import Client

from .models import Booking, IdempotencyRecord


def anonymise_bookings(*, customer: User, clients: Sequence[Client]) -> int:
    """Erasure: the customer's bookings lose their person, notes and the reasons the customer gave for cancelling,
    the venues' bookings of `clients` their notes.

    The venues keep their takings and diary history. Returns how many of the
    customer's bookings were detached. Cancel what is upcoming first (cancel_booking).
    """
    with transaction.atomic():
        Booking.objects.filter(customer=customer, cancelled_by=customer).update(cancel_reason="")
        count = Booking.objects.filter(customer=customer).update(customer=None, notes="")
        Booking.objects.filter(client__in=list(clients)).update(notes="")
    return count


def forget_requests(*, user: User) -> int:
    """The person's stored answers to their booking requests (idempotency records: a copy of the booking as it was
    answered, names included) go. Returns how many went; the bookings themselves are the venues' diary."""
    return IdempotencyRecord.objects.filter(user=user).delete()[0]


def account_closing(sender: Any, *, user: User, **kwargs: Any) -> None:
    """accounts.hooks.account_closing: what bookings keeps for the person alone goes, in the closing transaction
    (their bookings are anonymised with the health data, clinical.privacy.erase_health_data)."""
    forget_requests(user=user)
