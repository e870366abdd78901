"""Review pages: write a review of a visit, a venue's reviews, the venue's reply, a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from pamper.bookings.models import Booking
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.methods import require_form_page
from pamper.lib.refusals import form_attempt
from pamper.venues.models import Venue

from . import actions, queries
from .forms import ReplyForm, ReportForm, ReviewForm
from .models import Kind, Review

PAGE_SIZE = 10


def _kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.VISIT
    return kind if kind in Kind.values else Kind.VISIT


def _refused(request: HttpRequest, booking: Booking, exc: Refusal) -> HttpResponse:
    context = {"booking": booking, "venue": booking.venue, "reason": exc.message, "code": exc.code}
    return render(request, "reviews/cannot_review.html", context, status=exc.status)


@login_required
@require_form_page
def write_review(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The review form for one of the signed-in customer's own attended bookings (404 for anyone else's)."""
    booking = get_object_or_404(Booking.objects.select_related("venue"), pk=booking_id, customer=request.user)
    kind = _kind(request)
    try:
        what = actions.check_eligibility(booking=booking, user=request.user, kind=kind, now=clock.now())
    except Refusal as exc:
        return _refused(request, booking, exc)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        stars = actions.Stars(*(form.cleaned_data[f] for f in ("overall", "ambience", "cleanliness", "staff", "value")))
        try:
            actions.submit_review(user=request.user, booking_id=booking.pk, stars=stars, text=form.cleaned_data["text"],
                                  kind=kind)
        except Refusal as exc:
            if exc.extra.get("field") in form.fields:
                form.add_error(exc.extra["field"], exc.message)
            else:
                return _refused(request, booking, exc)
        else:
            messages.success(
                request,
                gettext("Thank you: your review of %(venue_name)s is published.") % {"venue_name": booking.venue.name},
            )
            return redirect(reverse("reviews:venue_reviews", args=[booking.venue.slug]))
    items = booking.items.select_related("service", "staff").order_by("position")
    context = {"booking": booking, "venue": booking.venue, "form": form, "kind": kind, "what": what, "items": items}
    return render(request, "reviews/review_form.html", context, status=422 if form.is_bound else 200)


def venue_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    """All of a venue's visible reviews, newest or best first, a page at a time (htmx appends the next page)."""
    venue = get_object_or_404(Venue, slug=slug, is_published=True)
    sort = request.GET.get("sort", "newest")
    try:
        page = queries.reviews_page(venue, sort=sort, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except queries.BadCursor:
        return HttpResponseBadRequest(
            gettext("That page link is not valid any more. Go back to the first page of reviews."))
    context = {
        "venue": venue,
        "page": page,
        "sort": sort,
        "rating": queries.venue_rating(venue),
        "treatments": [] if request.htmx else queries.treatment_ratings(venue),
        "can_reply": actions.is_venue_admin(request.user, venue.pk),
    }
    template = "reviews/venue_reviews_page.html#review-list" if request.htmx else "reviews/venue_reviews_page.html"
    return render(request, template, context)


def _venue_page(review: Review) -> str:
    return reverse("reviews:venue_reviews", args=[review.venue.slug]) + f"#review-{review.pk}"


@login_required
@require_form_page
def reply(request: HttpRequest, review_id: int) -> HttpResponse:
    """The venue's reply form (owner or manager of the review's venue only)."""
    review = get_object_or_404(Review.objects.visible().select_related("venue", "customer"), pk=review_id)
    if not actions.is_venue_admin(request.user, review.venue_id):
        return render(request, "reviews/not_allowed.html", {"venue": review.venue}, status=403)
    if review.has_reply:
        messages.info(request, gettext("The venue has already replied to this review."))
        return redirect(_venue_page(review))
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and form_attempt(
            form,
            lambda: actions.reply_to_review(user=request.user, review_id=review.pk, text=form.cleaned_data["text"]),
        )
    ):
        messages.success(request, gettext("Your reply is published under the review."))
        return redirect(_venue_page(review))
    return render(
        request,
        "reviews/reply_form.html",
        {"review": review, "venue": review.venue, "form": form},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_form_page
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    """Report a review to the platform operator."""
    review = get_object_or_404(Review.objects.visible().select_related("venue", "customer"), pk=review_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_review(
                user=request.user,
                review_id=review.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except Refusal as exc:
            if exc.code not in {"already_reported", "own_review"}:
                form.add_error("note" if exc.extra.get("field") == "note" else None, exc.message)
                return render(
                    request,
                    "reviews/report_form.html",
                    {"review": review, "venue": review.venue, "form": form},
                    status=exc.status,
                )
            messages.info(request, exc.message)
        else:
            messages.success(request, gettext("Thank you. We will look at this review."))
        return redirect(_venue_page(review))
    return render(
        request,
        "reviews/report_form.html",
        {"review": review, "venue": review.venue, "form": form},
        status=422 if form.is_bound else 200,
    )
