"""Bookings from the calendar: a phone or walk-in booking, move, cancel with a reason, attended, no-show.

Every write goes through pamper.bookings.actions (the same guard as online
bookings; the venue side ignores the customer notice window). With htmx the
answer is the side panel alone plus an HX-Trigger that refreshes the grid;
without it, a redirect back to the calendar (or the page again with errors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.bookings import actions as booking_actions
from pamper.bookings import attendance
from pamper.bookings.models import CHANGEABLE, Booking, Status
from pamper.bookings.workspace import Perm, Workspace
from pamper.clinical.pathway_refusals import for_venue
from pamper.errors import Refusal
from pamper.lib import clock, formats
from pamper.lib.clock import format_clock, format_local
from pamper.lib.ids import id_from
from pamper.lib.money import format_money

from .. import desk
from ..diary_forms import BookingForm, CancelForm, MoveForm
from .calendar import calendar_url
from .clients import clinical_url
from .common import local_today, parse_day, parse_start, render_ws, workspace_view
from .payments import booking_payment

REFRESH = "booking-changed"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _booking(ws: Workspace, booking_id: int) -> Booking:
    qs = ws.bookings().select_related("client", "venue").prefetch_related("items__service", "items__staff")
    return get_object_or_404(qs, pk=booking_id)


def _local_day(ws: Workspace, booking: Booking) -> dt.date:
    return booking.start.astimezone(ws.venue.tz).date()


def _alternatives(exc: Refusal, ws: Workspace) -> list[str]:
    """The nearest free times a Refusal offers, as local 'Tue 3 Mar, 14:30' strings in the active language."""
    found = []
    for slot in exc.extra.get("alternatives", []):
        start = dt.datetime.fromisoformat(slot["start"]).astimezone(ws.venue.tz)
        found.append(f"{formats.day(start, 'weekday_short')}, {format_clock(start, ws.venue.tz)}")
    return found


def _panel_context(ws: Workspace, booking: Booking, **extra: Any) -> dict[str, Any]:
    tz = ws.venue.tz
    local = booking.start.astimezone(tz)
    items = [
        {"item": i, "when": f"{format_clock(i.start, tz)}–{format_clock(i.end, tz)}",
         "price": format_money(i.price, i.currency)}
        for i in sorted(booking.items.all(), key=lambda i: i.position)
    ]
    started = clock.now() >= booking.start
    return {
        "booking": booking, "items": items, "when": format_local(booking.start, tz),
        "ends": format_clock(booking.end, tz), "price": format_money(booking.total_price, booking.currency),
        "can_change": ws.can(Perm.BOOKINGS) and booking.status in CHANGEABLE and booking.status != Status.HELD,
        "can_mark": ws.may_mark(booking) and started
        and booking.status in {Status.CONFIRMED, Status.PENDING, Status.ATTENDED, Status.NO_SHOW},
        "can_confirm": ws.can(Perm.BOOKINGS) and booking.status == Status.PENDING,
        "started": started, "calendar_link": calendar_url(ws.venue.pk, local.date()),
        "move_form": extra.pop("move_form", None)
        or MoveForm(venue=ws.venue, initial={"date": local.date(), "time": local.time()}),
        "cancel_form": extra.pop("cancel_form", None) or CancelForm(),
        "clinical_url": clinical_url(ws, booking.client_id), "section": "calendar",
        **booking_payment(ws, booking), **extra,
    }


def _panel(request: HttpRequest, ws: Workspace, booking: Booking, status: int = 200, changed: bool = False,
           **extra: Any) -> HttpResponse:
    context = _panel_context(ws, booking, **extra)
    template = "partner/_booking_panel.html" if _htmx(request) else "partner/booking.html"
    response = render_ws(request, ws, template, context, status)
    if changed:
        response["HX-Trigger"] = REFRESH
    return response


@workspace_view(Perm.CALENDAR)
def booking_detail(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    return _panel(request, ws, _booking(ws, booking_id))


def _done(request: HttpRequest, ws: Workspace, booking: Booking, message: str) -> HttpResponse:
    """After a successful change: the refreshed panel (htmx) or back to the calendar on the visit's day."""
    if _htmx(request):
        return _panel(request, ws, _booking(ws, booking.pk), changed=True, done=message)
    messages.success(request, message)
    return redirect(calendar_url(ws.venue.pk, _local_day(ws, booking)))


