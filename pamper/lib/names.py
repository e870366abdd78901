"""Names people type on one line: a venue's, a service's, a room's, a staff member's, a client's, a user's; and
what is shown like one: a venue's address and city, a service's variant.

A name pasted from a document or a spreadsheet cell brings its line breaks ('Glow\\r\\nStudio'), and nothing
that shows a name expects one: an email subject refuses it (pamper.lib.headers.one_line folds those), a page's
heading, a calendar entry's summary and a CSV row break on it. Every such name is folded where it is stored:
NameField is the model field of every single-line name, so every form, API body and action that writes one (a
save, a create, a bulk create or an update) stores 'Glow Studio'; its form field folds what a form shows back,
and the API's `Name` type (pamper/lib/fields.py) folds before the length is checked.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q

# A line break or other control character (C0, DEL, C1, the Unicode line and paragraph separators), with any
# whitespace around it: one space in its place.
_BREAK = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"
_FOLD = re.compile(rf"\s*{_BREAK}[\s\x00-\x1f\x7f-\x9f\u2028\u2029]*")


def one_line_name(text: str) -> str:
    """`text` with every line break and control character, and the spaces around it, made one space; the ends
    trimmed. Other spacing is the person's own ('Glow  Studio' stays)."""
    return _FOLD.sub(" ", text).strip()


class NameFormField(forms.CharField):
    """A form's single-line name: folded as it is read, so a refused form shows back what would be stored."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return one_line_name(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A single-line name column: what is written is folded by one_line_name, on the instance as well."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = one_line_name(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: Any) -> Any:  # QuerySet.update() and filters pass here, not through pre_save
        value = super().get_prep_value(value)
        return one_line_name(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": NameFormField, **kwargs})

    def deconstruct(self) -> Any:
        # The column is a CharField's: migrations need not know the folding.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def _breaks_pattern(vendor: str) -> str:
    """_BREAK as a pattern both SQLite (Python's re) and PostgreSQL (its regular expressions) read; PostgreSQL
    stores no NUL, and its pattern may not hold one."""
    low = r"\x01" if vendor == "postgresql" else r"\x00"
    return rf"[{low}-\x1f\x7f-\x9f\u2028\u2029]"


def fold_stored(model: type[models.Model], fields: tuple[str, ...], vendor: str) -> int:
    """Fold what `model` stored in `fields` before they were NameFields (for data migrations: pass the historical
    model and the connection's vendor): every row with a line break or control character in one of them gets
    one_line_name of each, written back in batches. Returns how many rows changed; the others are not read."""
    pattern = _breaks_pattern(vendor)
    broken = Q()
    for field in fields:
        broken |= Q(**{f"{field}__regex": pattern})
    rows = list(model.objects.filter(broken).only("pk", *fields))  # type: ignore[attr-defined]
    for row in rows:
        for field in fields:
            value = getattr(row, field)
            setattr(row, field, one_line_name(value) if isinstance(value, str) else value)
    model.objects.bulk_update(rows, fields, batch_size=500)  # type: ignore[attr-defined]
    return len(rows)
