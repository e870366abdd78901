"""Rooms and devices: what some services need besides a practitioner (a treatment room, a laser)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.bookings.workspace import Perm, Workspace
from pamper.lib.refusals import form_attempt
from pamper.venues import actions as venue_actions
from pamper.venues.models import Resource, Venue

from ..forms import ResourceForm
from .common import render_ws, workspace_view


def _save_resource(form: ResourceForm, venue: Venue, resource: Resource | None) -> Resource | None:
    """The saved room or device; None when refused (the reason is on the form)."""
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_resource(
        venue=venue, resource=resource, name=d["name"], kind=d["kind"]))


def _page(request: HttpRequest, ws: Workspace, form: ResourceForm, status: int = 200,
          editing: int | None = None) -> HttpResponse:
    rows = (Resource.objects.filter(venue=ws.venue).annotate(service_count=Count("services", distinct=True))
            .prefetch_related("services").order_by("kind", "name"))
    add_form = form if editing is None else ResourceForm(venue=ws.venue)
    context = {"resources": rows, "form": form, "add_form": add_form, "editing": editing, "section": "services"}
    return render_ws(request, ws, "partner/resources.html", context, status)


@workspace_view(Perm.SETUP)
def resources(request: HttpRequest, ws: Workspace) -> HttpResponse:
    return _page(request, ws, ResourceForm(venue=ws.venue))


@require_POST
@workspace_view(Perm.SETUP)
def resource_save(request: HttpRequest, ws: Workspace, resource_id: int | None = None) -> HttpResponse:
    """Add a room or device, or rename one (its id in the path)."""
    resource = get_object_or_404(Resource, venue=ws.venue, pk=resource_id) if resource_id else None
    form = ResourceForm(request.POST, instance=resource, venue=ws.venue)
    saved = _save_resource(form, ws.venue, resource) if form.is_valid() else None
    if saved is None:
        return _page(request, ws, form, 400, editing=resource_id)
    messages.success(
        request,
        gettext("%(saved_get_kind_display)s “%(saved_name)s” saved.")
        % {"saved_get_kind_display": saved.get_kind_display(), "saved_name": saved.name},
    )
    return redirect("partner:resources", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def resource_delete(request: HttpRequest, ws: Workspace, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(Resource, venue=ws.venue, pk=resource_id)
    if venue_actions.remove_resource(resource=resource):
        messages.success(
            request,
            gettext("“%(resource_name)s” deleted; the services that needed it no longer do.")
            % {"resource_name": resource.name},
        )
    else:
        messages.error(
            request,
            gettext(
                "“%(resource_name)s” is part of past or booked visits, so it stays. To stop using it, take it off "
                "its services."
            )
            % {"resource_name": resource.name},
        )
    return redirect("partner:resources", ws.venue.pk)