def _refused(request: HttpRequest, ws: Workspace, booking: Booking, exc: Refusal, **forms: Any) -> HttpResponse:
    """The panel with the refusal in the venue's words; the form that was sent (move, cancel) stays open."""
    alternatives = _alternatives(exc, ws)
    return _panel(request, ws, _booking(ws, booking.pk), status=exc.status, error=for_venue(exc),
                  alternatives=alternatives, refused_in=next(iter(forms), ""), **forms)


def _new_booking_initial(request: HttpRequest, ws: Workspace) -> dict[str, Any]:
    """Prefill from ?start=ISO&staff=id (an empty calendar cell), ?date= or ?client=id; a bad date or start is a 400."""
    initial: dict[str, Any] = {"date": parse_day(request.GET.get("date"), local_today(ws))}
    if request.GET.get("start"):
        local = parse_start(request.GET["start"]).astimezone(ws.venue.tz)
        initial["date"], initial["time"] = local.date(), local.time().replace(second=0, microsecond=0)
    for name in ("staff", "client"):
        if (picked := id_from(request.GET.get(name))) is not None:
            initial[name] = picked
    return initial


def _form_page(request: HttpRequest, ws: Workspace, form: BookingForm, status: int = 200, **extra: Any) -> HttpResponse:
    template = "partner/_booking_form.html" if _htmx(request) else "partner/booking_new.html"
    client = form.initial.get("client")
    chosen = ws.clients().filter(pk=client).first() if isinstance(client, int) else None
    # A choice already made among the candidates is kept while the desk fixes the time or the service.
    pick = "" if extra.get("candidates") or not form.is_bound else str(form.data.get("pick") or "")[:20]
    context = {"form": form, "chosen_client": chosen, "pick": pick, "section": "calendar", **extra}
    if not _htmx(request):
        # The page of its own (no script yet, or a link opened apart): a plain form, whose booking ends on the
        # calendar of its day, and a way back to the calendar. Posted with htmx, its answer had nowhere to go but
        # this page's panel, and the owner was left on a page without the calendar.
        day = (form.cleaned_data.get("date") if form.is_bound else None) or form.initial.get("date")
        context["back_url"] = calendar_url(ws.venue.pk, day or local_today(ws))
    return render_ws(request, ws, template, context, status)


