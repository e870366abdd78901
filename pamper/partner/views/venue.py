"""Onboarding and the venue's own settings: create, details, policies, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.accounts.models import User
from pamper.bookings.workspace import Perm, Workspace, member_venues
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.refusals import form_attempt
from pamper.payments import rules as payment_rules
from pamper.venues import actions as venue_actions
from pamper.venues.models import OpeningHours, Service, Shift, Staff, Venue

from .. import places, queries
from ..forms import PolicyForm, VenueForm
from .common import render_ws, workspace_view
from .payments import policy_form

VENUE_FIELDS = ("name", "kind", "description", "address", "city", "postcode", "country", "latitude", "longitude",
                "timezone", "currency", "phone", "email")
POLICY_FIELDS = ("slot_minutes", "min_notice_minutes", "horizon_days", "cancel_notice_hours", "auto_confirm",
                 "reminder_lead_hours")


def _create_venue(form: VenueForm, owner: User) -> Venue | None:
    """A new, unlisted venue owned by `owner`; None when refused (the reason is on the form)."""
    data = {name: form.cleaned_data[name] for name in VENUE_FIELDS}
    return form_attempt(form, lambda: venue_actions.create_venue(owner=owner, is_published=False, **data))


def _update_venue(form: VenueForm | PolicyForm, venue: Venue, fields: tuple[str, ...]) -> Venue | None:
    """The venue with the form's `fields` saved; None when refused (the reason is on the form)."""
    changes = {name: form.cleaned_data[name] for name in fields}
    return form_attempt(form, lambda: venue_actions.update_venue(venue=venue, **changes))


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
    if request.method == "POST" and form.is_valid() and (venue := _create_venue(form, request.user)):  # type: ignore[arg-type]
        messages.success(
            request,
            gettext("%(venue_name)s is created. Add opening hours and a service, then publish it.")
            % {"venue_name": venue.name},
        )
        return redirect("partner:home", venue.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "hints": places.hints_for_page()}
    return render(request, "partner/venue_new.html", context, status=status)


def checklist(ws: Workspace) -> list[tuple[str, bool, str]]:
    """(what, done, section) for a venue getting ready to publish."""
    venue = ws.venue
    return [
        (gettext("Opening hours"), OpeningHours.objects.filter(venue=venue).exists(), "hours"),
        (gettext("A service with a price"), Service.objects.filter(venue=venue, is_active=True).exists(), "services"),
        (gettext("A team member who performs it"), Staff.objects.filter(venue=venue, services__isnull=False).exists(),
         "staff"),
        (gettext("Their weekly shifts"), Shift.objects.filter(staff__venue=venue).exists(), "staff"),
    ]


@workspace_view(Perm.CALENDAR)
def home(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """An unpublished venue's set-up checklist for its admins; everyone else goes to the calendar."""
    if ws.venue.is_published or not ws.can(Perm.SETUP):
        return redirect("partner:calendar", ws.venue.pk)
    context = {"checklist": checklist(ws), "problems": queries.publish_problems(ws.venue),
               "unbookable": queries.unbookable_services(ws.venue, clock.now())}
    return render_ws(request, ws, "partner/home.html", context)


@workspace_view(Perm.SETUP)
def settings(request: HttpRequest, ws: Workspace) -> HttpResponse:
    # A copy: a failed form leaves its cleaned values on the instance (a blank time zone), and the page
    # around the form still renders ws.venue.
    form = VenueForm(request.POST or None, instance=Venue.objects.get(pk=ws.venue.pk))
    currency_before = ws.venue.currency
    if request.method == "POST" and form.is_valid() and _update_venue(form, ws.venue, VENUE_FIELDS):
        messages.success(request, gettext("Venue details saved."))
        if form.cleaned_data["currency"] != currency_before:  # the services moved with it, their numbers unchanged
            messages.warning(request, gettext(
                "Your services' prices are now in %(currency)s, with the same numbers as before: check each price "
                "on the Services page. Visits booked before keep the currency they were booked in.")
                % {"currency": form.cleaned_data["currency"]})
        return redirect("partner:settings", ws.venue.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "hints": places.hints_for_page(),
        "section": "settings",
        "problems": queries.publish_problems(ws.venue),
    }
    return render_ws(request, ws, "partner/settings.html", context, status)


@workspace_view(Perm.SETUP)
def policies(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = PolicyForm(request.POST or None, instance=ws.venue)
    if request.method == "POST" and form.is_valid() and _update_venue(form, ws.venue, POLICY_FIELDS):
        messages.success(request, gettext("Booking policies saved."))
        return redirect("partner:policies", ws.venue.pk)
    status = 400 if request.method == "POST" else 200
    return policies_page(request, ws, form=form, status=status)


def policies_page(request: HttpRequest, ws: Workspace, *, form: PolicyForm | None = None,
                  status: int = 200) -> HttpResponse:
    """The policies page: booking rules and, beside them, the payment policy (payments.payment_policy saves it)."""
    context = {"form": form or PolicyForm(instance=ws.venue), "payment_form": policy_form(ws),
               "pays_at_venue_only": not payment_rules.takes(ws.venue.currency), "section": "policies"}
    return render_ws(request, ws, "partner/policies.html", context, status)


@require_POST
@workspace_view(Perm.SETUP)
def publish(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """List the venue (needs hours and a service) or take it off the search."""
    publishing = request.POST.get("publish") == "1"
    problems = queries.publish_problems(ws.venue) if publishing else []
    try:
        if not problems:
            venue_actions.set_venue_published(venue=ws.venue, published=publishing)
    except Refusal as exc:
        problems = [exc.message]
    if problems:
        messages.error(request, gettext("Not published yet: %(join)s") % {"join": " ".join(problems)})
        return redirect("partner:home", ws.venue.pk)
    done = (gettext("%(venue_name)s is listed: customers can find and book it.") if publishing
            else gettext("%(venue_name)s is hidden from search."))
    messages.success(request, done % {"venue_name": ws.venue.name})
    return redirect("partner:settings", ws.venue.pk)


def for_business(request: HttpRequest) -> HttpResponse:
    """The "For business" page: what Pamper offers a venue, and the way in (sign up, then create the venue)."""
    start = reverse("partner:venue_new")
    login = reverse("accounts:login") + "?" + urlencode({"next": start})
    if not request.user.is_authenticated:
        start = reverse("accounts:signup") + "?" + urlencode({"next": start})
    return render(request, "partner/for_business.html", {"start": start, "login": login})
