"""Onboarding and the venue's own settings: create, details, policies, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pamper.bookings.workspace import Perm, Workspace, member_venues
from pamper.errors import Refusal
from pamper.venues.models import OpeningHours, Service, Shift, Staff, Venue

from .. import edits, places
from ..forms import PolicyForm, VenueForm
from .common import render_ws, workspace_view


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """One venue: straight to its calendar. Several: choose. None: how to start."""
    memberships = list(member_venues(request.user))  # type: ignore[arg-type]
    if len(memberships) == 1:
        return redirect("partner:calendar", memberships[0].venue_id)
    return render(request, "partner/index.html", {"memberships": memberships})


@login_required
def venue_new(request: HttpRequest) -> HttpResponse:
    """Create a venue; its creator becomes the owner. It stays unlisted until published."""
    form = VenueForm(request.POST or None, initial={"country": "GB"})
    if request.method == "POST" and form.is_valid() and (venue := edits.create_venue(form=form, owner=request.user)):  # type: ignore[arg-type]
        messages.success(request, f"{venue.name} is created. Add opening hours and a service, then publish it.")
        return redirect("partner:home", venue.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "hints": places.hints_for_page()}
    return render(request, "partner/venue_new.html", context, status=status)


def checklist(ws: Workspace) -> list[tuple[str, bool, str]]:
    """(what, done, section) for a venue getting ready to publish."""
    venue = ws.venue
    return [
        ("Opening hours", OpeningHours.objects.filter(venue=venue).exists(), "hours"),
        ("A service with a price", Service.objects.filter(venue=venue, is_active=True).exists(), "services"),
        ("A team member who performs it", Staff.objects.filter(venue=venue, services__isnull=False).exists(), "staff"),
        ("Their weekly shifts", Shift.objects.filter(staff__venue=venue).exists(), "staff"),
    ]


@workspace_view(Perm.CALENDAR)
def home(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """An unpublished venue's set-up checklist for its admins; everyone else goes to the calendar."""
    if ws.venue.is_published or not ws.can(Perm.SETUP):
        return redirect("partner:calendar", ws.venue.pk)
    return render_ws(request, ws, "partner/home.html", {"checklist": checklist(ws), "problems": edits.publish_problems(ws.venue)})


@workspace_view(Perm.SETUP)
def settings(request: HttpRequest, ws: Workspace) -> HttpResponse:
    # A copy: a failed form leaves its cleaned values on the instance (a blank time zone), and the page
    # around the form still renders ws.venue.
    form = VenueForm(request.POST or None, instance=Venue.objects.get(pk=ws.venue.pk))
    if request.method == "POST" and form.is_valid() and edits.update_venue(form=form, venue=ws.venue, fields=edits.VENUE_FIELDS):
        messages.success(request, "Venue details saved.")
        return redirect("partner:settings", ws.venue.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "hints": places.hints_for_page(), "section": "settings", "problems": edits.publish_problems(ws.venue)}
    return render_ws(request, ws, "partner/settings.html", context, status)


@workspace_view(Perm.SETUP)
def policies(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = PolicyForm(request.POST or None, instance=ws.venue)
    if request.method == "POST" and form.is_valid() and edits.update_venue(form=form, venue=ws.venue, fields=edits.POLICY_FIELDS):
        messages.success(request, "Booking policies saved.")
        return redirect("partner:policies", ws.venue.pk)
    status = 400 if request.method == "POST" else 200
    return render_ws(request, ws, "partner/policies.html", {"form": form, "section": "policies"}, status)


@require_POST
@workspace_view(Perm.SETUP)
def publish(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """List the venue (needs hours and a service) or take it off the search."""
    publishing = request.POST.get("publish") == "1"
    try:
        edits.set_published(venue=ws.venue, published=publishing)
    except Refusal as exc:
        messages.error(request, f"Not published yet: {exc.message}")
        return redirect("partner:home", ws.venue.pk)
    messages.success(request, f"{ws.venue.name} is {'listed: customers can find and book it' if publishing else 'hidden from search'}.")
    return redirect("partner:settings", ws.venue.pk)
