"""Every page's default head tags: its canonical URL (pages with more to say pass their own `meta`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from pamper.lib.meta import PageMeta, page_meta


def head(request: HttpRequest) -> dict[str, PageMeta]:
    return {"meta": page_meta(request, "Pamper", _("Find, compare and book beauty, wellness and aesthetic "
                                                   "treatments near you."))}
