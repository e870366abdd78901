"""Booking pages: pick services, staff, a day and a slot; sign in in-line; confirm; my bookings.

Views validate, call one action from `actions`, and render. Every booking
lookup is scoped to the signed-in customer (anything else is a 404). Every
time shown is the venue's local time with its zone named.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.accounts import actions as account_actions
from pamper.accounts import signin as signin_
from pamper.accounts.forms import SignInForm, SignUpForm
from pamper.errors import Refusal
from pamper.lib import clock, dates, formats
from pamper.lib.ids import id_from
from pamper.venues.models import Staff, Venue

from . import actions, hooks, paying
from .forms import CancelForm, HoldForm, MoveForm, NotesForm, PickForm
from .gates import booking_gates
from .models import Booking, Status
from .picker import build_picker
from .queries import active_staff, online_menu, staff_for_all, with_treatments

# --- lookups -----------------------------------------------------------------------------------------------


def _venue(slug: str) -> Venue:
    return get_object_or_404(Venue, slug=slug, is_published=True)


def _own(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.for_customer(request.user).with_items(), pk=pk)


def _book_context(request: HttpRequest, venue: Venue, data: QueryDict, *, error: Refusal | None = None,
                  day: dt.date | None = None) -> dict[str, Any]:
    menu, staff = online_menu(venue, treatments=False), active_staff(venue)  # the menu shows no treatment
    form = PickForm(data, services=menu, staff=staff)
    form.is_valid()
    chosen = with_treatments(form.chosen()) if "service" in form.cleaned_data else []
    able = staff_for_all(staff, chosen)
    staff_id = form.cleaned_data.get("staff")
    if staff_id not in {s.id for s in able}:
        staff_id = None
    now = clock.now()
    gates = booking_gates(customer=request.user, venue=venue, services=chosen, now=now)
    closed = [g for g in gates if not g.open]
    not_before = max((g.not_before for g in gates if g.not_before is not None), default=None)
    # A service whose pathway is not done yet has no time to offer here: its way on is shown instead.
    picker = build_picker(venue, [] if closed else chosen, staff_id, day=day or form.cleaned_data.get("day"),
                          start_day=form.cleaned_data.get("start_day"), staff=staff, now=now, not_before=not_before)
    return {
        "venue": venue, "menu": menu, "chosen_ids": {s.id for s in chosen}, "able": able, "staff_id": staff_id,
        "picker": picker, "error": error, "closed_gates": closed,
        "service_query": urlencode([("service", s.id) for s in chosen]),
        "alternatives": _alternatives(error, venue),
    }


def _alternatives(error: Refusal | None, venue: Venue) -> list[dict[str, str]]:
    """The 409's nearest free times as slot buttons ('Tue 5 May, 11:00')."""
    rows = []
    for alt in (error.extra.get("alternatives") or []) if error else []:
        local = dt.datetime.fromisoformat(alt["start"]).astimezone(venue.tz)
        label = f"{formats.day(local, 'weekday_short')}, {clock.format_clock(local, venue.tz)}"  # active language
        rows.append({"iso": alt["start"], "label": label})
    return rows


def book(request: HttpRequest, slug: str) -> HttpResponse:
    """The booking page; an htmx request (any change in the form) gets the picker part only."""
    venue = _venue(slug)
    context = _book_context(request, venue, request.GET)
    template = "bookings/book.html#picker" if request.htmx else "bookings/book.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _refused(request: HttpRequest, venue: Venue, exc: Refusal, day: dt.date | None = None) -> HttpResponse:
    context = _book_context(request, venue, request.POST, error=exc, day=day)
    return render(request, "bookings/book.html", context, status=exc.status)


def _hold_and_go(request: HttpRequest, venue: Venue, form: HoldForm) -> HttpResponse:
    start = form.cleaned_data["start"]
    staff = next((s for s in active_staff(venue) if s.id == form.cleaned_data.get("staff")), None)
    try:
        booking = actions.hold_visit(venue=venue, services=form.chosen(), start=start,
                                     customer=request.user, staff=staff)  # type: ignore[arg-type]
    except Refusal as exc:
        return _refused(request, venue, exc, day=start.astimezone(venue.tz).date())
    return redirect("bookings:checkout", pk=booking.pk)


