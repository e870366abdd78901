"""Keeping and dropping favourite venues."""

from __future__ import annotations

from pamper.accounts.models import User

from ..favourites import Favourite
from ..models import Venue


def set_favourite(*, user: User, venue: Venue, favourite: bool) -> bool:
    """Keep (`favourite=True`) or drop the venue from the user's favourites; idempotent. Returns the new state."""
    if favourite:
        Favourite.objects.get_or_create(user=user, venue=venue)
    else:
        Favourite.objects.filter(user=user, venue=venue).delete()
    return favourite


def forget_favourites(*, user: User) -> int:
    """The person closes their account: the venues they kept go with it. Returns how many were dropped."""
    return Favourite.objects.filter(user=user).delete()[0]
