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
    if not isinstance(value, int):
        value = value if isinstance(value, Decimal) else Decimal(str(value))  # as Babel reads a float
        if value.is_finite():  # rounded as Babel rounds (the context's half-even): equal keys print equal text
            value = value.quantize(Decimal(1).scaleb(-digits))
    # The sign is part of the key: -0 equals 0 as a key, but Babel writes "-0" for a small negative.
    return _format_number(value, digits, language_code(language),
                          value.is_signed() if isinstance(value, Decimal) else value < 0)


@lru_cache(maxsize=4096)
def _format_number(value: Decimal | int, digits: int, code: str, negative: bool) -> str:
    """format_number's Babel step, remembered: a search page writes twenty distances and ratings, and Babel's
    pattern machinery costs far more than the lookup (the values are already rounded to `digits`)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale(LANGUAGE_LOCALE[code]),
                                  decimal_quantization=True)