@require_POST
def hold(request: HttpRequest, slug: str) -> HttpResponse:
    """A slot was chosen: hold it (signed in) or ask the visitor to sign in or sign up first."""
    venue = _venue(slug)
    form = HoldForm(request.POST, services=online_menu(venue), staff=active_staff(venue))
    if not form.is_valid():
        message = next(iter(form.errors.values()))[0]
        return _refused(request, venue, Refusal(400, "invalid", message))
    if not request.user.is_authenticated:
        return _signin_page(request, venue, form)
    return _hold_and_go(request, venue, form)


# --- in-line sign in / sign up --------------------------------------------------------------------------------


def _signin_page(request: HttpRequest, venue: Venue, form: HoldForm, *, signin: Any = None, signup: Any = None,
                 limited: str = "", status: int = 200) -> HttpResponse:
    start = form.cleaned_data["start"]
    context = {
        "venue": venue, "services": form.chosen(), "start": start, "when": clock.format_local(start, venue.tz),
        "start_day": start.astimezone(venue.tz).date(),
        "staff_id": form.cleaned_data.get("staff") or "", "start_iso": start.isoformat(),
        "signin": signin or SignInForm(prefix="in"), "signup": signup or SignUpForm(prefix="up"),
        "limited": limited,
    }
    return render(request, "bookings/signin.html", context, status=status)


@require_POST
def signin(request: HttpRequest, slug: str) -> HttpResponse:
    """Sign in (rate-limited like the account page) or create an account, then hold the chosen slot.

    An account with two-factor sign-in on is not signed in by its password: it goes to the code step, which then
    brings it back to this booking page with the visit chosen (nothing is held meanwhile)."""
    venue = _venue(slug)
    form = HoldForm(request.POST, services=online_menu(venue), staff=active_staff(venue))
    if not form.is_valid():
        return redirect(reverse("bookings:book", args=[venue.slug]))
    if request.POST.get("mode") == "signup":
        signup = SignUpForm(request.POST, prefix="up")
        if not signup.is_valid():
            return _signin_page(request, venue, form, signup=signup, status=400)
        d = signup.cleaned_data
        try:
            user = account_actions.sign_up(email=d["email"], name=d["name"], password=d["password1"])
        except Refusal as exc:  # the address signed up a moment ago
            signup.add_error("email", exc.message)
            return _signin_page(request, venue, form, signup=signup, status=exc.status)
        attempt = signin_.start_session(request, user)
    else:
        signin_form = SignInForm(request.POST, prefix="in")
        valid = signin_form.is_valid()
        attempt = signin_.sign_in(request, email=request.POST.get("in-email", ""),
                                  password=signin_form.cleaned_data["password"] if valid else "")
        if attempt.step == signin_.Step.LIMITED:
            return _signin_page(
                request, venue, form, signin=signin_form, status=429,
                limited=gettext("Too many sign-in attempts. Try again in a few minutes, or reset your password."))
        if attempt.step == signin_.Step.WRONG:
            if valid:
                signin_form.add_error(None, SignInForm.WRONG)
            return _signin_page(request, venue, form, signin=signin_form, status=400)
    if attempt.step == signin_.Step.CODE_NEEDED:
        back = reverse("bookings:book", args=[venue.slug]) + "?" + _visit_query(venue, form)
        return redirect(reverse("accounts:verify") + "?" + urlencode({"next": back}))
    return _hold_and_go(request, venue, form)


def _visit_query(venue: Venue, form: HoldForm) -> str:
    """The booking page's query for the chosen services, practitioner and the slot's local day."""
    pairs = [("service", s.id) for s in form.chosen()]
    if form.cleaned_data.get("staff"):
        pairs.append(("staff", form.cleaned_data["staff"]))
    pairs.append(("day", form.cleaned_data["start"].astimezone(venue.tz).date().isoformat()))
    return urlencode(pairs)


# --- checkout and confirmation ----------------------------------------------------------------------------------


def _confirmed_message(booking: Booking) -> str:
    """What the customer reads on top of their booking once the checkout went through, by where it stands now."""
    if booking.status == Status.CONFIRMED:
        return gettext("You're booked. We've sent the details by email.")
    if booking.status == Status.PENDING:
        return gettext("Booking requested: %(venue_name)s will confirm it, and we'll email you when they do.") % {
            "venue_name": booking.venue.name}
    if booking.status == Status.AWAITING_PATCH_TEST:
        return gettext("Booked, subject to your patch-test result: we'll email you once it's recorded.")
    return gettext("Your booking is saved.")


