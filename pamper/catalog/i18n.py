"""Catalogue text in the reader's language, English underneath.

Each catalogue row keeps its English text in its own columns (the source, loaded from the TOML files) and the
other languages in one JSON column, `translations`: {"fr": {"name": "...", "summary": "...", ...}, ...}, filled
by the loader from pamper/catalog/data/translations/<lang>/. A field declared with one of the Translated*Field
classes below answers attribute access (`treatment.name`, in templates, the API, emails) in the active language
when the row has that translation, and in English otherwise, so no caller needs to change. Writes and SQL stay
English: saving, forms, `values_list` and lookups see the stored English value (the descriptor only reads).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import translation

SOURCE_LANGUAGE = "en"


def active_language() -> str:
    """The two-letter code of the active language ('en' when none is active)."""
    return (translation.get_language() or SOURCE_LANGUAGE)[:2]


def translated(instance: models.Model, attname: str, language: str | None = None) -> Any:
    """The instance's text for `attname` in `language` (the active one by default), or None when it has none."""
    language = language or active_language()
    if language == SOURCE_LANGUAGE:
        return None
    table = instance.__dict__.get("translations")
    if table is None and "translations" in {f.attname for f in instance._meta.concrete_fields}:
        table = instance.translations  # deferred: one query, then cached on the instance
    found = (table or {}).get(language, {}).get(attname)
    return found if found not in (None, "", []) else None


def english(instance: models.Model, attname: str) -> Any:
    """The stored (English) value of a translated field, whatever the active language."""
    if attname not in instance.__dict__:
        instance.refresh_from_db(fields=[attname])
    return instance.__dict__[attname]


class TranslatedAttribute(DeferredAttribute):
    """Reads the active language's text, falling back to the stored English value."""

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        found = translated(instance, self.field.attname)
        return value if found is None else found

    def __set__(self, instance: models.Model, value: Any) -> None:
        # A data descriptor, so that reads come here even once the value sits in the instance's __dict__.
        instance.__dict__[self.field.attname] = value


class _Translated:
    """Mixin: the localized descriptor for reads; the English value for saving, forms and serializing."""

    descriptor_class = TranslatedAttribute
    base_path = ""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return model_instance.__dict__.get(self.attname)  # type: ignore[attr-defined]

    def value_from_object(self, obj: models.Model) -> Any:
        return english(obj, self.attname)  # type: ignore[attr-defined]

    def deconstruct(self) -> Any:
        # Migrations see the plain Django field: the translation is a read-time behaviour, not a schema change.
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.base_path, args, kwargs


class TranslatedCharField(_Translated, models.CharField):
    base_path = "django.db.models.CharField"


class TranslatedTextField(_Translated, models.TextField):
    base_path = "django.db.models.TextField"


class TranslatedJSONField(_Translated, models.JSONField):
    base_path = "django.db.models.JSONField"
