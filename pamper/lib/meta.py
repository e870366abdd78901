"""What a page says about itself in <head>: canonical URL, description, Open Graph / Twitter card, JSON-LD.

A view passes `meta` (a PageMeta) in its context; pages that pass none get
`default_meta` from the context processor (pamper.seo.context_processors),
so every page has a canonical URL. base.html renders it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

DESCRIPTION_CHARS = 160  # what search engines show of a description

# json_script's escapes: the JSON can never close the <script> element or open a comment.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    """The public URL of a path on this site (SITE_URL + path); absolute URLs pass through."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def jsonld_script(data: Any) -> SafeString:
    """One <script type="application/ld+json"> element holding `data`, safe to put in HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def short(text: str, chars: int = DESCRIPTION_CHARS) -> str:
    """Text on one line, cut at a word boundary to fit `chars` (with an ellipsis when cut)."""
    return Truncator(" ".join(str(text).split())).chars(chars)


def breadcrumbs(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """A schema.org BreadcrumbList from (name, path) pairs, the page itself last."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": str(name), "item": absolute(path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str  # absolute URL
    image: str = ""  # absolute URL of the Open Graph image, '' for none
    og_type: str = "website"
    noindex: bool = False
    jsonld: list[dict[str, Any]] = field(default_factory=list)

    @property
    def jsonld_scripts(self) -> SafeString:
        return mark_safe("".join(jsonld_script(block) for block in self.jsonld))  # noqa: S308 - each one escaped

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def page_meta(request: HttpRequest, title: str, description: str, *, path: str | None = None, image: str = "",
              og_type: str = "website", noindex: bool = False, jsonld: list[dict[str, Any]] | None = None) -> PageMeta:
    """The page's meta: canonical is SITE_URL + `path` (the request's path, without its query, by default)."""
    return PageMeta(
        title=str(title), description=short(description), canonical=absolute(path or request.path),
        image=absolute(image) if image else "", og_type=og_type, noindex=noindex, jsonld=jsonld or [],
    )
