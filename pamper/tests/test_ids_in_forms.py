"""A form field taking several ids refuses what is not an id, never a 500.

The service form's 'Performed by' and the staff form's 'Services they perform' were Django's
ModelMultipleChoiceField, which asks the database for `pk IN (...)` with whatever was posted: a number past a
64-bit column ('9' * 30) overflowed there and the page answered 500. They are pamper.lib.formfields.IdsField.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms

import pamper
from pamper.lib.formfields import IdsField
from pamper.lib.ids import MAX_ID
from pamper.tests.world import World
from pamper.venues.models import Service, Staff

HUGE = ["9" * 30, str(MAX_ID + 1), "²", "-1", " 7"]


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(pamper.__path__, "pamper."):
        if module.name.split(".")[-1].endswith("forms") and ".tests" not in module.name:
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("pamper."):
                found.append(sub)
    return found


def test_every_several_ids_field_of_our_forms_checks_the_ids_first() -> None:
    unchecked = [(cls.__name__, name) for cls in _form_classes()
                 for name, field in getattr(cls, "base_fields", {}).items()
                 if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, IdsField)]
    assert unchecked == []


@pytest.mark.django_db
@pytest.mark.parametrize("bad", HUGE)
def test_a_service_performed_by_no_staff_id_is_refused(world: World, bad: str) -> None:
    owner, venue = world.browser("owner"), world.venue
    answer = owner.post(f"/partner/{venue.pk}/services/new/", {
        "treatment": world.facial.pk, "kind": "treatment", "name": "Probe Facial", "price": "50",
        "duration_minutes": "60", "buffer_before": "0", "buffer_after": "0", "position": "0",
        "staff": [str(world.staff.pk), bad],
    })
    assert answer.status_code == 400, answer.status_code
    assert not Service.objects.filter(name="Probe Facial").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", HUGE)
def test_staff_performing_no_service_id_is_refused(world: World, bad: str) -> None:
    owner, venue = world.browser("owner"), world.venue
    answer = owner.post(f"/partner/{venue.pk}/staff/new/", {
        "name": "Probe Person", "title": "", "bio": "", "services": [bad], "is_active": "on", "position": "0",
    })
    assert answer.status_code == 400, answer.status_code
    assert not Staff.objects.filter(name="Probe Person").exists()
