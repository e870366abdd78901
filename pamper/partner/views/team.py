"""The team: members and their roles, email invitations."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.accounts import actions, two_factor
from pamper.accounts.models import CLINICAL_ROLES, Invitation, Membership, Role
from pamper.accounts.two_factor import TwoFactorRequired
from pamper.accounts.views import code_step_url
from pamper.bookings.workspace import Perm, Workspace
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.refusals import form_attempt
from pamper.venues import actions as venue_actions

from ..forms import InviteForm, RoleForm
from .common import render_ws, workspace_view


def _team(request: HttpRequest, ws: Workspace, form: InviteForm, status: int = 200) -> HttpResponse:
    now = clock.now()
    has_app = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    context = {
        "members": Membership.objects.filter(venue=ws.venue).select_related("user").annotate(two_factor=Exists(has_app))
        .order_by("user__name", "user__email"),
        "clinical_roles": CLINICAL_ROLES, "own_two_factor": two_factor.is_verified(ws.user),
        "invitations": Invitation.objects.filter(venue=ws.venue).pending(now),
        "form": form, "roles": [(r, Role(r).label) for r in actions.roles_grantable_by(ws.role)], "section": "team",
    }
    return render_ws(request, ws, "partner/team.html", context, status)


def _step_up(request: HttpRequest, ws: Workspace, exc: TwoFactorRequired) -> HttpResponse:
    """Refused for want of the second factor: say so, and go to the code step (or set-up), then back to the team."""
    messages.error(request, str(exc))
    return redirect(code_step_url(request, reverse("partner:team", args=[ws.venue.pk])))


@workspace_view(Perm.TEAM)
def team(request: HttpRequest, ws: Workspace) -> HttpResponse:
    return _team(request, ws, InviteForm(by_role=ws.role))


@require_POST
@workspace_view(Perm.TEAM)
def invite(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = InviteForm(request.POST, by_role=ws.role)
    if not form.is_valid():
        return _team(request, ws, form, 400)
    try:
        sent = form_attempt(form, lambda: actions.invite_member(
            venue=ws.venue, email=form.cleaned_data["email"], role=form.cleaned_data["role"], invited_by=ws.user,
            now=clock.now()
        ), field="email")
    except TwoFactorRequired as exc:
        return _step_up(request, ws, exc)
    if sent is None:
        return _team(request, ws, form, 409)
    invitation, _ = sent
    messages.success(
        request,
        gettext("Invitation sent to %(invitation_email)s. The link works for 7 days.")
        % {"invitation_email": invitation.email},
    )
    return redirect("partner:team", ws.venue.pk)


@require_POST
@workspace_view(Perm.TEAM)
def two_factor_policy(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """The owner turns the two-factor requirement for clinical records on or off (venues.actions has the rule)."""
    required = request.POST.get("require") == "on"
    try:
        venue_actions.set_two_factor_requirement(venue=ws.venue, required=required, by=ws.user)
    except TwoFactorRequired as exc:
        return _step_up(request, ws, exc)
    if required:
        messages.success(
            request,
            gettext(
                "Owners, managers and practitioners now need two-factor sign-in to open clinical "
                "records. Those without it are asked to set it up the next time they try."
            ),
        )
    else:
        messages.success(request, gettext("Two-factor sign-in is no longer required for clinical records."))
    return redirect("partner:team", ws.venue.pk)


@require_POST
@workspace_view(Perm.TEAM)
def invitation_revoke(request: HttpRequest, ws: Workspace, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, venue=ws.venue, pk=invitation_id)
    try:
        actions.revoke_invitation(invitation=invitation, now=clock.now())
        messages.success(
            request,
            gettext("The invitation to %(invitation_email)s no longer works.") % {"invitation_email": invitation.email},
        )
    except Refusal as exc:
        messages.error(request, exc.message)
    return redirect("partner:team", ws.venue.pk)


@require_POST
@workspace_view(Perm.TEAM)
def member_role(request: HttpRequest, ws: Workspace, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, venue=ws.venue, pk=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the roles."))
        return redirect("partner:team", ws.venue.pk)
    try:
        actions.change_role(membership=membership, role=form.cleaned_data["role"], by_role=ws.role, by=ws.user)
        messages.success(
            request,
            gettext("%(membership_user)s is now %(role)s.")
            % {"membership_user": membership.user, "role": Role(form.cleaned_data["role"]).label.lower()},
        )
    except Refusal as exc:
        messages.error(request, exc.message)
    except TwoFactorRequired as exc:
        return _step_up(request, ws, exc)
    return redirect("partner:team", ws.venue.pk)


@require_POST
@workspace_view(Perm.TEAM)
def member_remove(request: HttpRequest, ws: Workspace, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, venue=ws.venue, pk=membership_id)
    try:
        actions.remove_member(membership=membership, by_role=ws.role)
        messages.success(
            request,
            gettext("%(membership_user)s no longer belongs to %(venue_name)s.")
            % {"membership_user": membership.user, "venue_name": ws.venue.name},
        )
    except Refusal as exc:
        messages.error(request, exc.message)
    if membership.user_id == ws.user.pk and not Membership.objects.filter(pk=membership.pk).exists():
        return redirect("partner:index")
    return redirect("partner:team", ws.venue.pk)
