"""The guide's "Who may give it" section: per country, who may perform a treatment (practitioner_rules.toml)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..practitioner_rules import PROFESSIONS, Rule, rule_book, strictest

register = template.Library()

COUNTRY_NAMES = {"GB": gettext_lazy("United Kingdom"), "FR": gettext_lazy("France")}


def _professions(rule: Rule) -> list[str]:
    names = {"doctor": _("doctors"), "nurse": _("nurses"), "dentist": _("dentists"), "pharmacist": _("pharmacists"),
             "other_registered": _("other registered health professionals")}
    return [str(names[p]) for p in PROFESSIONS if p in rule.professions]


def _row(rule: Rule, country: str) -> dict[str, Any]:
    return {"country": country, "tier": rule.tier, "professions": _professions(rule), "rule": rule}


@register.simple_tag
def who_may_treat(slug: str) -> list[dict[str, Any]]:
    """One row per country with a rule for the treatment, then the strictest one applied elsewhere ([] for none)."""
    rules = rule_book().countries(slug)
    if not rules:
        return []
    rows = [_row(r, str(COUNTRY_NAMES.get(r.country, r.country))) for r in rules]
    rows.append(_row(strictest(rules), _("Other countries (the strictest known rule)")))
    return rows
