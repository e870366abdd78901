"""Who may read which clinical record, and the log of every read.

Health data is visible to the customer it belongs to and to the clinical
staff of the venue whose client record it hangs off. The staff side is the
workspace's door (pamper.bookings.workspace: `open_workspace(user, venue_id,
Perm.CLINICAL, hidden=True)` and `Workspace.client`), the one rule for which
clients a member may open, shared with the partner pages and API; the
helpers below only name its common uses. This module keeps the customer side.

Everyone else gets Http404: a record they may not see does not exist for
them. Every read of health data goes through one of the lookups here or the
workspace and leaves an AccessLog row via log_read(). Where the venue's owner
requires two-factor sign-in, staff lookups also need a session (or token)
that passed the second factor (accounts.two_factor).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from pamper.accounts.models import Role, User
from pamper.bookings.workspace import ALLOWED, Perm, Workspace, open_workspace
from pamper.clinical.models import AccessLog, ProgressPhoto
from pamper.venues.models import Client, Venue

CUSTOMER = "customer"


def staff_access(user: User, venue_id: int) -> Workspace:
    """The user's workspace at the venue for health records; Http404 when they have no clinical role there.

    Raises TwoFactorRequired when the venue requires a second factor this request has not given.
    """
    return open_workspace(user, venue_id, Perm.CLINICAL, hidden=True)


def clinical_role(user: User | None, venue_id: int) -> str | None:
    """The user's clinical role at the venue (owner/manager/practitioner), or None."""
    try:
        return staff_access(user, venue_id).role  # type: ignore[arg-type]
    except Http404:
        return None


def clinical_venues(user: User) -> QuerySet[Venue]:
    """The venues where the user may read clinical records."""
    if not user.is_authenticated:
        return Venue.objects.none()
    return Venue.objects.filter(memberships__user=user, memberships__role__in=ALLOWED[Perm.CLINICAL]).distinct()


def venue_for_staff(user: User, venue_id: int) -> tuple[Venue, str]:
    """The venue and the user's clinical role there; Http404 for anyone else."""
    found = staff_access(user, venue_id)
    return found.venue, found.role


def venue_for_owner(user: User, venue_id: int) -> Venue:
    """The venue when the user is its owner (the access log is the owner's); Http404 otherwise."""
    venue, role = venue_for_staff(user, venue_id)
    if role != Role.OWNER:
        raise Http404("No such venue.")
    return venue


def client_for_staff(user: User, venue_id: int, client_id: int) -> tuple[Client, str]:
    """A client whose record the user may open at the venue, and their role; Http404 otherwise."""
    found = staff_access(user, venue_id)
    return found.client(client_id), found.role


def customer_clients(user: User) -> QuerySet[Client]:
    """The customer's own client records, one per venue."""
    if not user.is_authenticated:
        return Client.objects.none()
    return Client.objects.filter(user=user).select_related("venue")


def own_photo(user: User, photo_id: int) -> ProgressPhoto:
    """One of the customer's own photos (with its client and venue), for what only its customer may do (choose
    its use, withdraw it); Http404 for any other id, and for anyone else, staff included."""
    photo = ProgressPhoto.objects.filter(pk=photo_id, client__user=user).select_related("client", "venue").first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


def photo_for(user: User, photo_id: int) -> tuple[ProgressPhoto, str]:
    """A photo the user may open (its customer, or clinical staff of its venue) and the reader's role."""
    photo = ProgressPhoto.objects.filter(pk=photo_id).select_related("client", "venue", "treatment").first()
    if photo is None or not user.is_authenticated:
        raise Http404("No such photo.")
    if photo.client.user_id == user.pk:
        return photo, CUSTOMER
    try:
        staff = staff_access(user, photo.venue_id)
    except Http404:
        raise Http404("No such photo.") from None
    if not staff.may_read_records(photo.client_id):
        raise Http404("No such photo.")
    return photo, staff.role


def log_read(*, user: User, role: str, venue: Venue | None, client: Client | None, record_type: str,
             record_id: int | None, now: dt.datetime, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record one read of health data."""
    return AccessLog.objects.create(
        user=user, role=role, venue=venue, client=client, record_type=record_type, record_id=record_id,
        action=action, at=now,
    )
