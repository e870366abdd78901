"""Catalogue pages: the treatments A–Z, a category, and each treatment's guide page."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

from pamper.lib.formats import visitor_currency
from pamper.lib.meta import breadcrumbs, page_meta
from pamper.lib.money import format_money_range, rough_convert

from .i18n import SOURCE_LANGUAGE
from .i18n import english as english_value
from .models import Category, Treatment
from .structured import guide_article


def duration_text(minutes: int) -> str:
    """'45 minutes', '1 hour', '2 hours 30 minutes' in the active language."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)


def course_text(treatment: Treatment) -> str:
    """'A single session' or '6 sessions, at least 7 days apart'."""
    sessions = treatment.course_sessions
    if sessions <= 1:
        return _("A single session")
    days = treatment.course_interval_days
    if days:
        return ngettext("%(sessions)d sessions, at least %(days)d day apart",
                        "%(sessions)d sessions, at least %(days)d days apart", days) % {"sessions": sessions,
                                                                                        "days": days}
    return _("%(sessions)d sessions") % {"sessions": sessions}


def patch_test_text(treatment: Treatment) -> str:
    """The patch-test rule in words, or 'Not needed'."""
    hours = treatment.patch_test_lead_hours
    if hours is None:
        return _("Not needed")
    text = _("Required at least %(hours)d hours before the treatment") % {"hours": hours}
    if treatment.patch_test_validity_days:
        text += "; " + _("a passed test is valid for %(days)d days") % {"days": treatment.patch_test_validity_days}
    return text


def price_text(treatment: Treatment, currency: str = "GBP") -> str:
    """'£75–£350 a session' (UK prices), or roughly the same in `currency` ('90 €–410 €'): the reader's money."""
    low = rough_convert(treatment.price_from, "GBP", currency)
    high = rough_convert(treatment.price_to, "GBP", currency)
    return _("%(price)s a session") % {"price": format_money_range(low, high, currency)}


def fact_rows(treatment: Treatment, currency: str = "GBP") -> list[tuple[str, str]]:
    """(label, value) rows for the fact box on the guide page; prices in `currency`."""
    price = price_text(treatment, currency)
    return [
        (_("Session"), _("About %(duration)s") % {"duration": duration_text(treatment.session_minutes)}),
        (_("Course"), course_text(treatment)),
        (_("Downtime"), treatment.downtime or _("None")),
        (_("Consultation"), _("Required before the first treatment") if treatment.consultation_required
         else _("Not needed")),
        (_("Patch test"), patch_test_text(treatment)),
        (_("Typical price"), _("%(price)s (typical UK price)") % {"price": price} if currency == "GBP"
         else _("about %(price)s (typical UK price, converted)") % {"price": price}),
    ]


def search_choices(treatment: Treatment) -> list[tuple[str, str]]:
    """(query, label) pairs the "find near you" form offers: the treatment, then each named variant. The query of a
    variant stays English (what the search's variant words are), the label is in the reader's language."""
    english = english_value(treatment, "name")
    return [(treatment.name, treatment.name), *((f"{english} {variant}", f"{treatment.name} ({label})")
                                               for variant, label in zip(treatment.variants,
                                                                         map(treatment.variant_label,
                                                                             treatment.variants), strict=True))]


def _categories_with_treatments() -> list[Category]:
    treatments = Treatment.objects.order_by("name").only(
        "slug", "name", "summary", "category_id", "consultation_required", "patch_test_lead_hours",
        "guide_what", "guide_how", "translations",
    )
    categories = list(Category.objects.prefetch_related(Prefetch("treatments", queryset=treatments)))
    for category in categories:  # A–Z in the reader's language, not the stored English
        category.treatments_sorted = sorted(category.treatments.all(), key=lambda t: t.name.casefold())
    return categories


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
    treatments = sorted(category.treatments.all(), key=lambda t: t.name.casefold())
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
    language = get_language() or SOURCE_LANGUAGE
    guide_in_english = treatment.guide_language != language[:2]
    return render(request, "catalog/detail.html", {
        "treatment": treatment,
        "guide_in_english": guide_in_english,
        "language_name": get_language_info(language)["name_local"] if guide_in_english else "",
        "facts": fact_rows(treatment, visitor_currency(get_language(), request.headers.get("Accept-Language", ""))),
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
