"""Who may read which clinical record, and the log of every read.

Health data is visible to the customer it belongs to and to the clinical
staff of the venue whose client record it hangs off. Which clients a member
sees is one rule, `member_clients`, used by the workspace client pages, the
clinical pages and the clinical API alike:

- owners and managers: every client of their venue;
- practitioners: the clients they treat, that is with a booking at the venue
  (past or to come, any status) that has a step with them;
- reception sees the client list but no health records (`record_clients`
  is empty for them); members of other venues see nothing.

Everyone else gets Http404: a record they may not see does not exist for
them. Every read of health data goes through one of the lookups here and
leaves an AccessLog row via log_read(). Where the venue's owner requires
two-factor sign-in, staff lookups also need a session (or token) that passed
the second factor (accounts.two_factor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from pamper.accounts import two_factor
from pamper.accounts.models import CLINICAL_ROLES, Membership, Role, User
from pamper.bookings.models import BookingItem
from pamper.clinical.models import AccessLog, ProgressPhoto
from pamper.venues.models import Client, Venue

CUSTOMER = "customer"


def member_clients(membership: Membership) -> QuerySet[Client]:
    """The clients of the membership's venue that this member may see (the rule; see the module docstring).

    Practitioners: only clients with a booking at the venue that has a step
    with them; every other role: all the venue's clients. A subquery, so the
    result can be annotated or counted without duplicate rows.
    """
    clients = Client.objects.filter(venue_id=membership.venue_id)
    if membership.role == Role.PRACTITIONER:
        treated = BookingItem.objects.filter(venue_id=membership.venue_id, staff__user_id=membership.user_id)
        clients = clients.filter(pk__in=treated.values("booking__client_id"))
    return clients


def record_clients(membership: Membership) -> QuerySet[Client]:
    """The clients whose health records this member may read and write: those they see, for clinical roles only."""
    if membership.role not in CLINICAL_ROLES:
        return Client.objects.none()
    return member_clients(membership)


@dataclass(frozen=True)
class StaffAccess:
    """A clinical member at one venue: their role and the clients whose records they may open."""

    membership: Membership

    @property
    def venue(self) -> Venue:
        return self.membership.venue

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def clients(self) -> QuerySet[Client]:
        return record_clients(self.membership)

    def client(self, client_id: int) -> Client:
        """One client whose record the member may open; Http404 for any other id."""
        found = self.clients.filter(pk=client_id).select_related("venue").first()
        if found is None:
            raise Http404("No such client.")
        return found


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


def staff_access(user: User, venue_id: int) -> StaffAccess:
    """The user's clinical access at the venue; Http404 when they have no clinical role there."""
    membership = _clinical_membership(user, venue_id)
    if membership is None:
        raise Http404("No such venue.")
    return StaffAccess(membership)


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


def photo_for(user: User, photo_id: int) -> tuple[ProgressPhoto, str]:
    """A photo the user may open (its customer, or clinical staff of its venue) and the reader's role."""
    photo = ProgressPhoto.objects.filter(pk=photo_id).select_related("client", "venue", "treatment").first()
    if photo is None or not user.is_authenticated:
        raise Http404("No such photo.")
    if photo.client.user_id == user.pk:
        return photo, CUSTOMER
    membership = _clinical_membership(user, photo.venue_id)
    if membership is None or not record_clients(membership).filter(pk=photo.client_id).exists():
        raise Http404("No such photo.")
    return photo, membership.role


def log_read(*, user: User, role: str, venue: Venue | None, client: Client | None, record_type: str,
             record_id: int | None, now: dt.datetime, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record one read of health data."""
    return AccessLog.objects.create(
        user=user, role=role, venue=venue, client=client, record_type=record_type, record_id=record_id,
        action=action, at=now,
    )
