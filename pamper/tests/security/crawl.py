"""Walk the URL resolver, fill each route's arguments from a World, and read what comes back.

`routes()` lists every route (admin left out: it has its own walk) with the
keyword arguments it needs. `urls_for(world)` turns each into concrete URLs;
a route whose arguments the world cannot fill is reported, not skipped
silently. `html_problems(body)` says where a page carries live markup an
attacker typed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from pamper.accounts.emails import confirmation_token
from pamper.seo.sitemaps import SITEMAPS

from .world import SCRIPT, TEMPLATE, World, password_reset_token

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # e.g. "partner/<int:venue_id>/clients/"
    name: str  # e.g. "partner:clients"

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.pattern)]


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> list[Route]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            found += _walk(entry, prefix + str(entry.pattern), inner or "")
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            found.append(Route(prefix + str(entry.pattern), name))
    return found


def routes() -> list[Route]:
    """Every route of the site except Django's admin (regex routes such as static files left out)."""
    return [r for r in _walk(get_resolver(), "", "") if not r.pattern.startswith("admin/") and "^" not in r.pattern]


def _special(route: Route, world: World) -> dict[str, list[str]]:
    """Arguments whose meaning depends on the route: slugs and tokens."""
    if route.name == "notifications:feed":
        return {"token": [world.feed_raw]}
    if route.name == "accounts:invitation":
        return {"token": [world.invitation_raw]}
    if route.name == "accounts:password_reset_confirm":
        return {"token": [password_reset_token(world.customer)]}
    if route.name == "accounts:confirm_email":  # the customer's address is confirmed already: a POST changes nothing
        return {"token": [confirmation_token(world.customer)]}
    if route.name.startswith(("bookings:", "payments:")) or route.name == "notifications:booking_ics":
        return {"pk": [str(b.pk) for b in (world.past, world.upcoming, world.walk_in_booking)],
                "slug": [world.venue.slug]}
    if route.name.startswith("waitlist:"):
        return {"pk": [str(world.waitlist_entry.pk)], "slug": [world.venue.slug]}
    if route.name == "gallery:rendition":
        width = min(w for w, _ in world.gallery_photo.sources().get("jpeg", [(480, "")]))
        return {"photo_id": [str(world.gallery_photo.pk)], "width": [str(width)], "fmt": ["jpeg", "webp"]}
    if route.name.startswith("django.contrib.sitemaps"):
        return {"section": list(SITEMAPS)}
    if "/in/<slug:town>/" in route.pattern:
        return {"category": [world.category.slug], "treatment": [world.meso.slug, world.facial.slug],
                "town": ["london"]}
    if "treatments/category/" in route.pattern:
        return {"slug": [world.category.slug]}
    if "treatments/" in route.pattern:
        return {"slug": [world.meso.slug, world.facial.slug]}
    return {"slug": [world.venue.slug]}


def urls_for(world: World) -> tuple[list[tuple[Route, str]], list[Route]]:
    """(route, url) for every route the world can fill, and the routes it cannot."""
    values = world.url_values()
    filled, unfilled = [], []
    for route in routes():
        known = {**values, **_special(route, world)}
        if any(not known.get(p) for p in route.params):
            unfilled.append(route)
            continue
        for combo in itertools.product(*(known[p] for p in route.params)):
            args = dict(zip(route.params, combo, strict=True))
            url = PARAM.sub(lambda m, args=args: args[m.group("name")], route.pattern)
            filled.append((route, "/" + url))
    return filled, unfilled


# Query strings that make pages show more than their bare URL does.
EXTRA_GETS = [
    "/search/?q=facial&near=London",
    "/search/?q=mesotherapy&near=51.5074,-0.1278&sort=rating",
    "/api/v1/search?q=facial&near=London",
    "/api/v1/treatments?q=facial",
]


class _Reader(HTMLParser):
    """Collects live event-handler attributes and script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [f"<{tag} {name}=...>" for name, _ in attrs if name.lower().startswith("on")]
        if tag == "script":
            self._script = dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def html_problems(body: str, markers: dict[str, str]) -> list[str]:
    """What in this HTML would run an attacker's text. Empty when every payload came back escaped."""
    problems = []
    if "<script>alert" in body:
        problems.append("raw <script>alert")
    reader = _Reader()
    reader.feed(body)
    problems += [f"event handler attribute {h}" for h in reader.handlers]
    for attrs, text in reader.scripts:
        if attrs.get("type") in ("application/json", "application/ld+json"):
            # Data, not code (the browser never runs it): a payload that closed the tag early would leave broken JSON.
            try:
                json.loads(text or "null")
            except ValueError:
                problems.append(f"data block that is not JSON: {text.strip()[:80]!r}")
        elif text.strip():
            problems.append(f"inline script: {text.strip()[:80]!r}")  # the CSP would block it: none is expected
        elif "</" in text:
            problems.append("a JSON script block carries '</'")
    evaluated = TEMPLATE.replace("{{7*7}}", "49")
    problems += [f"{key}: template syntax evaluated" for key, m in markers.items() if m + evaluated in body]
    assert SCRIPT.startswith("<script>alert")  # keeps the first check in step with the payload
    return problems


def fields_shown(body: str, markers: dict[str, str]) -> set[str]:
    return {key for key, marker in markers.items() if marker in body}


# ------------------------------------------------------------------ state

# Writes a GET may make by design: the clinical access log records every read of
# health data; tokens and calendar feeds remember when they were last used.
STATE_EXEMPT_MODELS = {"clinical.AccessLog"}
STATE_EXEMPT_FIELDS = {"accounts.ApiToken": {"last_used_at"}, "accounts.User": {"last_login"},
                       "notifications.CalendarFeed": {"last_fetched_at"}}


def _stateful_models() -> list[type[models.Model]]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("pamper.") or config.label in ("django_tasks_db", "auth", "otp_totp", "otp_static"):
            found += [m for m in config.get_models() if m._meta.label not in STATE_EXEMPT_MODELS and m._meta.managed]
    return found


def snapshot() -> dict[str, str]:
    """A digest of every row of every project table (and the mail outbox), by model label."""
    digests = {}
    for model in _stateful_models():
        skip = STATE_EXEMPT_FIELDS.get(model._meta.label, set())
        columns = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        rows = model._default_manager.order_by("pk").values_list(*columns)
        digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    digests["mail.outbox"] = str(len(getattr(mail, "outbox", [])))
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
