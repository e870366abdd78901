"""Who may read which clinical record, and the log of every read.

Health data is visible to the customer it belongs to and to the clinical
staff (owner, manager, practitioner; never reception) of the venue whose
client record it hangs off. Everyone else gets Http404: a record they may not
see does not exist for them. Every read of health data goes through one of
the `*_for_*` lookups here and leaves an AccessLog row via log_read().
Where the venue's owner requires two-factor sign-in, staff lookups also need a
session (or token) that passed the second factor (accounts.two_factor).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from pamper.accounts import two_factor
from pamper.accounts.models import CLINICAL_ROLES, Membership, Role, User
from pamper.clinical.models import AccessLog, ProgressPhoto
from pamper.venues.models import Client, Venue

CUSTOMER = "customer"


def _clinical_membership(user: User | None, venue_id: int) -> Membership | None:
    """The user's membership at the venue when its role reads clinical records, else None.

    Raises TwoFactorRequired when the venue requires a second factor this request has not given.
    """
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.select_related("venue").filter(user=user, venue_id=venue_id).first()
    if membership is None or membership.role not in CLINICAL_ROLES:
        return None
    two_factor.check_clinical(user, membership.venue)
    return membership


def clinical_role(user: User | None, venue_id: int) -> str | None:
    """The user's clinical role at the venue (owner/manager/practitioner), or None."""
    membership = _clinical_membership(user, venue_id)
    return membership.role if membership else None


def clinical_venues(user: User) -> QuerySet[Venue]:
    """The venues where the user may read clinical records."""
    if not user.is_authenticated:
        return Venue.objects.none()
    return Venue.objects.filter(memberships__user=user, memberships__role__in=CLINICAL_ROLES).distinct()


def venue_for_staff(user: User, venue_id: int) -> tuple[Venue, str]:
    """The venue and the user's clinical role there; Http404 for anyone else."""
    membership = _clinical_membership(user, venue_id)
    if membership is None:
        raise Http404("No such venue.")
    return membership.venue, membership.role


def venue_for_owner(user: User, venue_id: int) -> Venue:
    """The venue when the user is its owner (the access log is the owner's); Http404 otherwise."""
    venue, role = venue_for_staff(user, venue_id)
    if role != Role.OWNER:
        raise Http404("No such venue.")
    return venue


def client_for_staff(user: User, venue_id: int, client_id: int) -> tuple[Client, str]:
    venue, role = venue_for_staff(user, venue_id)
    client = Client.objects.filter(pk=client_id, venue=venue).select_related("venue").first()
    if client is None:
        raise Http404("No such client.")
    return client, role


def customer_clients(user: User) -> QuerySet[Client]:
    """The customer's own client records, one per venue."""
    if not user.is_authenticated:
        return Client.objects.none()
    return Client.objects.filter(user=user).select_related("venue")


def photo_for(user: User, photo_id: int) -> tuple[ProgressPhoto, str]:
    """A photo the user may open (its customer, or clinical staff of its venue) and the reader's role."""
    photo = ProgressPhoto.objects.filter(pk=photo_id).select_related("client", "venue", "treatment").first()
    if photo is None or not user.is_authenticated:
        raise Http404("No such photo.")
    if photo.client.user_id == user.pk:
        return photo, CUSTOMER
    role = clinical_role(user, photo.venue_id)
    if role is None:
        raise Http404("No such photo.")
    return photo, role


def log_read(*, user: User, role: str, venue: Venue | None, client: Client | None, record_type: str,
             record_id: int | None, now: dt.datetime, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record one read of health data."""
    return AccessLog.objects.create(
        user=user, role=role, venue=venue, client=client, record_type=record_type, record_id=record_id,
        action=action, at=now,
    )
