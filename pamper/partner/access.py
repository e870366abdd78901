"""Who may do what in a venue's workspace, and lookups scoped to it.

Every workspace page and partner API route starts from `open_workspace`: the
venue must be one the user belongs to, or the answer is a 404 (never a 403
that would confirm the venue exists to an outsider). Inside their own venue,
a member asking for something their role does not allow gets a 403.

Every object is then fetched through the Workspace's querysets, which are
filtered by venue (and, for practitioners, by the clients they treat: the
rule in clinical.access, which the clinical pages and API use too), so
another venue's id is a 404 too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from pamper.accounts.models import ADMIN_ROLES, CLINICAL_ROLES, Membership, Role, User
from pamper.bookings.models import Booking
from pamper.clinical import access as clinical_access
from pamper.venues.models import Client, Venue


class Perm(StrEnum):
    CALENDAR = "calendar"  # see the calendar
    BOOKINGS = "bookings"  # create, move and cancel bookings
    VISITS = "visits"  # mark attended or no-show (practitioners: their own visits)
    CLIENTS = "clients"  # the client list and visit history (practitioners: clients they treat)
    CLINICAL = "clinical"  # clinical records (never reception)
    SETUP = "setup"  # services, staff, shifts, hours, closures, policies, publishing
    TEAM = "team"  # invitations and roles


ALL_ROLES = frozenset(Role)
FRONT_DESK = frozenset({Role.OWNER, Role.MANAGER, Role.RECEPTION})

ALLOWED: dict[Perm, frozenset[str]] = {
    Perm.CALENDAR: ALL_ROLES,
    Perm.BOOKINGS: FRONT_DESK,
    Perm.VISITS: ALL_ROLES,
    Perm.CLIENTS: ALL_ROLES,
    Perm.CLINICAL: CLINICAL_ROLES,
    Perm.SETUP: ADMIN_ROLES,
    Perm.TEAM: ADMIN_ROLES,
}


@dataclass
class Workspace:
    """A signed-in member acting in one venue."""

    membership: Membership
    user: User

    @property
    def venue(self) -> Venue:
        return self.membership.venue

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_practitioner(self) -> bool:
        return self.role == Role.PRACTITIONER

    def can(self, perm: Perm | str) -> bool:
        return self.role in ALLOWED[Perm(perm)]

    def require(self, perm: Perm | str) -> None:
        if not self.can(perm):
            raise PermissionDenied(f"Your role ({self.membership.get_role_display().lower()}) does not allow this.")

    def clients(self) -> QuerySet[Client]:
        """The venue's clients this member may see: practitioners only those they have treated or will treat.

        The same rule decides whose health records the clinical pages and API open (clinical.access).
        """
        return clinical_access.member_clients(self.membership)

    def may_read_records(self, client_id: int) -> bool:
        """True when this member may open the client's health records (clinical.access.record_clients)."""
        return clinical_access.record_clients(self.membership).filter(pk=client_id).exists()

    def bookings(self) -> QuerySet[Booking]:
        return Booking.objects.filter(venue=self.venue)

    def treats(self, booking: Booking) -> bool:
        """True when the member is the practitioner on one of the booking's services."""
        return booking.items.filter(staff__user=self.user).exists()

    def may_mark(self, booking: Booking) -> bool:
        """Attended/no-show: the front desk for any visit, a practitioner for their own."""
        return self.role in FRONT_DESK or (self.is_practitioner and self.treats(booking))


def member_venues(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("venue").order_by("venue__name")


def open_workspace(user: User, venue_id: int, perm: Perm | str = Perm.CALENDAR) -> Workspace:
    """The user's workspace at venue_id; Http404 when not a member, PermissionDenied when the role forbids perm."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("venue").filter(user=user, venue_id=venue_id).first()
    if membership is None:
        raise Http404("No such venue in your workspace.")
    workspace = Workspace(membership=membership, user=user)
    workspace.require(perm)
    return workspace
