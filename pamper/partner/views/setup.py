"""Editors for services and prices, staff, shifts and time off, opening hours and closures."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.accounts.models import User
from pamper.bookings.workspace import Perm, Workspace
from pamper.errors import Refusal
from pamper.lib import clock, walltime
from pamper.lib.money import format_money
from pamper.lib.refusals import form_attempt
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure, OpeningHours, Service, Shift, Staff, TimeOff, Venue

from .. import cover, queries
from ..forms import ServiceForm, StaffForm
from ..schedule_forms import ClosureForm, OpeningHoursForm, ShiftForm, TimeOffForm
from .common import render_ws, workspace_view


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# Each write below is a venues action (search index kept in step); a refusal comes back as errors on the
# form (form_attempt), so the page shows it next to the field, and the helper returns None.


def _save_service(form: ServiceForm, venue: Venue, service: Service | None, by: User) -> Service | None:
    """Save the service form; a change that weakens its rules is refused next to the reason box."""
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_service(
        venue=venue, service=service, treatment=d["treatment"], name=d["name"], price=d["price"],
        duration_minutes=d["duration_minutes"], kind=d["kind"], variant=d["variant"], description=d["description"],
        buffer_before=d["buffer_before"], buffer_after=d["buffer_after"], online_bookable=d["online_bookable"],
        is_active=d["is_active"], resource=d["resource"], staff=d["staff"], position=d["position"],
        by=by, reason=d.get("rules_change_reason", ""),
    ), field="rules_change_reason")


def _save_staff(form: StaffForm, venue: Venue, staff: Staff | None) -> Staff | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.save_staff(
        venue=venue, staff=staff, name=d["name"], title=d["title"], bio=d["bio"], services=d["services"],
        user=d["user"], is_active=d["is_active"], position=d["position"],
    ))


def _add_shift(form: ShiftForm, staff: Staff) -> Shift | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_shift(
        staff=staff, weekday=d["weekday"], start=d["start"], end=d["end"], valid_from=d["valid_from"],
        valid_until=d["valid_until"],
    ))


def _add_time_off(form: TimeOffForm, staff: Staff) -> TimeOff | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_time_off(
        staff=staff, start=d["start"], end=d["end"], reason=d["reason"]))


def _add_opening_hours(form: OpeningHoursForm, venue: Venue) -> list[OpeningHours] | None:
    d = form.cleaned_data
    hours = [*queries.opening_hours(venue), (d["weekday"], d["opens"], d["closes"])]
    return form_attempt(form, lambda: venue_actions.set_opening_hours(venue=venue, hours=hours))


def _add_closure(form: ClosureForm, venue: Venue) -> Closure | None:
    d = form.cleaned_data
    return form_attempt(form, lambda: venue_actions.add_closure(
        venue=venue, start_date=d["start_date"], end_date=d["end_date"], reason=d["reason"]))


@workspace_view(Perm.SETUP)
def services(request: HttpRequest, ws: Workspace) -> HttpResponse:
    rows = Service.objects.filter(venue=ws.venue).select_related("treatment").annotate(performers=Count("staff"))
    listed = [(s, format_money(s.price, s.currency)) for s in rows]
    context = {"services": listed, "section": "services",
               "unbookable": queries.unbookable_services(ws.venue, clock.now()) if listed else []}
    return render_ws(request, ws, "partner/services.html", context)


@workspace_view(Perm.SETUP)
def service_edit(request: HttpRequest, ws: Workspace, service_id: int | None = None) -> HttpResponse:
    service = get_object_or_404(Service, venue=ws.venue, pk=service_id) if service_id else Service(venue=ws.venue)
    form = ServiceForm(request.POST or None, instance=service, venue=ws.venue)
    existing = service if service.pk else None
    if request.method == "POST" and form.is_valid():
        left = cover.service_change(existing, active=form.cleaned_data["is_active"],
                                    staff_ids={s.pk for s in form.cleaned_data["staff"]}) if existing else None
        if left and not left.confirmed_by(request.POST.get("confirm")):
            return render_ws(request, ws, "partner/service_form.html",
                             {"form": form, "service": service, "section": "services", "uncovered": left}, 409)
        if saved := _save_service(form, ws.venue, existing, ws.user):
            messages.success(
                request,
                gettext("“%(saved_name)s” saved at %(format_money)s.")
                % {"saved_name": saved.name, "format_money": format_money(saved.price, saved.currency)},
            )
            _tell_kept(request, left)
            return redirect("partner:services", ws.venue.pk)
    return render_ws(
        request,
        ws,
        "partner/service_form.html",
        {"form": form, "service": service, "section": "services"},
        _status(request),
    )


def _tell_kept(request: HttpRequest, left: cover.Uncovered | None) -> None:
    """After a change the owner confirmed: the bookings it left as they were, to move or cancel."""
    if left:
        messages.warning(request, left.kept())


def _confirm_page(request: HttpRequest, ws: Workspace, left: cover.Uncovered, *, title: str, confirm_label: str,
                  back: str, section: str) -> HttpResponse:
    """A removal that leaves bookings without cover, asked about first (409): the bookings, then the removal
    again with the bookings confirmed, or back."""
    context = {"uncovered": left, "title": title, "confirm_label": confirm_label, "action": request.path,
               "back": back, "section": section}
    return render_ws(request, ws, "partner/confirm_uncovered.html", context, 409)


@workspace_view(Perm.SETUP)
def staff_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    rows = Staff.objects.filter(venue=ws.venue).select_related("user").prefetch_related("services", "shifts")
    return render_ws(request, ws, "partner/staff.html", {"staff": rows, "section": "staff"})


@workspace_view(Perm.SETUP)
def staff_edit(request: HttpRequest, ws: Workspace, staff_id: int | None = None) -> HttpResponse:
    staff = get_object_or_404(Staff, venue=ws.venue, pk=staff_id) if staff_id else Staff(venue=ws.venue)
    existing = staff if staff.pk else None
    form = StaffForm(request.POST or None, instance=staff, venue=ws.venue)
    if request.method == "POST" and form.is_valid():
        left = cover.staff_change(existing, active=form.cleaned_data["is_active"],
                                  service_ids={s.pk for s in form.cleaned_data["services"]}) if existing else None
        if left and not left.confirmed_by(request.POST.get("confirm")):
            return render_ws(request, ws, "partner/staff_form.html",
                             {"form": form, "staff": staff, "section": "staff", "uncovered": left}, 409)
        if saved := _save_staff(form, ws.venue, existing):
            messages.success(request, gettext("%(saved_name)s saved.") % {"saved_name": saved.name})
            _tell_kept(request, left)
            return redirect("partner:schedule", ws.venue.pk, saved.pk)
    return render_ws(
        request, ws, "partner/staff_form.html", {"form": form, "staff": staff, "section": "staff"}, _status(request)
    )


def _schedule(
    request: HttpRequest, ws: Workspace, staff: Staff, shift_form: ShiftForm, off_form: TimeOffForm, status: int = 200,
    uncovered: cover.Uncovered | None = None,
) -> HttpResponse:
    upcoming = TimeOff.objects.filter(staff=staff, end__gt=clock.now()).order_by("start")
    context = {
        "staff": staff,
        "shifts": Shift.objects.filter(staff=staff),
        "time_off": upcoming,
        "shift_form": shift_form,
        "off_form": off_form,
        "section": "staff",
        "uncovered": uncovered,
    }
    return render_ws(request, ws, "partner/schedule.html", context, status)


@workspace_view(Perm.SETUP)
def schedule(request: HttpRequest, ws: Workspace, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(Staff, venue=ws.venue, pk=staff_id)
    return _schedule(request, ws, staff, ShiftForm(staff=staff), TimeOffForm(zone=ws.venue.tz))


@require_POST
@workspace_view(Perm.SETUP)
def shift_new(request: HttpRequest, ws: Workspace, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(Staff, venue=ws.venue, pk=staff_id)
    form = ShiftForm(request.POST, staff=staff)
    if not form.is_valid() or not (shift := _add_shift(form, staff)):
        return _schedule(request, ws, staff, form, TimeOffForm(zone=ws.venue.tz), 400)
    messages.success(
        request,
        gettext("Shift added: %(shift_get_weekday_display)s %(format)s–%(format2)s.")
        % {
            "shift_get_weekday_display": shift.get_weekday_display(),
            "format": walltime.text(shift.start),
            "format2": walltime.text(shift.end),
        },
    )
    return redirect("partner:schedule", ws.venue.pk, staff.pk)


@require_POST
@workspace_view(Perm.SETUP)
def shift_delete(request: HttpRequest, ws: Workspace, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, staff__venue=ws.venue, pk=shift_id)
    left = cover.shift_removal(shift)
    if left and not left.confirmed_by(request.POST.get("confirm")):
        return _confirm_page(request, ws, left, title=gettext("Remove this shift?"),
                             confirm_label=gettext("Remove the shift anyway"),
                             back=reverse("partner:schedule", args=[ws.venue.pk, shift.staff_id]), section="staff")
    venue_actions.remove_shift(shift=shift)
    messages.success(request, gettext("Shift removed."))
    _tell_kept(request, left)
    return redirect("partner:schedule", ws.venue.pk, shift.staff_id)


@require_POST
@workspace_view(Perm.SETUP)
def time_off_new(request: HttpRequest, ws: Workspace, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(Staff, venue=ws.venue, pk=staff_id)
    form = TimeOffForm(request.POST, zone=ws.venue.tz)
    if not form.is_valid():
        return _schedule(request, ws, staff, ShiftForm(staff=staff), form, 400)
    left = cover.time_off(staff, form.cleaned_data["start"], form.cleaned_data["end"])
    if left and not left.confirmed_by(request.POST.get("confirm")):
        return _schedule(request, ws, staff, ShiftForm(staff=staff), form, 409, uncovered=left)
    if not _add_time_off(form, staff):
        return _schedule(request, ws, staff, ShiftForm(staff=staff), form, 400)
    messages.success(
        request, gettext("Time off added. Existing bookings in that time stay: move or cancel them from the calendar.")
    )
    _tell_kept(request, left)
    return redirect("partner:schedule", ws.venue.pk, staff.pk)


@require_POST
@workspace_view(Perm.SETUP)
def time_off_delete(request: HttpRequest, ws: Workspace, time_off_id: int) -> HttpResponse:
    off = get_object_or_404(TimeOff, staff__venue=ws.venue, pk=time_off_id)
    venue_actions.remove_time_off(time_off=off)
    messages.success(request, gettext("Time off removed."))
    return redirect("partner:schedule", ws.venue.pk, off.staff_id)


def _hours(
    request: HttpRequest, ws: Workspace, hours_form: OpeningHoursForm, closure_form: ClosureForm, status: int = 200,
    uncovered: cover.Uncovered | None = None,
) -> HttpResponse:
    today = clock.now().astimezone(ws.venue.tz).date()
    context = {
        "hours": OpeningHours.objects.filter(venue=ws.venue),
        "closures": Closure.objects.filter(venue=ws.venue).filter(Q(end_date__gte=today)),
        "hours_form": hours_form,
        "closure_form": closure_form,
        "section": "hours",
        "uncovered": uncovered,
    }
    return render_ws(request, ws, "partner/hours.html", context, status)


@workspace_view(Perm.SETUP)
def hours(request: HttpRequest, ws: Workspace) -> HttpResponse:
    return _hours(request, ws, OpeningHoursForm(venue=ws.venue), ClosureForm(venue=ws.venue))


@require_POST
@workspace_view(Perm.SETUP)
def hours_new(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = OpeningHoursForm(request.POST, venue=ws.venue)
    if not form.is_valid() or _add_opening_hours(form, ws.venue) is None:
        return _hours(request, ws, form, ClosureForm(venue=ws.venue), 400)
    messages.success(request, gettext("Opening hours added."))
    return redirect("partner:hours", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def hours_delete(request: HttpRequest, ws: Workspace, hours_id: int) -> HttpResponse:
    row = get_object_or_404(OpeningHours, venue=ws.venue, pk=hours_id)
    rest = queries.opening_hours(row.venue, exclude=row.pk)
    try:
        venue_actions.check_opening_hours(ws.venue, rest)  # the last hours of a listed venue: refused before asking
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect("partner:hours", ws.venue.pk)
    left = cover.hours_change(ws.venue, rest)
    if left and not left.confirmed_by(request.POST.get("confirm")):
        return _confirm_page(request, ws, left, title=gettext("Remove these opening hours?"),
                             confirm_label=gettext("Remove them anyway"),
                             back=reverse("partner:hours", args=[ws.venue.pk]), section="hours")
    venue_actions.set_opening_hours(venue=row.venue, hours=rest)
    messages.success(request, gettext("Opening hours removed."))
    _tell_kept(request, left)
    return redirect("partner:hours", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def closure_new(request: HttpRequest, ws: Workspace) -> HttpResponse:
    form = ClosureForm(request.POST, venue=ws.venue)
    if not form.is_valid():
        return _hours(request, ws, OpeningHoursForm(venue=ws.venue), form, 400)
    left = cover.closure(ws.venue, form.cleaned_data["start_date"], form.cleaned_data["end_date"])
    if left and not left.confirmed_by(request.POST.get("confirm")):
        return _hours(request, ws, OpeningHoursForm(venue=ws.venue), form, 409, uncovered=left)
    if not _add_closure(form, ws.venue):
        return _hours(request, ws, OpeningHoursForm(venue=ws.venue), form, 400)
    messages.success(
        request,
        gettext("Closure added. Bookings already made for those days stay: move or cancel them from the calendar."),
    )
    _tell_kept(request, left)
    return redirect("partner:hours", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def closure_delete(request: HttpRequest, ws: Workspace, closure_id: int) -> HttpResponse:
    row = get_object_or_404(Closure, venue=ws.venue, pk=closure_id)
    venue_actions.remove_closure(closure=row)
    messages.success(request, gettext("Closure removed."))
    return redirect("partner:hours", ws.venue.pk)


@require_POST
@workspace_view(Perm.SETUP)
def service_delete(request: HttpRequest, ws: Workspace, service_id: int) -> HttpResponse:
    """Delete a service never booked; a booked one is switched off instead (its history stays)."""
    service = get_object_or_404(Service, venue=ws.venue, pk=service_id)
    left = cover.service_change(service, active=False, staff_ids=None)
    if left and not left.confirmed_by(request.POST.get("confirm")):
        return _confirm_page(request, ws, left,
                             title=gettext("Delete “%(service_name)s”?") % {"service_name": service.name},
                             confirm_label=gettext("Switch it off anyway"),
                             back=reverse("partner:services", args=[ws.venue.pk]), section="services")
    if venue_actions.remove_service(service=service):
        messages.success(request, gettext("“%(service_name)s” deleted.") % {"service_name": service.name})
    else:
        messages.success(
            request,
            gettext("“%(service_name)s” has bookings, so it is switched off rather than deleted.")
            % {"service_name": service.name},
        )
    _tell_kept(request, left)
    return redirect("partner:services", ws.venue.pk)
