"""Form fields for database ids a visitor can type.

Django's ModelMultipleChoiceField asks the database for `pk IN (...)` with whatever the request held, and a number
past a 64-bit column overflows there (SQLite: 'Python int too large to convert to SQLite INTEGER'), a 500 where
the form's own 'not one of the available choices' is due. (A single ModelChoiceField is safe: Django bounds an
exact match on the primary key itself.) Every several-ids field of Pamper's forms is an IdsField.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pamper.lib.ids import id_from


class IdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values must be database ids (ASCII digits, 1..MAX_ID) before any query."""

    def _check_values(self, value: Any) -> Any:
        try:
            given = frozenset(value)
        except TypeError:
            return super()._check_values(value)  # Django's own 'Enter a list of values.'
        for item in given:
            if id_from(str(item)) is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item})
        return super()._check_values(value)
