"""Landing pages (a treatment or a category in a town) and robots.txt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pamper.catalog.models import Category, Treatment
from pamper.gallery.queries import covers
from pamper.lib import clock
from pamper.lib.geo import format_distance
from pamper.lib.meta import page_meta
from pamper.lib.money import format_money

from . import landing, towns
from .jsonld import landing_jsonld

# Private or per-person pages, under every language prefix: the account, the venue workspace, booking and
# checkout, the API and the admin.
PRIVATE = ("accounts/", "account/", "partner/", "bookings/", "book/", "venues/*/book/", "calendar/", "api/",
           "admin/", "i18n/")


def _place(slug: str) -> towns.Town:
    place = towns.town(slug)
    if place is None:
        raise Http404(_("We list no venues in that town."))
    return place


def _range(page: landing.Landing) -> str:
    low, high = format_money(page.low, page.currency), format_money(page.high, page.currency)
    return low if low == high else f"{low}–{high}"


def _card_row(card: landing.Card, miles: bool) -> dict[str, Any]:
    return {
        "card": card,
        "distance": format_distance(card.distance_km, miles),
        "price": format_money(card.price_from, card.currency),
        "rating": f"{card.rating:.1f}" if card.rating is not None else None,
        "next": clock.format_local(card.next_available, card.timezone) if card.next_available else None,
    }


def _map(page: landing.Landing, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"center": [page.town.lat, page.town.lng],
            "markers": [{"lat": r["card"].lat, "lng": r["card"].lng, "name": r["card"].name, "url": r["card"].url,
                         "label": r["price"]} for r in rows]}


def _cover_image(page: landing.Landing) -> str:
    """The cover photo (its largest JPEG) of the first venue listed that has one, for Open Graph; '' if none."""
    found = covers(card.id for card in page.cards)
    for card in page.cards:
        jpeg = found[card.id].sources().get("jpeg", []) if card.id in found else []
        if jpeg:
            return reverse("gallery:rendition", args=[found[card.id].pk, jpeg[-1][0], "jpeg"])
    return ""


def _context(request: HttpRequest, page: landing.Landing, title: str, trail: list[tuple[str, str]],
             description: str) -> dict[str, Any]:
    miles = page.town.country == "GB"
    rows = [_card_row(card, miles) for card in page.cards]
    meta = page_meta(request, title, description, image=_cover_image(page),
                     jsonld=landing_jsonld(page, title=title, path=request.path, trail=trail))
    return {"page": page, "title": title, "rows": rows, "price_range": _range(page), "map_data": _map(page, rows),
            "trail": trail, "meta": meta}


@require_safe
def treatment_in_town(request: HttpRequest, treatment: str, town: str) -> HttpResponse:
    """/treatments/<treatment>/in/<town>/: 404 unless a venue in the town offers it."""
    subject = get_object_or_404(Treatment.objects.select_related("category"), slug=treatment)
    place = _place(town)
    page = landing.treatment_landing(subject, place, clock.now())
    if page is None:
        raise Http404(_("No venue in %(town)s offers %(name)s.") % {"town": place.shown_name, "name": subject.name})
    title = _("%(name)s in %(town)s") % {"name": subject.name, "town": place.shown_name}
    trail = [(_("Home"), reverse("venues:home")), (_("Treatments"), reverse("catalog:index")),
             (subject.name, subject.get_absolute_url()), (title, request.path)]
    values = {"count": page.venue_count, "name": subject.name, "town": place.shown_name, "range": _range(page)}
    description = _("Compare %(count)s venues offering %(name)s in %(town)s, from %(range)s: ratings, next free "
                    "slots, what it costs and what to expect. Book online.") % values
    context = _context(request, page, title, trail, description)
    return render(request, "seo/landing.html", context)


@require_safe
def category_in_town(request: HttpRequest, category: str, town: str) -> HttpResponse:
    """/treatments/category/<category>/in/<town>/: 404 unless a venue in the town offers one of its treatments."""
    subject = get_object_or_404(Category, slug=category)
    place = _place(town)
    page = landing.category_landing(subject, place, clock.now())
    if page is None:
        raise Http404(_("No venue in %(town)s offers %(name)s.") % {"town": place.shown_name, "name": subject.name})
    title = _("%(name)s in %(town)s") % {"name": subject.name, "town": place.shown_name}
    trail = [(_("Home"), reverse("venues:home")), (_("Treatments"), reverse("catalog:index")),
             (subject.name, subject.get_absolute_url()), (title, request.path)]
    names = ", ".join(t.name for t, *_ in page.offered[:4])
    values = {"count": page.venue_count, "name": subject.name, "town": place.shown_name, "range": _range(page),
              "names": names}
    description = _("%(count)s venues for %(name)s in %(town)s (%(names)s), from %(range)s: compare ratings and "
                    "free slots and book online.") % values
    return render(request, "seo/landing.html", _context(request, page, title, trail, description))


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: the sitemap index, and the private pages kept out under every language prefix."""
    prefixes = ["/"] + [f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}{path}" for prefix in prefixes for path in PRIVATE
              if not (prefix != "/" and path in ("api/", "admin/", "i18n/"))]
    lines += ["Allow: /", "", f"Sitemap: {settings.SITE_URL}{reverse('django.contrib.sitemaps.views.index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
