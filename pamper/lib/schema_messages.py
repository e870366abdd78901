"""The API's schema errors in the reader's language.

pydantic writes its own English ("Input should be less than or equal to
9223372036854775807"); the API answers each error with a sentence of ours,
chosen by the error's `type` and filled from its `ctx`, in the request's
language. A validator of ours raises ValueError with a sentence already
translated: that one is kept as written. A type not listed here gets a plain
"This value is not valid." rather than pydantic's English.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

_FIXED = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not accepted here."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_type": gettext_lazy("Enter a number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "finite_number": gettext_lazy("Enter a number."),
    "string_type": gettext_lazy("Enter text."),
    "string_unicode": gettext_lazy("Enter text."),
    "string_pattern_mismatch": gettext_lazy("This value is not in the expected form."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "date_type": gettext_lazy("Enter a date like 2026-03-31."),
    "date_parsing": gettext_lazy("Enter a date like 2026-03-31."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date like 2026-03-31."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date like 2026-03-31."),
    "datetime_type": gettext_lazy("Enter a time like 2026-03-31T14:30:00+01:00."),
    "datetime_parsing": gettext_lazy("Enter a time like 2026-03-31T14:30:00+01:00."),
    "datetime_from_date_parsing": gettext_lazy("Enter a time like 2026-03-31T14:30:00+01:00."),
    "datetime_object_invalid": gettext_lazy("Enter a time like 2026-03-31T14:30:00+01:00."),
    "time_type": gettext_lazy("Enter a time of day like 14:30."),
    "time_parsing": gettext_lazy("Enter a time of day like 14:30."),
    "list_type": gettext_lazy("Send a list."),
    "dict_type": gettext_lazy("Send an object."),
    "model_type": gettext_lazy("Send an object."),
    "model_attributes_type": gettext_lazy("Send an object."),
    "uuid_type": gettext_lazy("Enter a valid UUID."),
    "uuid_parsing": gettext_lazy("Enter a valid UUID."),
    "url_type": gettext_lazy("Enter a valid web address."),
    "url_parsing": gettext_lazy("Enter a valid web address."),
    "url_scheme": gettext_lazy("Enter a valid web address."),
}

_BOUNDS = {
    "greater_than": ("gt", gettext_lazy("Enter a value greater than %(limit)s.")),
    "greater_than_equal": ("ge", gettext_lazy("Enter a value of at least %(limit)s.")),
    "less_than": ("lt", gettext_lazy("Enter a value less than %(limit)s.")),
    "less_than_equal": ("le", gettext_lazy("Enter a value of at most %(limit)s.")),
}

# Lengths of text and lists: the context's key and the sentence, its plural chosen by "n" when said.
_LENGTHS = {
    "string_too_short": ("min_length", ngettext_lazy("Enter at least %(n)d character.",
                                                     "Enter at least %(n)d characters.", "n")),
    "string_too_long": ("max_length", ngettext_lazy("Enter at most %(n)d character.",
                                                    "Enter at most %(n)d characters.", "n")),
    "too_short": ("min_length", ngettext_lazy("Send at least %(n)d item.", "Send at least %(n)d items.", "n")),
    "too_long": ("max_length", ngettext_lazy("Send at most %(n)d item.", "Send at most %(n)d items.", "n")),
}


def _count(ctx: dict[str, Any], key: str) -> int:
    try:
        return int(ctx.get(key, 0))
    except (TypeError, ValueError):
        return 0


def say(error: dict[str, Any]) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as a sentence in the active language."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in _FIXED:
        return str(_FIXED[kind])
    if kind in _BOUNDS:
        key, sentence = _BOUNDS[kind]
        limit = ctx.get(key, "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # "at most 100", not "100.0"
        return str(sentence) % {"limit": limit}
    if kind in _LENGTHS:
        key, sentence = _LENGTHS[kind]
        return str(sentence % {"n": _count(ctx, key)})
    if kind in {"enum", "literal_error"}:
        # pydantic lists the choices as "'a', 'b' or 'c'": the English "or" goes, the quoted codes stay.
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")
        return gettext("Choose one of: %(choices)s.") % {"choices": choices}
    if kind == "value_error" and "reason" in ctx and "email" in str(error.get("msg", "")):
        return gettext("Enter a valid email address.")
    if kind in {"value_error", "assertion_error"}:
        # Our validators raise ValueError with a sentence already in the reader's language.
        return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return gettext("This value is not valid.")
