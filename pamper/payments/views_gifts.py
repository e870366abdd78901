"""Gift card pages: buy one for a venue (paid in the page as a booking is), my gift cards, and a code used on the
payment page of a booking. Every write is a payments action; these views validate, call it, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamper.bookings.models import Status
from pamper.errors import Refusal
from pamper.lib.ids import whole_number
from pamper.venues.models import Venue

from . import actions, gateway, gift_checkout, queries, rules, statements
from .forms import GiftCardForm, RedeemForm
from .models import GiftCard
from .views import _json_refusal, _own, stripe_csp


def _venue(venue_id: int) -> Venue:
    return get_object_or_404(Venue.objects.filter(is_published=True), pk=venue_id)


@login_required
def buy(request: HttpRequest, venue_id: int) -> HttpResponse:
    """The gift card form for a venue: amount, their name and email, a message; then the card page."""
    venue = _venue(venue_id)
    form = GiftCardForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            card = gift_checkout.buy(user=request.user, venue=venue, amount=str(data["amount"]),  # type: ignore[arg-type]
                                     recipient_email=data["recipient_email"], recipient_name=data["recipient_name"],
                                     message=data["message"])
        except Refusal as exc:
            error = exc.message
        else:
            return redirect("payments:gift_pay", card_id=card.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "payments/gift_buy.html", {"venue": venue, "form": form, "error": error,
                                                      "on": gateway.configured()}, status=status)


def _mine(request: HttpRequest, card_id: int) -> GiftCard:
    """A gift card the signed-in user is buying (by their email); 404 for anyone else's."""
    return get_object_or_404(GiftCard.objects.select_related("venue"), pk=card_id,
                             buyer_email__iexact=request.user.email)  # type: ignore[union-attr]


@login_required
def pay(request: HttpRequest, card_id: int) -> HttpResponse:
    card = _mine(request, card_id)
    if card.paid_at is not None:
        return redirect("payments:my_gift_cards")
    context: dict[str, Any] = {"card": card, "amount": queries.money(card.initial, card.currency),
                               "js_url": settings.STRIPE_JS_URL, "publishable_key": settings.STRIPE_PUBLISHABLE_KEY}
    response = render(request, "payments/gift_pay.html", context)
    response._csp_update = stripe_csp()  # type: ignore[attr-defined]
    return response


@login_required
@require_POST
def card_setup(request: HttpRequest, card_id: int) -> JsonResponse:
    card = _mine(request, card_id)
    attempt = whole_number(request.POST.get("attempt", "0"), 50)
    if attempt is None:
        return _json_refusal(Refusal(400, "invalid", _("Reload the page and try again.")))
    try:
        return JsonResponse({"client_secret": gift_checkout.card_setup_secret(card=card, attempt=attempt)})
    except Refusal as exc:
        return _json_refusal(exc)


@login_required
@require_POST
def card(request: HttpRequest, card_id: int) -> JsonResponse:
    gift = _mine(request, card_id)
    seti = request.POST.get("setup_intent", "")
    if not seti.startswith("seti_") or len(seti) > 80:
        return _json_refusal(Refusal(400, "invalid", _("The card was not accepted. Please enter it again.")))
    try:
        return JsonResponse(gift_checkout.use_card(card=gift, setup_intent_id=seti))
    except Refusal as exc:
        return _json_refusal(exc)


@login_required
@require_POST
def check(request: HttpRequest, card_id: int) -> JsonResponse:
    gift = _mine(request, card_id)
    try:
        state = gift_checkout.refresh(card=gift)
    except Refusal as exc:
        return _json_refusal(exc)
    gift.refresh_from_db()
    if gift.paid_at is None:
        return JsonResponse({"state": state, "next": "",
                             "message": _("The payment has not gone through. Try again or use another card.")})
    messages.success(request, _("Thank you: %(name)s gets the gift card by email.") % {
        "name": gift.recipient_name or gift.recipient_email})
    return JsonResponse({"state": state, "message": "", "next": reverse("payments:my_gift_cards")})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The gift cards I bought and was given: what is left on each; the code on the ones given to me."""
    return render(request, "payments/my_gift_cards.html",
                  {"cards": statements.my_gift_cards(request.user)})  # type: ignore[arg-type]


@login_required
@require_POST
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """A gift card code on a booking's payment page: it pays what it can (actions.pay_with_gift_card)."""
    booking = _own(request, pk)
    form = RedeemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the gift card's code."))
        return redirect("payments:pay", pk=booking.pk)
    try:
        answer = actions.pay_with_gift_card(booking=booking, code=form.cleaned_data["code"])
    except Refusal as exc:
        messages.error(request, str(exc.message))
        return redirect("payments:pay", pk=booking.pk)
    currency = booking.venue.currency
    used = queries.money(rules.to_minor(answer["redeemed"], currency), currency)
    if answer["status"] != Status.PENDING_PAYMENT:
        messages.success(request, _("Your gift card paid %(used)s: you're booked.") % {"used": used})
        return redirect("bookings:detail", pk=booking.pk)
    rest = queries.money(rules.to_minor(answer["left_to_pay"], currency), currency)
    messages.success(request, _("Your gift card paid %(used)s. Left to pay by card: %(rest)s.") % {
        "used": used, "rest": rest})
    return redirect("payments:pay", pk=booking.pk)
