"""The appointment book's forms: a booking made at the desk or on the phone, moved or cancelled by staff, and the
client record. Choices are limited to the venue's own rows, as in forms.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.lib.dates import VisitDateField
from pamper.lib.fields import validate_phone
from pamper.lib.ids import id_from
from pamper.lib.money import format_money
from pamper.lib.names import NameFormField
from pamper.venues.models import Client, Service, Staff, Venue

from .forms import DATE, TIME, local_instant


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "phone", "email", "notes"]
        labels = {"name": gettext_lazy("Name")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def service_label(service: Service) -> str:
    """'Classic facial (60 min, £45)' for the service pickers."""
    return f"{service.name} ({service.duration_minutes} min, {format_money(service.price, service.currency)})"


NEW_CLIENT = "new"


def _clean_start(form: forms.Form, data: dict[str, Any]) -> None:
    """data["start"]: the aware instant of the local date and time typed in at the form's venue (`form.venue`);
    a time the clocks skip is the time field's error."""
    if data.get("date") and data.get("time"):
        try:
            data["start"] = local_instant(data["date"], data["time"], form.venue.tz)  # type: ignore[attr-defined]
        except forms.ValidationError as exc:
            form.add_error("time", exc)


class BookingForm(forms.Form):
    """A phone or walk-in booking: who, what, with whom, when (local date and time).

    Who: `client` (a link from the client's page), else the details typed in;
    when clients on file match them, the page shows them and the desk answers
    with a `pick` button: one client's id, or "new" for a new client.
    """

    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False, widget=forms.HiddenInput)
    name = NameFormField(max_length=150, required=False, label=gettext_lazy("Client name"))
    phone = forms.CharField(max_length=40, required=False, label=gettext_lazy("Phone"), validators=[validate_phone])
    email = forms.EmailField(max_length=254, required=False, label=gettext_lazy("Email"))
    service = forms.ModelChoiceField(queryset=Service.objects.none(), empty_label=gettext_lazy("Choose a service"),
                                     label=gettext_lazy("Service"))
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        empty_label=gettext_lazy("Anyone free"),
        label=gettext_lazy("With"),
    )
    date = VisitDateField(widget=DATE, label=gettext_lazy("Date"))
    time = forms.TimeField(widget=TIME, label=gettext_lazy("Time"))
    notes = forms.CharField(
        max_length=2000, required=False, label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, venue: Venue, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["client"].queryset = clients
        self.fields["service"].queryset = Service.objects.filter(venue=venue, is_active=True)
        self.fields["service"].label_from_instance = service_label
        self.fields["staff"].queryset = Staff.objects.filter(venue=venue, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_pick(data)
        if not data.get("client") and not (data.get("name") or "").strip():
            self.add_error("name", gettext("Give the client's name (and a phone number to reach them)."))
        _clean_start(self, data)
        return data

    def _clean_pick(self, data: dict[str, Any]) -> None:
        """The desk's choice among the clients shown (a `pick` button): a client id of this venue, or "new"."""
        pick = str(self.data.get("pick") or "").strip()
        data["new_client"] = pick == NEW_CLIENT
        if not pick or pick == NEW_CLIENT:
            return
        clients = self.fields["client"].queryset
        picked = id_from(pick)
        chosen = clients.filter(pk=picked).first() if picked else None
        if chosen is None:
            self.add_error(None, gettext("That client is not one of this venue's."))
        data["client"] = chosen


class MoveForm(forms.Form):
    date = VisitDateField(widget=DATE, label=gettext_lazy("Date"))
    time = forms.TimeField(widget=TIME, label=gettext_lazy("Time"))
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        empty_label=gettext_lazy("Same person (or anyone free)"),
        label=gettext_lazy("With"),
    )

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["staff"].queryset = Staff.objects.filter(venue=venue, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _clean_start(self, data)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("The client reads this in their cancellation email."),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. therapist unwell")}),
    )
