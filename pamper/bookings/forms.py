"""Forms for the booking pages: choosing a visit, holding a slot, notes, cancelling, moving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.lib import dates
from pamper.lib.ids import id_from
from pamper.venues.models import Service, Staff


def parse_start(value: str) -> dt.datetime:
    """An ISO 8601 instant with its offset (as the slot buttons send it), inside dates.VISIT."""
    try:
        return dates.parse_instant(value, dates.VISIT)
    except ValueError as exc:
        raise forms.ValidationError(gettext("Choose a time from the list.")) from exc


class VisitForm(forms.Form):
    """The services (in menu order) and who should do them. Bound to GET on the picker and to POST on hold."""

    service = forms.TypedMultipleChoiceField(coerce=int, required=True, label=gettext_lazy("Service"), error_messages={
        "required": gettext_lazy("Choose at least one service."),
        "invalid_choice": gettext_lazy("That service is not offered online here."),
    })
    staff = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("With"))

    def __init__(self, *args: Any, services: list[Service], staff: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = services
        self.fields["service"].choices = [(s.id, s.name) for s in services]
        self.fields["staff"].choices = [("", gettext("Anyone available"))] + [(s.id, s.name) for s in staff]

    def chosen(self) -> list[Service]:
        """The chosen services in the menu's order (the visit runs in that order)."""
        ids = set(self.cleaned_data.get("service") or [])
        return [s for s in self.services if s.id in ids]


class PickForm(VisitForm):
    # Both only steer what the picker shows: a day it cannot show (outside dates.DIARY) is dropped like garbage.
    day = dates.BoundedDateField(required=False, label=gettext_lazy("Day"))
    start_day = dates.BoundedDateField(required=False, widget=forms.HiddenInput)


class HoldForm(VisitForm):
    start = forms.CharField(max_length=40, label=gettext_lazy("Time"))

    def clean_start(self) -> dt.datetime:
        return parse_start(self.cleaned_data["start"])


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, max_length=2000, label=gettext_lazy("Notes"),
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=gettext_lazy("Anything the venue should know (optional)."))


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, label=gettext_lazy("Reason (optional)"))


class MoveForm(forms.Form):
    start = forms.CharField(max_length=40, label=gettext_lazy("Time"))
    staff = forms.CharField(required=False, max_length=20, label=gettext_lazy("With"))

    def clean_start(self) -> dt.datetime:
        return parse_start(self.cleaned_data["start"])

    def clean_staff(self) -> str:
        value = self.cleaned_data["staff"].strip()
        if value not in ("", "keep", "anyone") and id_from(value) is None:
            raise forms.ValidationError(gettext("Choose who should do it from the list."))
        return value
