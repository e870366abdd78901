"""Catalogue pages: the treatments A–Z, a category, and each treatment's guide page."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pamper.lib.meta import breadcrumbs, page_meta
from pamper.lib.money import format_money

from .models import Category, Treatment
from .structured import guide_article


def duration_text(minutes: int) -> str:
    """'45 minutes', '1 hour', '2 hours 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours > 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def course_text(treatment: Treatment) -> str:
    """'A single session' or '6 sessions, at least 7 days apart'."""
    if treatment.course_sessions <= 1:
        return "A single session"
    text = f"{treatment.course_sessions} sessions"
    if treatment.course_interval_days:
        days = treatment.course_interval_days
        text += f", at least {days} day{'s' if days != 1 else ''} apart"
    return text


def patch_test_text(treatment: Treatment) -> str:
    """The patch-test rule in words, or 'Not needed'."""
    if treatment.patch_test_lead_hours is None:
        return "Not needed"
    text = f"Required at least {treatment.patch_test_lead_hours} hours before the treatment"
    if treatment.patch_test_validity_days:
        text += f"; a passed test is valid for {treatment.patch_test_validity_days} days"
    return text


def price_text(treatment: Treatment) -> str:
    """'£75–£350 a session', or a single amount when the range is one price."""
    low, high = format_money(treatment.price_from, "GBP"), format_money(treatment.price_to, "GBP")
    return f"{low} a session" if low == high else f"{low}–{high} a session"


def fact_rows(treatment: Treatment) -> list[tuple[str, str]]:
    """(label, value) rows for the fact box on the guide page."""
    return [
        ("Session", f"About {duration_text(treatment.session_minutes)}"),
        ("Course", course_text(treatment)),
        ("Downtime", treatment.downtime or "None"),
        ("Consultation", "Required before the first treatment" if treatment.consultation_required else "Not needed"),
        ("Patch test", patch_test_text(treatment)),
        ("Typical price", f"{price_text(treatment)} (UK)"),
    ]


def search_choices(treatment: Treatment) -> list[str]:
    """What the "find near you" form can search for: the treatment, then each named variant."""
    return [treatment.name, *(f"{treatment.name} {variant}" for variant in treatment.variants)]


def _categories_with_treatments() -> list[Category]:
    treatments = Treatment.objects.order_by("name").only(
        "slug", "name", "summary", "category_id", "consultation_required", "patch_test_lead_hours",
        "guide_what", "guide_how",
    )
    return list(Category.objects.prefetch_related(Prefetch("treatments", queryset=treatments)))


def treatment_index(request: HttpRequest) -> HttpResponse:
    categories = [c for c in _categories_with_treatments() if c.treatments.all()]
    count = sum(len(c.treatments.all()) for c in categories)
    description = _("Guides to %(count)s beauty, wellness and aesthetic treatments: what they are, what they cost, "
                    "the risks, and where to book them.") % {"count": count}
    meta = page_meta(request, _("Treatments A–Z"), description,
                     jsonld=[breadcrumbs([(_("Home"), reverse("venues:home")), (_("Treatments"), request.path)])])
    return render(request, "catalog/index.html", {"categories": categories, "count": count, "meta": meta})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    treatments = category.treatments.order_by("name")
    others = Category.objects.exclude(pk=category.pk)
    names = ", ".join(t.name for t in treatments[:6])
    trail = [(_("Home"), reverse("venues:home")), (_("Treatments"), reverse("catalog:index")),
             (category.name, request.path)]
    meta = page_meta(request, category.name, f"{category.description} {names}".strip(), jsonld=[breadcrumbs(trail)])
    return render(request, "catalog/category.html",
                  {"category": category, "treatments": treatments, "others": others, "meta": meta})


def treatment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(
        Treatment.objects.select_related("category").prefetch_related("contraindications", "alternatives"),
        slug=slug,
    )
    return render(request, "catalog/detail.html", {
        "treatment": treatment,
        "facts": fact_rows(treatment),
        "search_choices": search_choices(treatment),
        "patch_test_hours": treatment.patch_test_lead_hours,
        "session_text": duration_text(treatment.session_minutes),
        "course_text": course_text(treatment),
        "meta": page_meta(request, _("%(name)s: what to expect, risks and prices") % {"name": treatment.name},
                          treatment.summary, og_type="article", jsonld=[
                              guide_article(treatment, language=get_language() or "en"),
                              breadcrumbs([(_("Treatments"), reverse("catalog:index")),
                                           (treatment.category.name, treatment.category.get_absolute_url()),
                                           (treatment.name, request.path)]),
                          ]),
    })
