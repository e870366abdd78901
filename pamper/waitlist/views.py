"""Waitlist pages for customers: join for a venue's service, see what is waiting, answer an offer.

Views validate, call one action, render. Every entry and offer lookup is
scoped to the signed-in customer (anything else is a 404).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamper.bookings.queries import active_staff, online_menu
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.refusals import form_attempt
from pamper.venues.models import Venue

from . import actions, queries
from .emails import when_label
from .forms import JoinForm
from .models import Entry, Offer, OfferStatus


def _own_entry(request: HttpRequest, pk: int) -> Entry:
    return get_object_or_404(Entry, pk=pk, customer=request.user)


def _own_offer(request: HttpRequest, pk: int) -> Offer:
    return get_object_or_404(Offer.objects.select_related("entry__service", "entry__staff", "booking__venue"),
                             pk=pk, entry__customer=request.user)


@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form (?service= preselects one); POST: join, then My waitlist."""
    venue = get_object_or_404(Venue, slug=slug, is_published=True)
    menu, staff = online_menu(venue), active_staff(venue)
    # The first day the venue would book (its minimum notice may pass midnight): an earlier one is refused.
    first = (clock.now() + dt.timedelta(minutes=venue.min_notice_minutes)).astimezone(venue.tz).date()
    initial = {"first_day": first, "last_day": first, "service": request.GET.get("service", "")}
    form = JoinForm(request.POST or None, initial=initial, services=menu, staff=staff)
    book_url = ""
    if request.method == "POST" and form.is_valid():
        free: dict[str, str] = {}
        entry = form_attempt(form, partial(_join, request, venue, form, free))
        if entry is not None:
            messages.success(request, _("You are on the waitlist. We will email you when a time opens."))
            return redirect("waitlist:mine")
        if free:
            query = urlencode({"service": form.cleaned_data["service"], "day": free["start"][:10]})
            book_url = reverse("bookings:book", args=[venue.slug]) + "?" + query
    status = 422 if form.errors else 200
    return render(request, "waitlist/join.html", {"venue": venue, "form": form, "book_url": book_url},
                  status=status)


def _join(request: HttpRequest, venue: Venue, form: JoinForm, free: dict[str, str]) -> Entry:
    """The join action; a 'free now' refusal leaves its first free time in `free` for the page's link."""
    try:
        return actions.join_waitlist(customer=request.user, venue=venue,  # type: ignore[arg-type]
                                     service=form.chosen_service(), staff=form.chosen_staff(),
                                     first_day=form.cleaned_data["first_day"], last_day=form.cleaned_data["last_day"],
                                     part_of_day=form.cleaned_data["part_of_day"])
    except Refusal as refusal:
        if refusal.code == "free_now":
            free["start"] = refusal.extra["start"]
        raise


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = []
    for entry in queries.entries_of(request.user):  # type: ignore[arg-type]
        offer = queries.open_offer(entry)
        rows.append({"entry": entry, "offer": offer,
                     "when": when_label(offer.start, entry.venue.tz) if offer else ""})
    return render(request, "waitlist/mine.html", {"rows": rows})


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    actions.leave_waitlist(entry=_own_entry(request, pk))
    messages.success(request, _("You have left the waitlist."))
    return redirect("waitlist:mine")


@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_offer(request, pk)
    venue = found.booking.venue
    now = clock.now()
    context = {"offer": found, "venue": venue, "when": when_label(found.start, venue.tz),
               "until": when_label(found.expires_at, venue.tz),
               "open": found.status == OfferStatus.OPEN and found.expires_at > now}
    return render(request, "waitlist/offer.html", context)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = actions.accept_offer(offer=_own_offer(request, pk))
    messages.success(request, _("Booked. See you then!"))
    return redirect("bookings:detail", pk=found.booking_id)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    actions.decline_offer(offer=_own_offer(request, pk))
    messages.success(request, _("We let the time go. You stay on the waitlist for another."))
    return redirect("waitlist:mine")
