"""Erasure's part in the bookings: the person leaves their bookings, the venues keep their diary and takings.

Called by clinical.privacy.erase_health_data (the health page's Erase, and closing the account), after the
upcoming visits were cancelled through actions.cancel_booking.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from pamper.accounts.models import User
from pamper.venues.models import Client

from .models import Booking


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
