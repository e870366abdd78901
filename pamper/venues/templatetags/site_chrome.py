"""The site's header and footer (base.html), rendered once per language rather than once per page.

For a visitor who is not signed in, the header and footer differ between two pages only by the page's own address
(the sign-in link's `next`, the language switcher's `next`) and the CSRF token of the switcher's form. So each is
rendered once per (language, script prefix) with placeholders in those places, kept in the process, and every page
fills in its address and token, escaped exactly as the template escapes them. A signed-in person's header names
them and their workspace: it is rendered for them, as is anything rendered without a request (error pages).

`{% script_texts %}` is the words the page's scripts show (a location being found, the hold's countdown, a failed
payment), in the page's language, as a JSON block that site.js's pamperText(key) reads.

`{% asset 'path' %}` is `{% static 'path' %}` remembered: the manifest of hashed names is read once a process, so a
path's address changes only with the script prefix (or a new manifest, after collectstatic in the same process).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

HEADER = "site/_header.html"
FOOTER = "site/_footer.html"
# Placeholders: letters only, so escaping and URL-quoting leave them as they are.
PATH = "PamperChromePathPlaceholder"
TOKEN = "PamperChromeTokenPlaceholder"  # noqa: S105 (a placeholder, not a secret)


class _PlaceholderRequest:
    """What the chrome templates read from the request: the page's address."""

    def get_full_path(self) -> str:
        return PATH


@functools.lru_cache(maxsize=64)  # (template, language, script prefix): a handful in practice
def _rendered(name: str, language: str, script_prefix: str) -> str:
    alternates = [{"code": code, "name": name_, "current": code == language} for code, name_ in settings.LANGUAGES]
    return get_template(name).render({"user": AnonymousUser(), "request": _PlaceholderRequest(),
                                      "csrf_token": TOKEN, "alternates": alternates})


def _live(context: template.Context, name: str) -> SafeString:
    return context.template.engine.get_template(name).render(context)


def _visitor(context: template.Context) -> tuple[Any, str] | None:
    """(request, CSRF token) when the cached chrome fits this page: a request, nobody signed in, a token."""
    request, user = context.get("request"), context.get("user")
    token = context.get("csrf_token")
    if request is None or user is None or getattr(user, "is_authenticated", True) or not token:
        return None
    token = str(token)
    if token == "NOTPROVIDED":  # noqa: S105 (Django's marker for "no CSRF token here")
        return None
    return request, token


def _kept(context: template.Context, name: str, address: Callable[[HttpRequest], str]) -> SafeString:
    """The kept chrome `name` with this page's address (as `address` writes it: the header quotes it, as its
    template did) and CSRF token put in; a live render for anyone signed in or a page rendered without a request."""
    found = _visitor(context)
    if found is None:
        return _live(context, name)
    request, csrf = found
    html = _rendered(name, get_language(), get_script_prefix())
    return mark_safe(html.replace(PATH, escape(address(request))).replace(TOKEN, escape(csrf)))  # noqa: S308


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    return _kept(context, HEADER, lambda request: quote(request.get_full_path(), safe="/"))


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    return _kept(context, FOOTER, lambda request: request.get_full_path())


@register.simple_tag
def asset(path: str) -> str:
    """The address of a static file, as {% static %} gives it."""
    return _asset(path, get_script_prefix(), id(getattr(staticfiles_storage, "hashed_files", None)))


@functools.lru_cache(maxsize=512)
def _asset(path: str, script_prefix: str, manifest: int) -> str:
    return static(path)


def _texts() -> dict[str, str]:
    """What the scripts say, by key (site.js: pamperText(key)); %(time)s is filled in by the script."""
    return {
        "locating": gettext("Finding your location…"),
        "searching_near_you": gettext("Searching near your location…"),
        "got_location": gettext("Got your location. Now say what you are looking for."),
        "no_location": gettext("We could not get your location. Type a town, city or postcode instead."),
        "near_you": gettext("Near your location"),
        "place_hint": gettext("Town, city or postcode"),
        "hold_left": gettext("(%(time)s left)"),
        "hold_over": gettext("(time's up: confirm to try the same time again)"),
        "payment_failed": gettext("The payment did not go through."),
        "your_venue": gettext("Your venue"),
    }


@functools.lru_cache(maxsize=16)  # one per language
def _script_texts(language: str) -> str:
    return json_script(_texts(), "pamper-texts")


@register.simple_tag
def script_texts() -> SafeString:
    return mark_safe(_script_texts(get_language()))  # noqa: S308 (json_script escapes it)
