"""Form labels and choice names come in the page's language. A form field without a label gets one Django makes from
its name ("Address", "Currency"), and a model's choices without gettext_lazy keep their English names: both were
English on every translated page (a German owner's venue settings, the medical questionnaire's Yes and No, the
photo consent choices, the notification settings)."""

from __future__ import annotations

import importlib
import inspect
import re

import django.apps
import pytest
from django import forms
from django.conf import settings
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise

from pamper.tests.i18n.unmarked import ROOT
from pamper.tests.world import World

# Choices named in their own language on purpose: a language is listed by its own name.
ENDONYMS = {("User", "language"), ("Venue", "language")}
LANGUAGE_NAMES = {name for _code, name in settings.LANGUAGES}


def form_classes() -> list[type[forms.BaseForm]]:
    """The forms people fill in (the admin's are for operators): every module named *forms.py in an app."""
    found = []
    for path in sorted(ROOT.rglob("*forms.py")):
        if "tests" in path.parts:
            continue
        module = importlib.import_module("pamper." + ".".join(path.relative_to(ROOT).with_suffix("").parts))
        found += [obj for obj in vars(module).values() if inspect.isclass(obj) and issubclass(obj, forms.BaseForm)
                  and obj.__module__ == module.__name__]
    return found


def untranslated(form: type[forms.BaseForm]) -> list[str]:
    out = []
    for name, field in form.base_fields.items():
        if field.widget.is_hidden:
            continue
        if not isinstance(field.label, Promise):
            out.append(f"{name}: label {field.label!r}")
        # Choices made by a callable are made again for each form, in the language active then.
        if (isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)
                and not isinstance(field.choices, CallableChoiceIterator)):
            out += [f"{name}: choice {label!r}" for value, label in field.choices
                    if value != "" and not isinstance(label, Promise) and label not in LANGUAGE_NAMES]
    return out


def test_every_form_field_has_a_translated_label_and_translated_choices() -> None:
    classes = form_classes()
    assert len(classes) > 30  # the walk found the forms
    found = {f"{form.__module__}.{form.__name__}": problems for form in classes if (problems := untranslated(form))}
    assert found == {}


def test_every_model_choice_has_a_translated_name() -> None:
    found = []
    for model in django.apps.apps.get_models():
        if not model.__module__.startswith("pamper."):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and (model.__name__, field.name) not in ENDONYMS:
                found += [f"{model.__name__}.{field.name}: {label!r}" for _value, label in field.choices
                          if not isinstance(label, Promise)]
    assert found == []


def labels(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in re.findall(r"<label[^>]*>(.*?)</label>", html,
                                                                                   re.S)]


@pytest.mark.django_db
def test_the_owner_reads_the_settings_and_new_booking_labels_in_german(world: World) -> None:
    owner = world.browser("owner")
    settings_page = labels(owner.get(f"/de/partner/{world.venue.pk}/settings/").content.decode())
    for label in ("Adresse:", "Ort:", "Währung:", "Beschreibung:", "Zeitzone:"):
        assert label in settings_page, label
    assert not {"Address:", "City:", "Currency:", "Description:", "Kind:"} & set(settings_page)
    new_booking = labels(owner.get(f"/de/partner/{world.venue.pk}/bookings/new/").content.decode())
    assert "Datum:" in new_booking and "Date:" not in new_booking


@pytest.mark.django_db
def test_the_medical_questionnaire_answers_and_the_notification_settings_speak_spanish(world: World) -> None:
    customer = world.browser("customer")
    page = customer.get(f"/es/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/").content.decode()
    answers = set(labels(page))
    assert {"No", "Sí"} <= answers and "Yes" not in answers
    settings_page = labels(customer.get("/es/accounts/notifications/").content.decode())
    assert "Recordatorios antes de una cita" in settings_page
    assert "Reminders before an appointment" not in settings_page
