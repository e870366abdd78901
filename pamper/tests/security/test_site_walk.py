"""Walk every page of the site as every kind of visitor, with an attack typed into every text field.

The world's rows get a payload in every CharField/TextField people type
(world.text_fields(): venue, service, staff, client, user, booking, review,
clinical notes and answers...). Then every route of the site, its arguments
filled from the world, is fetched with GET by an anonymous visitor, the
customer, the owner and the practitioner (and the owner's htmx partials), and:

- no page carries a live <script>, an event-handler attribute or evaluated
  template syntax: every payload comes back escaped;
- no response is a server error;
- no GET changes anything: a digest of every project table (and the mail
  outbox) is the same before and after (the clinical access log, which records
  reads on purpose, and last-used stamps are left out).

Django's admin is walked the same way as a superuser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client as HttpClient
from django.urls import reverse

from pamper.accounts.models import User

from .crawl import EXTRA_GETS, changed, fields_shown, html_problems, snapshot, urls_for
from .world import World, text_fields

pytestmark = pytest.mark.django_db

ROLES = ("owner", "customer",
         "anonymous")  # the owner first: their 405s are skipped after; owners read clinical pages too
# Fields the brief names: each must show up (escaped) on at least one page, or the walk proves nothing.
MUST_BE_SHOWN = {
    "venues.Venue.name", "venues.Venue.description", "venues.Venue.address", "venues.Service.name",
    "venues.Staff.name", "venues.Staff.title", "venues.Client.name", "venues.Client.notes", "accounts.User.name",
    "bookings.Booking.notes", "reviews.Review.text", "reviews.Review.reply_text", "clinical.Consultation.notes",
    "clinical.TreatmentSession.notes", "clinical.QuestionnaireResponse.answers",
}


@dataclass
class Walk:
    markers: dict[str, str]
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    htmx_pages: list[str] = field(default_factory=list)  # URLs answering 200 with a page that uses htmx
    post_only: set[str] = field(default_factory=set)  # URLs answering 405 to GET: no view code ran

    def get(self, client: HttpClient, who: str, url: str, **headers: str) -> None:
        response = client.get(url, **headers)
        if response.status_code == 405:
            self.post_only.add(url)
        if response.status_code >= 500:
            self.errors.append(f"[{who}] {url}: {response.status_code} {getattr(response, 'exc_info', None)}")
            return
        assert response.get("X-Content-Type-Options") == "nosniff", url
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if kind.startswith("text/html"):
            self.problems += [f"[{who}] {url}: {p}" for p in html_problems(text, self.markers)]
            if response.status_code == 200 and " hx-" in text:
                self.htmx_pages.append(url)
        self.shown |= fields_shown(text, self.markers)

    def visit(self, client: HttpClient, who: str, urls: list[str], **headers: str) -> None:
        """GET every URL; when the tables changed, find the URLs that changed them."""
        urls = [url for url in urls if url not in self.post_only]
        before = snapshot()
        for url in urls:
            self.get(client, who, url, **headers)
        tables = changed(before, snapshot())
        if not tables:
            return
        self.writes.append(f"[{who}] the walk changed {tables}")
        for url in urls:  # slow path, only on failure: name the culprit
            before = snapshot()
            client.get(url, **headers)
            if tables := changed(before, snapshot()):
                self.writes.append(f"[{who}] GET {url} changed {tables}")


def signed_in(user: User | None) -> HttpClient:
    client = HttpClient(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_the_checks_see_live_markup() -> None:
    markers = {"venues.Venue.name": "zq1q"}
    assert html_problems("<p>zq1q{{7*7}}&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x "
                         "onerror=alert(1)&gt;</p>"
                         '<input value="zq1q&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">', markers) == []
    assert html_problems("<p>zq1q<script>alert(1)</script></p>", markers)
    assert html_problems('<p title="zq1q"><img src=x onerror=alert(1)></p>', markers)
    assert html_problems("<p>zq1q49</p>", markers)
    assert html_problems('<script type="application/json">{"a": "</script><script>x()</script>"}</script>', markers)


def test_the_planted_fields_include_every_kind_of_text_people_type() -> None:
    planted = {f"{m._meta.label}.{f.name}" for m, f in text_fields()}
    assert MUST_BE_SHOWN - {"clinical.QuestionnaireResponse.answers"} <= planted


@pytest.mark.slow
def test_every_page_as_every_visitor_escapes_payloads_changes_nothing_and_never_fails(
    world: World, planted: dict[str, str]
) -> None:
    filled, unfilled = urls_for(world)
    assert not unfilled, f"add values for these routes' arguments in security/world.py: {[r.pattern for r in unfilled]}"
    urls = [url for _, url in filled] + EXTRA_GETS
    walk = Walk(world.markers)
    users = world.users()
    for role in ROLES:
        walk.visit(signed_in(users[role]), role, urls)
    walk.visit(signed_in(world.owner), "owner, htmx", sorted(set(walk.htmx_pages)), HTTP_HX_REQUEST="true")

    assert not walk.errors, "server errors:\n" + "\n".join(walk.errors)
    assert not walk.problems, "payloads not escaped:\n" + "\n".join(walk.problems)
    assert not walk.writes, "GET requests that changed data:\n" + "\n".join(walk.writes)
    missing = MUST_BE_SHOWN - walk.shown
    assert not missing, f"never shown on any page, so not tested: {sorted(missing)}"


def test_admin_pages_show_payloads_escaped(world: World, planted: dict[str, str]) -> None:
    operator = User.objects.create_superuser(email="operator@example.com", password=None, name="Operator")
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    walk = Walk(world.markers)
    walk.visit(signed_in(operator), "operator", urls)
    assert not walk.errors, "\n".join(walk.errors)
    assert not walk.problems, "\n".join(walk.problems)
    assert not walk.writes, "\n".join(walk.writes)
