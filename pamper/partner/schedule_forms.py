"""Workspace forms for the week: a practitioner's shifts and time off, the venue's opening hours and closure days.
Times are the venue's wall-clock times; a local time the clocks skip is refused (forms.local_instant)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.lib.dates import BoundedDateField
from pamper.lib.refusals import form_attempt
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure, OpeningHours, Shift, Staff

from .forms import DATE, TIME, VenueOwnedForm, WallEndField, WallStartField, local_instant


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["weekday", "start", "end", "valid_from", "valid_until"]
        widgets = {"start": TIME, "end": TIME, "valid_from": DATE, "valid_until": DATE}
        field_classes = {"start": WallStartField, "end": WallEndField, "valid_from": BoundedDateField,
                         "valid_until": BoundedDateField}
        help_texts = {
            "end": gettext_lazy("00:00 (or 24:00) means until midnight."),
            "valid_from": gettext_lazy("Optional: first day this shift applies."),
            "valid_until": gettext_lazy("Optional: last day."),
        }

    def __init__(self, *args: Any, staff: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff

    def clean(self) -> dict[str, Any]:
        """The shift's own rules (venues.actions.check_shift: times, dates, no clash), next to the fields at fault."""
        data = super().clean()
        if data.get("start") and data.get("end") and data.get("weekday") is not None:
            shift = Shift(
                pk=self.instance.pk,
                staff=self.staff,
                weekday=data["weekday"],
                start=data["start"],
                end=data["end"],
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
            )
            form_attempt(self, lambda: venue_actions.check_shift(shift))
        return data

    def _post_clean(self) -> None:
        self.instance.staff = self.staff
        super()._post_clean()


class TimeOffForm(forms.Form):
    start_date = BoundedDateField(widget=DATE, label=gettext_lazy("Start date"))
    start_time = forms.TimeField(widget=TIME, initial=dt.time(0), label=gettext_lazy("Start time"))
    end_date = BoundedDateField(widget=DATE, label=gettext_lazy("End date"))
    end_time = forms.TimeField(widget=TIME, initial=dt.time(23, 59), label=gettext_lazy("End time"))
    reason = forms.CharField(max_length=200, required=False, label=gettext_lazy("Reason"))

    def __init__(self, *args: Any, zone: zoneinfo.ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        # From the first pass of the start to the last pass of the end: time off written inside the hour the clocks
        # repeat covers both passes of it (the owner cannot say which one, and is away for either).
        data["start"] = local_instant(data["start_date"], data["start_time"], self.zone)
        data["end"] = local_instant(data["end_date"], data["end_time"], self.zone, latest=True)
        if data["end"] <= data["start"]:
            raise forms.ValidationError(gettext("Time off must end after it starts."))
        return data


class OpeningHoursForm(VenueOwnedForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": TIME, "closes": TIME}
        field_classes = {"opens": WallStartField, "closes": WallEndField}
        help_texts = {"closes": gettext_lazy("00:00 (or 24:00) means until midnight.")}

    def clean(self) -> dict[str, Any]:
        """Hours that overlap the day's other hours are refused here; hours that close before they open are
        refused by the model's constraint (OpeningHours.Meta), once, in its words."""
        data = super().clean()
        opens, closes, weekday = data.get("opens"), data.get("closes"), data.get("weekday")
        if (
            opens
            and closes
            and opens < closes
            and weekday is not None
            and OpeningHours.objects.filter(venue=self.venue, weekday=weekday, opens__lt=closes, closes__gt=opens)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(gettext("These hours overlap hours already set for that day."))
        return data


class ClosureForm(VenueOwnedForm):
    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DATE, "end_date": DATE}
        field_classes = {"start_date": BoundedDateField, "end_date": BoundedDateField}
        labels = {"start_date": gettext_lazy("Closed from"), "end_date": gettext_lazy("Closed until (inclusive)")}
    # A last day before the first is refused by the model's constraint (Closure.Meta), in its words.
