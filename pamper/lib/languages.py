"""Which language a request is answered in, and the links to the same page in the other languages.

Pages: English at `/`, the others under their prefix (`/fr/`, `/de/` ...), from `i18n_patterns` in pamper/urls.py;
the prefix alone decides (a French browser at `/` reads English, and the switcher or a `/fr/` link changes it).
The API (`/api/...`) has no prefix: it follows the request's Accept-Language header, English when none is served.
A person's stored language (accounts.User.language) and a venue's (venues.Venue.language) choose the language of
the emails and reminders sent to them; `message_language` picks between them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.translation import trans_real

API_PREFIX = "/api/"
# The language a venue's messages default to, by its country (Belgium: French, the language of Brussels).
COUNTRY_LANGUAGE = {"GB": "en", "IE": "en", "FR": "fr", "BE": "fr", "DE": "de", "AT": "de", "ES": "es", "IT": "it",
                    "NL": "nl", "PT": "pt"}


def codes() -> list[str]:
    """The served language codes, English first."""
    return [code for code, _name in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The served language for `code` ('fr-BE' -> 'fr'), or None when it is not one of ours."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def from_accept_language(header: str) -> str:
    """The first served language the Accept-Language header asks for (by weight), or the default (English)."""
    for code, _weight in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        found = supported(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def message_language(user_language: str | None, venue_language: str | None = None, country: str | None = None) -> str:
    """The language to write to someone in: their own choice, else the venue's, else its country's, else English."""
    return (supported(user_language) or supported(venue_language)
            or supported(COUNTRY_LANGUAGE.get((country or "").upper())) or settings.LANGUAGE_CODE)


class PamperLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for pages (the URL prefix decides); Accept-Language for the API."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(API_PREFIX):
            translation.activate(from_accept_language(request.headers.get("Accept-Language", "")))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def alternates(request: HttpRequest) -> list[dict[str, Any]]:
    """The current page in every language: code, name, url (with the query string), current (bool)."""
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    match = getattr(request, "resolver_match", None)
    page = match is None or match.view_name in _page_names(getattr(request, "urlconf", None) or get_urlconf())
    script = get_script_prefix().removesuffix("/")
    found = []
    for code, name in settings.LANGUAGES:
        url = script + (in_language(request.path_info, current, code) if page else request.path_info)
        url = f"{url}?{query}" if query else url
        found.append({"code": code, "name": name, "url": url, "current": code == current})
    return found


def in_language(path: str, current: str, code: str) -> str:
    """A page's path (without the script prefix) in language `code`, from its path in language `current`.

    Pamper's page addresses are the same in every language but for the prefix (i18n_patterns, English unprefixed,
    no translated routes: pamper/tests/i18n/test_languages.py checks every page against Django's translate_url), so
    the prefix is swapped. translate_url resolves the path again and reverses it with each language activated,
    which loads each language's whole catalogue into the process: every page links to all seven languages, so
    every web process held all seven (about 0.65 MB each) after its first page."""
    rest = path.removeprefix(f"/{current}") if current != settings.LANGUAGE_CODE else path
    rest = rest if rest.startswith("/") else f"/{rest}"
    return rest if code == settings.LANGUAGE_CODE else f"/{code}{rest}"


@lru_cache(maxsize=8)
def _page_names(urlconf: str | None) -> frozenset[str]:
    """The view names of the pages under i18n_patterns (namespaced as request.resolver_match.view_name is)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, (*namespaces, pattern.namespace) if pattern.namespace else namespaces)
            elif pattern.name:
                names.add(":".join((*namespaces, pattern.name)))

    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            walk(pattern.url_patterns, (pattern.namespace,) if pattern.namespace else ())
    return frozenset(names)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: `alternates` (lazily computed) for hreflang links and the language switcher."""
    cached: list[dict[str, Any]] = []

    def lazy() -> list[dict[str, Any]]:
        if not cached:
            cached.extend(alternates(request))
        return cached

    return {"alternates": lazy}