def _times(booking: Booking) -> dict[str, str]:
    zone = booking.venue.tz
    return {"when": clock.format_local(booking.start, zone), "ends": clock.format_clock(booking.end, zone)}


@login_required
def checkout(request: HttpRequest, pk: int) -> HttpResponse:
    """The held slot: review, add notes, confirm within the hold's ten minutes."""
    booking = _own(request, pk)
    if booking.status == Status.PENDING_PAYMENT:
        return redirect("payments:pay", pk=booking.pk)
    if booking.status not in (Status.HELD, Status.EXPIRED):
        return redirect("bookings:detail", pk=booking.pk)
    form = NotesForm(request.POST or None)
    error = None
    services = [i.service for i in sorted(booking.items.all(), key=lambda i: i.position)]
    terms = hooks.payment_terms(venue=booking.venue, services=services, start=booking.start)
    if request.method == "POST" and form.is_valid() and terms:
        try:  # paid (or a card kept) when booking: on to the payment page, the slot kept meanwhile
            booking = paying.await_payment(booking=booking, notes=form.cleaned_data["notes"].strip())
            hooks.start_payment(booking=booking, now=clock.now())
        except Refusal as exc:
            error = exc
        else:
            return redirect("payments:pay", pk=booking.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            booking = actions.confirm_hold(booking=booking, notes=form.cleaned_data["notes"].strip())
        except Refusal as exc:
            error = exc
        else:
            messages.success(request, _confirmed_message(booking))
            return redirect("bookings:detail", pk=booking.pk)
    # Free until the notice, or until the payment terms start keeping a fee when that comes first (None: gone).
    free_hours = max(booking.venue.cancel_notice_hours,
                     hooks.fee_from_hours(venue=booking.venue, services=services) if terms else 0)
    free_left = booking.start - dt.timedelta(hours=free_hours) > clock.now()
    context = {"booking": booking, "form": form, "error": error, **_times(booking), "payment_terms": terms,
               "free_hours": free_hours if free_left else None,
               "expires": booking.hold_expires_at.astimezone(booking.venue.tz) if booking.hold_expires_at else None,
               "expires_iso": booking.hold_expires_at.isoformat() if booking.hold_expires_at else ""}
    status = error.status if error else (400 if request.method == "POST" else 200)
    return render(request, "bookings/checkout.html", context, status=status)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a held slot back and return to the picker with the same services."""
    booking = _own(request, pk)
    services = [i.service_id for i in booking.items.all()]
    if booking.status == Status.HELD:
        actions.cancel_booking(booking=booking, actor=request.user)  # type: ignore[arg-type]
    query = urlencode([("service", s) for s in services])
    return redirect(f"{reverse('bookings:book', args=[booking.venue.slug])}?{query}")


def _detail(request: HttpRequest, booking: Booking, *, error: Refusal | None = None, status: int = 200) -> HttpResponse:
    now = clock.now()
    payment = hooks.payment_summaries([booking]).get(booking.pk)
    free = booking.free_deadline(payment["fee_from_hours"] if payment else 0)  # sooner when a deposit is kept
    context = {
        "booking": booking, "items": sorted(booking.items.all(), key=lambda i: i.position), **_times(booking),
        # None once gone: a visit booked inside the notice never had one (the grace and call notices say what holds)
        "deadline": clock.format_local(free, booking.venue.tz) if free >= now else None,
        "can_change": booking.may_change_online(now),
        "can_cancel": booking.may_cancel_online(now),
        "cancel_form": CancelForm(), "error": error,
        "payment": payment,
    }
    return render(request, "bookings/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own(request, pk))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        refused = Refusal(400, "invalid", gettext("Keep the reason under 300 characters."))
        return _detail(request, booking, error=refused, status=400)
    try:
        actions.cancel_booking(booking=booking, actor=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except Refusal as exc:
        return _detail(request, _own(request, pk), error=exc, status=exc.status)
    messages.success(request, gettext("Your booking is cancelled. The time is free for someone else."))
    return redirect("bookings:detail", pk=pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My bookings: upcoming soonest first, then the past."""
    now = clock.now()
    rows = list(
        Booking.objects.for_customer(request.user).with_items()
        .exclude(status__in=[Status.EXPIRED, Status.HELD]).order_by("start")
    )
    def row(b: Booking) -> dict[str, Any]:
        return {"booking": b, **_times(b), "can_change": b.may_change_online(now),
                "can_cancel": b.may_cancel_online(now),
                "services": ", ".join(i.service.name for i in sorted(b.items.all(), key=lambda i: i.position))}

    payments = hooks.payment_summaries(rows)
    for b in rows:
        b.payment_summary = payments.get(b.pk)  # type: ignore[attr-defined]
    rows = [b for b in rows if not (b.status == Status.CANCELLED and b.hold_expires_at)]  # released holds
    upcoming = [row(b) for b in rows if b.end >= now and b.status != Status.CANCELLED]
    cancelled = [row(b) for b in rows if b.end >= now and b.status == Status.CANCELLED]
    past = [row(b) for b in reversed(rows) if b.end < now]
    return render(request, "bookings/mine.html", {"upcoming": upcoming, "cancelled": cancelled, "past": past,
                                                  "cancel_form": CancelForm()})


# --- reschedule -------------------------------------------------------------------------------------------------


@login_required
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick a new day and time for the same services; POST moves the booking."""
    booking = _own(request, pk)
    error = None
    if request.method == "POST":
        form = MoveForm(request.POST)
        if form.is_valid() and not request.POST.get("confirmed"):
            return _confirm_move(request, booking, form)  # "from -> to" first; the same form posts it confirmed
        if form.is_valid():
            try:
                actions.reschedule_booking(booking=booking, start=form.cleaned_data["start"], actor=request.user,  # type: ignore[arg-type]
                                           **_move_staff(booking, form.cleaned_data["staff"]))
            except Refusal as exc:
                error = exc
            else:
                messages.success(request, gettext("Your booking is moved."))
                return redirect("bookings:detail", pk=pk)
        else:
            error = Refusal(400, "invalid", gettext("Choose a time from the list."))
    context = _move_context(request, booking, error)
    template = "bookings/reschedule.html#picker" if request.htmx else "bookings/reschedule.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=error.status if error else 200)


def _move_staff(booking: Booking, choice: str) -> dict[str, Any]:
    if choice == "anyone":
        return {"staff": None, "keep_staff": False}
    if (chosen := id_from(choice)) is not None:
        found = Staff.objects.filter(pk=chosen, venue_id=booking.venue_id, is_active=True).first()
        if found is None:
            raise Refusal(422, "unknown_staff", gettext("That person does not work here."))
        return {"staff": found, "keep_staff": True}
    return {"staff": None, "keep_staff": True}


def _confirm_move(request: HttpRequest, booking: Booking, form: MoveForm) -> HttpResponse:
    """The move's question: from the booked time to the chosen one, with whom; confirming posts it again."""
    zone = booking.venue.tz
    choice = form.cleaned_data["staff"] or "keep"
    chosen = id_from(choice)
    staff = Staff.objects.filter(pk=chosen, venue_id=booking.venue_id).first() if chosen is not None else None
    context = {"booking": booking, "venue": booking.venue, **_times(booking), "choice": choice, "staff": staff,
               "start": form.cleaned_data["start"].isoformat(),
               "to": clock.format_local(form.cleaned_data["start"], zone)}
    return render(request, "bookings/reschedule_confirm.html", context)


def _move_context(request: HttpRequest, booking: Booking, error: Refusal | None) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else request.GET
    venue = booking.venue
    services = [i.service for i in sorted(booking.items.all(), key=lambda i: i.position)]
    staff = active_staff(venue)
    able = staff_for_all(staff, services)
    choice = data.get("staff", "keep")
    staff_id = None
    if (chosen := id_from(choice)) in {s.id for s in able}:
        staff_id = chosen
    elif choice == "keep" and booking.requested_staff_id:
        staff_id = booking.requested_staff_id
    day = _date(data.get("day"))
    picker = build_picker(venue, services, staff_id, day=day, start_day=_date(data.get("start_day")), staff=staff,
                          now=clock.now())
    return {"booking": booking, "venue": venue, "picker": picker, "able": able, "choice": choice, "error": error,
            **_times(booking)}


def _date(value: str | None) -> dt.date | None:
    """The picker's day from the query string; garbage or a day outside dates.DIARY steers nothing (None)."""
    try:
        return dates.parse_day(value, dates.DIARY) if value else None
    except ValueError:
        return None
