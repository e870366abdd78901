"""The customer's photo pages: a photo, the choice of its use, its withdrawal, and a course's before/after."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.clinical import access, actions
from pamper.clinical.forms import PhotoUseForm
from pamper.clinical.models import Course
from pamper.clinical.views.common import compare_pairs, photo_response, signed_in_or_404
from pamper.lib import clock


@signed_in_or_404
def my_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo, role = access.photo_for(request.user, photo_id)  # type: ignore[arg-type]
    if role != access.CUSTOMER:
        raise Http404("No such photo.")
    return photo_response(photo, request.user, role, clock.now())  # type: ignore[arg-type]


@signed_in_or_404
@require_POST
def my_photo_use(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = access.own_photo(request.user, photo_id)  # type: ignore[arg-type]
    form = PhotoUseForm(request.POST)
    if form.is_valid():
        actions.set_photo_use(user=request.user, photo=photo, use=form.cleaned_data["use"])  # type: ignore[arg-type]
        messages.success(request, gettext("Your choice for that photo is saved."))
    else:
        messages.error(request, gettext("Choose how the photo may be used."))
    return redirect(reverse("clinical:health") + "#photos")


@signed_in_or_404
@require_POST
def my_photo_withdraw(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = access.own_photo(request.user, photo_id)  # type: ignore[arg-type]
    actions.withdraw_photo(user=request.user, photo=photo, now=clock.now())  # type: ignore[arg-type]
    messages.success(request, gettext("The photo has been withdrawn and destroyed."))
    return redirect(reverse("clinical:health") + "#photos")


@signed_in_or_404
def compare(request: HttpRequest, course_id: int) -> HttpResponse:
    course = Course.objects.filter(pk=course_id, client__user=request.user).select_related("treatment",
                                                                                          "venue").first()
    if course is None:
        raise Http404("No such course.")
    access.log_read(user=request.user, role=access.CUSTOMER, venue=course.venue,  # type: ignore[arg-type]
                    client=course.client, record_type="course", record_id=course.pk, now=clock.now())
    shown = [p for p in course.client.progress_photos.filter(treatment=course.treatment) if p.use != "clinical"]
    return render(request, "clinical/compare.html", {"course": course, "pairs": compare_pairs(shown),
                                                      "photo_url": "clinical:my_photo", "hidden": not shown})
