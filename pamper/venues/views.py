"""Pages: the home page and a venue's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pamper.catalog.models import Category, Treatment
from pamper.lib.clock import now
from pamper.lib.meta import PageMeta, absolute, breadcrumbs, page_meta
from pamper.lib.nexturl import next_path

from .actions import set_favourite
from .models import Service, ServiceKind, Venue, VenueKind
from .queries import VenueDetail, favourite_venues, patch_test_rules, popular_treatments, venue_detail
from .structured import local_business, price_range
from .templatetags.venue_tags import minutes, money


def home(request: HttpRequest) -> HttpResponse:
    categories = Category.objects.prefetch_related(Prefetch("treatments", queryset=Treatment.objects.order_by("name")))
    return render(request, "venues/home.html", {
        "popular": popular_treatments(),
        "categories": categories,
        "patch_rules": patch_test_rules(),
        "flagship": Treatment.objects.filter(slug="mesotherapy").first(),
        "meta": page_meta(request, "Pamper", _("Find, compare and book beauty, wellness and aesthetic treatments "
                                               "near you, with honest guides and real free slots."), jsonld=[{
            "@context": "https://schema.org", "@type": "WebSite", "name": "Pamper", "url": absolute(request.path),
        }]),
    })


@dataclass
class ServiceRow:
    """One service as the venue page lists it: every sentence made here, so the template's loop only prints (a
    venue lists dozens of services; a translation tag, a reverse() or a Babel call there costs more per row than
    the row's query)."""

    service: Service
    staff_names: list[str]
    pathway: str
    name: str = ""
    duration: str = ""
    with_staff: str = ""  # "· with Ana, Bea" (escaped)
    guide_url: str = ""
    about: str = ""  # "About mesotherapy" (escaped)
    price: str = ""
    book_url: str = ""
    book_label: str = ""  # "Book Mesotherapy" (escaped)


@dataclass
class ServiceGroup:
    key: str
    label: str
    rows: list[ServiceRow]


def _service_row(service: Service, staff_names: list[str], pathway: str, venue_url: str,
                 guide_urls: dict[int, str]) -> ServiceRow:
    """The row with its sentences, as venues/venue.html wrote them (each value escaped as the template did)."""
    treatment, name = service.treatment, service.shown_name
    if service.treatment_id not in guide_urls:
        guide_urls[service.treatment_id] = treatment.get_absolute_url()
    row = ServiceRow(service, staff_names, pathway, name=name, duration=minutes(service.duration_minutes),
                     guide_url=guide_urls[service.treatment_id], price=money(service.price, service.currency),
                     book_url=f"{venue_url}book/?service={service.id}")
    if staff_names:
        row.with_staff = mark_safe(  # noqa: S308 (the names escaped)
            _("· with %(row_staff_names)s") % {"row_staff_names": escape(", ".join(staff_names))})
    # The name as the catalogue writes it: lower-casing broke brands ("hydrafacial", "(lpg)") and every German noun.
    row.about = mark_safe(_("About %(treatment_name)s") % {"treatment_name": escape(treatment.name)})  # noqa: S308
    row.book_label = mark_safe(_("Book %(service_name)s") % {"service_name": escape(name)})  # noqa: S308
    return row


def pathway_note(treatment: Treatment) -> str:
    """What has to happen before the treatment itself can be booked, in a sentence; '' when nothing."""
    hours = treatment.patch_test_lead_hours
    if treatment.consultation_required and hours is not None:
        return ngettext("Starts with a consultation and a patch test at least %(hours)s hour before the first "
                        "session.", "Starts with a consultation and a patch test at least %(hours)s hours before "
                        "the first session.", hours) % {"hours": hours}
    if treatment.consultation_required:
        return _("Starts with a consultation.")
    if hours is not None:
        return ngettext("Needs a patch test at least %(hours)s hour before.",
                        "Needs a patch test at least %(hours)s hours before.", hours) % {"hours": hours}
    return ""


