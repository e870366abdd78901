"""The waitlist form: which service, who, which days, what time of day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pamper.lib import dates
from pamper.venues.models import Service, Staff

from .models import PartOfDay


class JoinForm(forms.Form):
    service = forms.TypedChoiceField(coerce=int, label=_("Service"))
    staff = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Who"))
    first_day = dates.VisitDateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = dates.VisitDateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    part_of_day = forms.ChoiceField(choices=PartOfDay.choices, initial=PartOfDay.ANY, label=_("Time of day"))

    def __init__(self, *args: Any, services: list[Service], staff: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {s.id: s for s in services}
        self.staff = {s.id: s for s in staff}
        self.fields["service"].choices = [(s.id, s.name) for s in services]
        self.fields["staff"].choices = [("", _("Anyone"))] + [(s.id, s.name) for s in staff]

    def chosen_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def chosen_staff(self) -> Staff | None:
        staff_id = self.cleaned_data.get("staff")
        return self.staff.get(staff_id) if staff_id else None
