"""The client list and each client's visit history (clinical records are linked, never shown here)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from pamper.bookings.models import Booking
from pamper.bookings.workspace import FRONT_DESK, Perm, Workspace
from pamper.lib.clock import format_local
from pamper.lib.money import format_money
from pamper.venues import actions as venue_actions

from ..diary_forms import ClientForm
from .common import render_ws, workspace_view

PAGE_SIZE = 50
# The clinical app's page for one client's records (the clinical app owns it and logs every read).
CLINICAL_CLIENT_URL = "clinical:staff_client"


def clinical_url(ws: Workspace, client_id: int) -> str | None:
    """The link to the client's clinical records when this member may open them (clinical.access), else None."""
    if not ws.can(Perm.CLINICAL) or not ws.may_read_records(client_id):
        return None
    try:
        return reverse(CLINICAL_CLIENT_URL, kwargs={"venue_id": ws.venue.pk, "client_id": client_id})
    except NoReverseMatch:  # the clinical app is not installed
        return None


@workspace_view(Perm.CLIENTS)
def clients(request: HttpRequest, ws: Workspace) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    rows = ws.clients().annotate(visits=Count("bookings", distinct=True), last_visit=Max("bookings__start"))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query))
    page = Paginator(rows.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    tz = ws.venue.tz
    listed = [(c, format_local(c.last_visit, tz) if c.last_visit else "") for c in page]
    return render_ws(request, ws, "partner/clients.html",
                     {"page": page, "clients": listed, "q": query, "section": "clients"})


def _history(client_id: int, ws: Workspace) -> list[dict]:
    bookings = (Booking.objects.filter(venue=ws.venue, client_id=client_id)
                .prefetch_related("items__service", "items__staff").order_by("-start"))
    return [
        {
            "booking": b, "when": format_local(b.start, ws.venue.tz), "price": format_money(b.total_price, b.currency),
            "day": b.start.astimezone(ws.venue.tz).date().isoformat(),
            "services": ", ".join(
                gettext("%(service)s with %(staff)s") % {"service": i.service.name, "staff": i.staff.name}
                for i in b.items.all()
            ),
        }
        for b in bookings
    ]


@workspace_view(Perm.CLIENTS)
def client_detail(request: HttpRequest, ws: Workspace, client_id: int) -> HttpResponse:
    client = get_object_or_404(ws.clients(), pk=client_id)
    may_edit = ws.role in FRONT_DESK
    form = ClientForm(request.POST or None, instance=client) if may_edit else None
    if request.method == "POST":
        if form is None:
            return render_ws(request, ws, "partner/forbidden.html",
                             {"message": gettext("Your role does not allow editing clients.")}, 403)
        if form.is_valid():
            d = form.cleaned_data
            venue_actions.update_client(client=client, name=d["name"], phone=d["phone"], email=d["email"],
                                        notes=d["notes"])
            messages.success(request, gettext("Client details saved."))
            return redirect("partner:client", ws.venue.pk, client.pk)
    context = {
        "client": client, "form": form, "history": _history(client.pk, ws), "clinical_url": clinical_url(ws, client.pk),
        "section": "clients",
    }
    return render_ws(request, ws, "partner/client.html", context, 400 if request.method == "POST" else 200)