def service_groups(detail: VenueDetail) -> list[ServiceGroup]:
    """Services by catalogue category; consultations and patch tests in their own group (first at clinics)."""
    names = {m.id: m.name for m in detail.staff}
    groups: dict[str, ServiceGroup] = {}
    consultations = ServiceGroup("consultations", _("Consultations and patch tests"), [])
    venue_url, guide_urls = detail.venue.get_absolute_url(), {}
    for s in detail.services:
        staff_names = [names[i] for i in detail.staff_of.get(s.id, []) if i in names]
        if s.kind == ServiceKind.CONSULTATION:
            consultations.rows.append(_service_row(s, staff_names, "", venue_url, guide_urls))
            continue
        category = s.treatment.category
        group = groups.setdefault(category.slug, ServiceGroup(category.slug, category.name, []))
        group.rows.append(_service_row(s, staff_names, pathway_note(s.treatment), venue_url, guide_urls))
    ordered = list(groups.values())
    if consultations.rows:
        ordered = [consultations, *ordered] if detail.venue.kind == VenueKind.CLINIC else [*ordered, consultations]
    return ordered


def is_open(detail: VenueDetail, local: dt.datetime) -> bool:
    """Whether the venue is open at this local time (opening hours, less closures)."""
    if any(c.start_date <= local.date() <= c.end_date for c in detail.closures):
        return False
    clock = local.time()
    return any(h.weekday == local.weekday() and h.opens <= clock < h.closes for h in detail.hours)


def staff_rows(detail: VenueDetail) -> list[tuple[object, list[str]]]:
    """(staff member, the treatments they perform by name, without repeats)."""
    by_id = {s.id: s for s in detail.services}
    rows = []
    for member in detail.staff:
        seen: dict[str, None] = {}
        for service_id in detail.services_of.get(member.id, []):
            service = by_id.get(service_id)
            if service is not None and service.kind == ServiceKind.TREATMENT:
                seen.setdefault(service.treatment.name, None)
        rows.append((member, list(seen)))
    return rows


def venue_page(request: HttpRequest, slug: str) -> HttpResponse:
    venue = get_object_or_404(Venue, slug=slug, is_published=True)
    current = now()
    detail = venue_detail(venue, now=current)
    local = current.astimezone(venue.tz)
    return render(request, "venues/venue.html", {
        "venue": venue,
        "detail": detail,
        "groups": service_groups(detail),
        "staff_rows": staff_rows(detail),
        "week": detail.week(),
        "today_name": DAY_NAMES[local.weekday()],
        "zone_abbr": local.tzname(),
        "open_now": is_open(detail, local),
        "map_zoom": 15,
        "meta": venue_meta(request, detail),
    })


def venue_meta(request: HttpRequest, detail: VenueDetail) -> PageMeta:
    """Head tags and JSON-LD of the venue page, from what the page shows."""
    venue = detail.venue
    treatments = list(dict.fromkeys(s.treatment.name for s in detail.services if s.kind == ServiceKind.TREATMENT))
    values = {"kind": venue.get_kind_display(), "city": venue.city, "treatments": ", ".join(treatments[:4]),
              "prices": price_range(detail.services)}
    if treatments:
        description = _("%(kind)s in %(city)s offering %(treatments)s (%(prices)s).") % values
    else:
        description = _("%(kind)s in %(city)s.") % values
    if venue.description:
        description = f"{description} {venue.description}"
    business = local_business(venue, services=detail.services, hours=detail.hours,
                              show_rating=bool(venue.review_count and venue.rating_avg is not None))
    trail = [(_("Home"), reverse("venues:home")), (venue.name, venue.get_absolute_url())]
    return page_meta(request, f"{venue.name}, {venue.city}", description, og_type="business.business",
                     jsonld=[business, breadcrumbs(trail)])


@login_required
@require_POST
def favourite(request: HttpRequest, slug: str) -> HttpResponse:
    """Keep (favourite=1) or drop (0) the venue, then back where the heart was (a page of this site only)."""
    venue = get_object_or_404(Venue, slug=slug, is_published=True)
    kept = set_favourite(user=request.user, venue=venue,  # type: ignore[arg-type]
                         favourite=request.POST.get("favourite", "1") == "1")
    messages.success(request, _("Saved to your favourites.") if kept else _("Removed from your favourites."))
    return redirect(next_path(request, reverse("venues:detail", args=[venue.slug]), request.POST.get("next", "")))


@login_required
def favourites(request: HttpRequest) -> HttpResponse:
    return render(request, "venues/favourites.html", {"venues": favourite_venues(request.user)})
