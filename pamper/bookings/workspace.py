"""Who may do what at a venue: the one door for staff, used by the workspace (partner) and clinical alike.

Every workspace page, partner API route, clinical staff page and clinical
staff API route starts from `open_workspace`: the venue must be one the user
belongs to, or the answer is a 404 (never a 403 that would confirm the venue
exists to an outsider). Inside their own venue, a member asking for
something their role does not allow gets a 403, except for health records,
which do not exist for a member who may not read them (`hidden=True`, a 404).
Health records also need the second factor where the venue's owner requires
it (accounts.two_factor).

Which clients a member sees is one rule, `member_clients`:
- owners and managers: every client of their venue;
- practitioners: the clients they treat, that is with a booking at the venue
  (past or to come, any status) that has a step with them;
- reception sees the client list but no health records (`record_clients` is
  empty for them); members of other venues see nothing.

Every object is then fetched through the Workspace's querysets, which are
filtered by venue, so another venue's id is a 404 too.

It lives in bookings because that is the lowest layer that can state these
rules with plain imports: the practitioner rule is about booking items, and
a workspace reads the venue's bookings; accounts and venues sit below
bookings and would have to reach up for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from pamper.accounts import two_factor
from pamper.accounts.models import ADMIN_ROLES, CLINICAL_ROLES, Membership, Role, User
from pamper.venues.models import Client, Venue

from .models import Booking, BookingItem


class Perm(StrEnum):
    CALENDAR = "calendar"  # see the calendar
    BOOKINGS = "bookings"  # create, move and cancel bookings
    VISITS = "visits"  # mark attended or no-show (practitioners: their own visits)
    CLIENTS = "clients"  # the client list and visit history (practitioners: clients they treat)
    CLINICAL = "clinical"  # clinical records (never reception; the second factor where the venue requires it)
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
    if membership.role not in ALLOWED[Perm.CLINICAL]:
        return Client.objects.none()
    return member_clients(membership)


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
            raise PermissionDenied(gettext("Your role (%(role)s) does not allow this.")
                                   % {"role": self.membership.get_role_display()})

    def clients(self) -> QuerySet[Client]:
        """The venue's clients this member may see: practitioners only those they have treated or will treat."""
        return member_clients(self.membership)

    def record_clients(self) -> QuerySet[Client]:
        """The clients whose health records this member may open (none for reception)."""
        return record_clients(self.membership)

    def may_read_records(self, client_id: int) -> bool:
        """True when this member may open the client's health records."""
        return self.record_clients().filter(pk=client_id).exists()

    def client(self, client_id: int) -> Client:
        """One client whose health records the member may open (with its venue); Http404 for any other id."""
        found = self.record_clients().filter(pk=client_id).select_related("venue").first()
        if found is None:
            raise Http404("No such client.")
        return found

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


def open_workspace(user: User | None, venue_id: int, perm: Perm | str = Perm.CALENDAR, *,
                   hidden: bool = False) -> Workspace:
    """The user's workspace at venue_id, allowed `perm`.

    Http404 when the user is not a member (or not signed in); when the role
    does not allow `perm`, PermissionDenied, or Http404 with `hidden` (health
    records: the clinical pages and API). Perm.CLINICAL then also raises
    TwoFactorRequired when the venue requires a second factor this request has not given.
    """
    if user is None or not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("venue").filter(user=user, venue_id=venue_id).first()
    if membership is None:
        raise Http404("No such venue in your workspace.")
    workspace = Workspace(membership=membership, user=user)
    if hidden and not workspace.can(perm):
        raise Http404("No such venue.")
    workspace.require(perm)
    if perm == Perm.CLINICAL:
        two_factor.check_clinical(user, membership.venue)
    return workspace


def api_workspace(request: HttpRequest, venue_id: int, perm: Perm | str = Perm.CALENDAR) -> Workspace:
    """open_workspace for an API request's authenticated user (`request.auth`, set by the bearer auth)."""
    return open_workspace(getattr(request, "auth", None), venue_id, perm)
