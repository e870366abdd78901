"""The payment page of a booking waiting for its payment: Stripe.js takes the card, the server confirms.

Card numbers never reach Pamper: Stripe.js sends them to Stripe (a SetupIntent)
and Pamper only receives Stripe's ids. The page's CSP allows the configured
Stripe.js origin, and only this page does.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamper.bookings.models import Booking, Status
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.ids import whole_number

from . import actions, gifts, queries, rules


def _own(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.for_customer(request.user).with_items(), pk=pk)


def stripe_csp() -> dict[str, list[str]]:
    """The CSP additions a page running Stripe.js needs: its script origin (and Stripe's API and frames)."""
    parts = urlsplit(settings.STRIPE_JS_URL)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.netloc == "js.stripe.com":
        return {"script-src": [origin], "connect-src": ["https://api.stripe.com"],
                "frame-src": [origin, "https://hooks.stripe.com"]}
    return {"script-src": [origin], "connect-src": [origin]}  # a local server serves its mock and its API


@login_required
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """The card form for a booking in pending_payment; any other booking goes to its page."""
    booking = _own(request, pk)
    if booking.status != Status.PENDING_PAYMENT:
        return redirect("bookings:detail", pk=booking.pk)
    summary = queries.summaries([booking]).get(booking.pk)
    if summary is None:
        raise Http404("No payment for this booking.")
    context: dict[str, Any] = {
        "booking": booking, "payment": summary, "js_url": settings.STRIPE_JS_URL,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "when": clock.format_local(booking.start, booking.venue.tz),
        "amount": queries.money(_left_to_pay(booking, summary), summary["currency"]),
        "expires": booking.hold_expires_at.astimezone(booking.venue.tz) if booking.hold_expires_at else None,
    }
    response = render(request, "payments/pay.html", context)
    response._csp_update = stripe_csp()  # type: ignore[attr-defined]
    return response


def _left_to_pay(booking: Booking, summary: dict[str, Any]) -> int:
    """What the card still pays now: the amount due less what gift cards paid (minor units)."""
    redeemed, credited = gifts.used_on(booking.pk)
    return max(0, rules.to_minor(summary["amount"], summary["currency"]) - redeemed + credited)


def _json_refusal(exc: Refusal) -> JsonResponse:
    return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=exc.status)


@login_required
@require_POST
def card_setup(request: HttpRequest, pk: int) -> JsonResponse:
    booking = _own(request, pk)
    attempt = whole_number(request.POST.get("attempt", "0"), 50)
    if attempt is None:
        return _json_refusal(Refusal(400, "invalid", _("Reload the page and try again.")))
    try:
        secret = actions.card_setup_secret(booking=booking, attempt=attempt)
    except Refusal as exc:
        return _json_refusal(exc)
    return JsonResponse({"client_secret": secret})


@login_required
@require_POST
def card(request: HttpRequest, pk: int) -> JsonResponse:
    booking = _own(request, pk)
    seti = request.POST.get("setup_intent", "")
    if not seti.startswith("seti_") or len(seti) > 80:
        return _json_refusal(Refusal(400, "invalid", _("The card was not accepted. Please enter it again.")))
    try:
        answer = actions.use_card(booking=booking, setup_intent_id=seti)
    except Refusal as exc:
        return _json_refusal(exc)
    return JsonResponse(answer)


@login_required
@require_POST
def check(request: HttpRequest, pk: int) -> JsonResponse:
    booking = _own(request, pk)
    try:
        state = actions.refresh_payment(booking=booking)
    except Refusal as exc:
        return _json_refusal(exc)
    booking.refresh_from_db()
    done = booking.status not in (Status.PENDING_PAYMENT,)
    message = "" if done else _("The payment has not gone through. Try again or use another card.")
    return JsonResponse({"state": state, "booking_status": booking.status, "message": message,
                         "next": _after_payment(booking) if done else ""})


def _after_payment(booking: Booking) -> str:
    """Where a paid visit leads: the payment of a visit booked with it that waits for its own (a paid
    consultation's treatment, in the combined checkout), else the booking's page."""
    waiting = booking.dependants.filter(customer_id=booking.customer_id, status=Status.PENDING_PAYMENT)
    nxt = waiting.order_by("start").values_list("pk", flat=True).first()
    return reverse("payments:pay", args=[nxt]) if nxt else reverse("bookings:detail", args=[booking.pk])
