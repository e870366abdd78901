"""QuickSelect writes the HTML Django's Select writes: the same attributes, options, labels and selection."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation
from django.utils.translation import gettext_lazy

from pamper.lib.widgets import QuickSelect
from pamper.partner import places
from pamper.partner.forms import VenueForm

CHOICES = [("", gettext_lazy("From the country")), ("Europe/London", "Europe/London"), ("a&b", "<b>A & B</b>"),
           (7, "Seven")]


class Both(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False, help_text="hint")
    quick = forms.ChoiceField(choices=CHOICES, required=False, help_text="hint", widget=QuickSelect)
    needed = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"class": "wide", "data-x": "1"}))
    needed_quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect(attrs={"class": "wide", "data-x": "1"}))


def same(form: forms.Form, plain: str, quick: str) -> None:
    expected = str(form[plain]).replace(f'"{plain}"', '"X"').replace(f"id_{plain}", "id_X")
    got = str(form[quick]).replace(f'"{quick}"', '"X"').replace(f"id_{quick}", "id_X")
    assert parse_html(got) == parse_html(expected), (got, expected)


@pytest.mark.parametrize("value", [None, "", "Europe/London", "a&b", "7", "not offered"])
def test_quick_select_renders_as_django_select_does(value: str | None) -> None:
    data = None if value is None else {"plain": value, "quick": value, "needed": value, "needed_quick": value}
    form = Both(data)
    if data:
        form.is_valid()  # a refused value shows the field's errors around it, the widget's HTML stays the same
    same(form, "plain", "quick")
    same(form, "needed", "needed_quick")


def test_grouped_choices_fall_back_to_djangos_rendering() -> None:
    grouped = [("Europe", [("Europe/London", "London"), ("Europe/Paris", "Paris")]), ("UTC", "UTC")]
    html = QuickSelect(choices=grouped).render("zone", "Europe/Paris")
    assert parse_html(html) == parse_html(forms.Select(choices=grouped).render("zone", "Europe/Paris"))
    assert "<optgroup" in html


def test_the_venue_form_lists_every_country_zone_and_currency_in_the_page_language() -> None:
    with translation.override("de"):
        form = VenueForm(initial={"country": "DE", "timezone": "Europe/Berlin"})
        expected = {"country": len(places.country_choices()), "timezone": len(places.timezone_choices()),
                    "currency": len(places.currency_choices())}
        html = {name: str(form[name]) for name in expected}
    for name, count in expected.items():
        assert html[name].count("<option") == count + 1, name  # and the empty choice
    assert '<option value="DE" selected>Deutschland</option>' in html["country"]
    assert '<option value="Europe/Berlin" selected>Europe/Berlin</option>' in html["timezone"]
