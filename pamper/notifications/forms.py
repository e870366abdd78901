"""Forms of the notification settings page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.notifications.models import PREFERENCE_FIELDS, CalendarFeed, Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = list(PREFERENCE_FIELDS)
        labels = {
            "booking_updates": gettext_lazy("Confirmations, changes and cancellations"),
            "reminders": gettext_lazy("Reminders before an appointment"),
            "patch_test_reminders": gettext_lazy("Reminders before a patch test"),
            "checkins": gettext_lazy("A check-in two days after a treatment"),
            "review_requests": gettext_lazy("An invitation to review a visit"),
            "venue_bookings": gettext_lazy("New, moved and cancelled bookings at venues where I work"),
        }

    def __init__(self, *args: Any, works_at_venue: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not works_at_venue:
            del self.fields["venue_bookings"]


class FeedForm(forms.Form):
    """Make (or replace) a feed: the person's bookings, or the diary of one of their staff profiles."""

    scope = forms.ChoiceField(choices=CalendarFeed.Scope.choices, label=gettext_lazy("Calendar"))
    staff = forms.IntegerField(required=False, min_value=1, label=gettext_lazy("Staff"))

    def __init__(self, *args: Any, staff_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_ids = staff_ids

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") == CalendarFeed.Scope.STAFF and data.get("staff") not in self.staff_ids:
            raise forms.ValidationError(gettext("Choose one of your own staff diaries."))
        if data.get("scope") == CalendarFeed.Scope.CUSTOMER:
            data["staff"] = None
        return data
