"""Form widgets written in Python where Django's templates are too slow for their size.

Django renders a <select> through one template per option. For the venue settings form (about 600 time zones,
250 countries and 150 currencies) that was half a second of a workspace page's server time, in every language.
QuickSelect writes the same HTML (the same attributes, options and selection) with format_html_join.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A single-choice <select> of flat choices, rendered without a template per option. Grouped choices (an
    optgroup) fall back to Django's rendering."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n", "<option value=\"{}\"{}>{}</option>",
            ((key, " selected" if str(key) in chosen else "", label) for key, label in choices),
        )
        return format_html("<select name=\"{}\"{}>\n{}\n</select>", name,
                           flatatt(self.build_attrs(self.attrs, attrs)), options)
