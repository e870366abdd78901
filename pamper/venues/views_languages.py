"""The current page in every language (hreflang links, the language switcher), for pages viewed often.

The `alternates` context processor (pamper.lib.languages) finds them by resolving the path again and reversing it
once per language, on every request. The venue and booking pages pass their own instead: the same list, from the
view the request already resolved to, each language's address remembered per page.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, override


def page_alternates(request: HttpRequest) -> list[dict[str, Any]]:
    """[{code, name, url (with the query string), current}] for every language, as languages.alternates gives."""
    match = request.resolver_match
    assert match is not None
    query, current = request.META.get("QUERY_STRING", ""), get_language()
    urls = _urls(match.view_name, tuple(match.args), tuple(sorted(match.kwargs.items())), get_script_prefix())
    return [{"code": code, "name": name, "url": f"{url}?{query}" if query else url, "current": code == current}
            for code, name, url in urls]


@functools.lru_cache(maxsize=1024)  # a page's addresses do not change; the most viewed stay remembered (under 1 MB)
def _urls(view_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...],
          script_prefix: str) -> tuple[tuple[str, str, str], ...]:
    found = []
    for code, name in settings.LANGUAGES:
        with override(code):
            found.append((code, name, reverse(view_name, args=args, kwargs=dict(kwargs))))
    return tuple(found)