@workspace_view(Perm.BOOKINGS)
def booking_new(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """A booking for a phone or walk-in client: details in, the clients on file who match shown, one picked or a
    new one.

    The desk's answer to the candidates is the form again with a `pick`
    button (a client id, or "new"); nobody is ever attached to a matching
    client without that choice.
    """
    if request.method != "POST":
        return _form_page(request, ws,
                          BookingForm(venue=ws.venue, clients=ws.clients(), initial=_new_booking_initial(request, ws)))
    form = BookingForm(request.POST, venue=ws.venue, clients=ws.clients())
    if not form.is_valid():
        return _form_page(request, ws, form, 400)
    d = form.cleaned_data
    try:
        booking = desk.book_for_client(
            venue=ws.venue, services=[d["service"]], start=d["start"], staff=d["staff"], client=d["client"],
            new_client=d["new_client"], name=d["name"], phone=d["phone"], email=d["email"], notes=d["notes"],
        )
    except Refusal as exc:
        if exc.code == "client_match":
            return _form_page(request, ws, form, candidates=exc.extra["candidates"])
        return _form_page(request, ws, form, exc.status, error=for_venue(exc), alternatives=_alternatives(exc, ws))
    return _done(request, ws, booking, gettext("Booked %(name)s for %(when)s.") % {
        "name": booking.client.name, "when": format_local(booking.start, ws.venue.tz)})


def _write(request: HttpRequest, ws: Workspace, booking_id: int, perm_check: Callable[[Booking], bool],
           write: Callable[[Booking], tuple[Booking, str]], **forms: Any) -> HttpResponse:
    booking = _booking(ws, booking_id)
    if not perm_check(booking):
        return render_ws(request, ws, "partner/forbidden.html",
                         {"message": gettext("Your role does not allow this change.")}, 403)
    try:
        changed, message = write(booking)
    except Refusal as exc:
        return _refused(request, ws, booking, exc, **forms)
    return _done(request, ws, changed, message)


@require_POST
@workspace_view(Perm.CALENDAR)
def booking_move(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    booking = _booking(ws, booking_id)
    form = MoveForm(request.POST, venue=ws.venue)
    if not ws.can(Perm.BOOKINGS):
        return render_ws(request, ws, "partner/forbidden.html",
                         {"message": gettext("Your role does not allow moving bookings.")}, 403)
    if not form.is_valid():
        return _panel(request, ws, booking, status=400, move_form=form, error=gettext("Check the new time."))

    def write(b: Booking) -> tuple[Booking, str]:
        moved = booking_actions.reschedule_booking(booking=b, start=form.cleaned_data["start"],
                                                   staff=form.cleaned_data["staff"], actor=ws.user, by_venue=True)
        return moved, gettext("Moved to %(when)s.") % {"when": format_local(moved.start, ws.venue.tz)}

    return _write(request, ws, booking_id, lambda b: True, write, move_form=form)


@require_POST
@workspace_view(Perm.CALENDAR)
def booking_cancel(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    booking = _booking(ws, booking_id)
    form = CancelForm(request.POST)
    if not ws.can(Perm.BOOKINGS):
        return render_ws(request, ws, "partner/forbidden.html",
                         {"message": gettext("Your role does not allow cancelling bookings.")}, 403)
    if not form.is_valid():
        return _panel(request, ws, booking, status=400, cancel_form=form,
                      error=gettext("Say why the visit is cancelled."))

    def write(b: Booking) -> tuple[Booking, str]:
        done = booking_actions.cancel_booking(booking=b, actor=ws.user, by_venue=True,
                                              reason=form.cleaned_data["reason"])
        if done.end <= clock.now():  # over: none of its time is left to offer again
            return done, gettext("Cancelled %(name)s's visit.") % {"name": done.client.name}
        return done, gettext("Cancelled %(name)s's visit. The time is free again.") % {"name": done.client.name}

    return _write(request, ws, booking_id, lambda b: True, write, cancel_form=form)


@require_POST
@workspace_view(Perm.VISITS)
def booking_attended(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    def write(b: Booking) -> tuple[Booking, str]:
        done = attendance.mark_attended(booking=b, actor=ws.user)
        return done, gettext("%(name)s attended.") % {"name": b.client.name}

    return _write(request, ws, booking_id, ws.may_mark, write)


@require_POST
@workspace_view(Perm.VISITS)
def booking_no_show(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    def write(b: Booking) -> tuple[Booking, str]:
        done = attendance.mark_no_show(booking=b, actor=ws.user)
        return done, gettext("%(name)s marked as a no-show.") % {"name": b.client.name}

    return _write(request, ws, booking_id, ws.may_mark, write)


@require_POST
@workspace_view(Perm.BOOKINGS)
def booking_confirm(request: HttpRequest, ws: Workspace, booking_id: int) -> HttpResponse:
    def write(b: Booking) -> tuple[Booking, str]:
        done = booking_actions.confirm_booking(booking=b, actor=ws.user)
        return done, gettext("%(name)s's booking is confirmed.") % {"name": b.client.name}

    return _write(request, ws, booking_id, lambda b: True, write)
