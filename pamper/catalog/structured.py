"""A treatment guide as schema.org JSON-LD (pure: from the Treatment the page shows)."""

from __future__ import annotations

from typing import Any

from pamper.lib.meta import absolute

from .models import Treatment


def guide_article(treatment: Treatment, *, language: str) -> dict[str, Any]:
    """The guide page as an Article about the treatment (a MedicalProcedure where a consultation comes first)."""
    url = absolute(treatment.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": f"{url}#guide",
        "headline": treatment.name,
        "description": treatment.summary,
        "url": url,
        "inLanguage": language,
        "articleSection": treatment.category.name,
        "publisher": {"@type": "Organization", "name": "Pamper", "url": absolute("/")},
        "about": {
            "@type": "MedicalProcedure" if treatment.consultation_required else "Thing",
            "name": treatment.name,
            "description": treatment.summary,
        },
    }
