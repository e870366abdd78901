"""Who may treat, in the workspace: each practitioner's credentials, recorded and verified by the owner, the ones
ending soon with the bookings they affect, and the bookings flagged for a new practitioner."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamper.bookings.models import OCCUPYING
from pamper.bookings.workspace import Perm, Workspace
from pamper.lib import clock
from pamper.lib.refusals import form_attempt
from pamper.practitioners import actions
from pamper.practitioners.models import Credential, Reassignment
from pamper.practitioners.queries import affected_items, staff_credentials

from ..credential_forms import CredentialForm
from .common import local_today, render_ws, workspace_view

SOON = 30  # days: the workspace lists credentials ending within this


def _page(request: HttpRequest, ws: Workspace, form: CredentialForm, status: int = 200) -> HttpResponse:
    today = local_today(ws)
    rows = staff_credentials(ws.venue)
    ending = [(c, (c.valid_until - today).days, affected_items(c.staff, c.valid_until))
              for _staff, creds in rows for c in creds
              if c.verified and c.valid_until is not None and today <= c.valid_until <= today + dt.timedelta(SOON)]
    # Still to do: the visit is to come, still in the diary, and still with the practitioner who lost the credential.
    flagged = (Reassignment.objects.filter(venue=ws.venue, booking__start__gte=clock.now(),
                                           booking__status__in=OCCUPYING, booking__items__staff_id=F("staff_id"))
               .distinct().select_related("booking", "booking__client", "staff").order_by("booking__start"))
    context = {"rows": rows, "form": form, "ending": ending, "flagged": flagged, "today": today,
               "section": "staff", "is_owner": ws.role == "owner"}
    return render_ws(request, ws, "partner/credentials.html", context, status)


@workspace_view(Perm.SETUP)
def credentials(request: HttpRequest, ws: Workspace) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ws, CredentialForm(venue=ws.venue))
    form = CredentialForm(request.POST, request.FILES, venue=ws.venue)
    saved = form_attempt(form, lambda: actions.record_credential(
        venue=ws.venue, by=request.user, **form.cleaned_data)) if form.is_valid() else None
    if saved is None:
        return _page(request, ws, form, 400)
    messages.success(request, _("%(what)s recorded for %(name)s. Verify it against its register to make it count.")
                     % {"what": saved.get_kind_display(), "name": saved.staff.name})
    return redirect("partner:credentials", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def credential_verify(request: HttpRequest, ws: Workspace, credential_id: int) -> HttpResponse:
    credential = get_object_or_404(Credential, venue=ws.venue, pk=credential_id)
    actions.verify_credential(credential=credential, by=request.user)
    messages.success(request, _("Verified: %(what)s of %(name)s now counts.")
                     % {"what": credential.get_kind_display(), "name": credential.staff.name})
    return redirect("partner:credentials", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def credential_remove(request: HttpRequest, ws: Workspace, credential_id: int) -> HttpResponse:
    credential = get_object_or_404(Credential, venue=ws.venue, pk=credential_id)
    actions.remove_credential(credential=credential, by=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("Removed."))
    return redirect("partner:credentials", ws.venue.pk)


@workspace_view(Perm.SETUP)
def credential_certificate(request: HttpRequest, ws: Workspace, credential_id: int) -> HttpResponse:
    """The certificate file, decrypted, for the venue's owner and managers only."""
    credential = get_object_or_404(Credential, venue=ws.venue, pk=credential_id)
    try:
        data = actions.read_certificate(credential)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=credential.certificate_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="certificate-{credential.pk}"'
    response["Cache-Control"] = "private, no-store"
    return response
