"""Which Babel locale writes for a language: the one table money, dates and numbers share (pamper/lib/formats.py).

Each language writes as its main locale does; English picks by currency (British English for pounds, Irish
English for euros), so an English reader sees the symbol first either way: "£70", "€70".
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale, numbers
from django.utils import translation

# The locale each language writes in; English's depends on the currency (see module docstring).
LANGUAGE_LOCALE = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "es": "es_ES", "it": "it_IT", "nl": "nl_NL",
                   "pt": "pt_PT"}
ENGLISH_BY_CURRENCY = {"GBP": "en_GB", "EUR": "en_IE"}


def language_code(language: str | None = None) -> str:
    """The two-letter language to write in: `language`, else the active one, else English."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return code if code in LANGUAGE_LOCALE else "en"


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def locale_for(language: str | None = None, currency: str | None = None) -> Locale:
    """The Babel locale for the language (the active one by default); English picks by currency."""
    code = language_code(language)
    if code == "en" and currency in ENGLISH_BY_CURRENCY:
        return _locale(ENGLISH_BY_CURRENCY[currency])
    return _locale(LANGUAGE_LOCALE[code])


def format_number(value: Decimal | float | int, digits: int = 0, language: str | None = None) -> str:
    """A number with the language's decimal and grouping separators, `digits` places after the point."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=locale_for(language), decimal_quantization=True)
