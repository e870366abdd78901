"""The appointment book's forms: a booking made at the desk or on the phone, moved or cancelled by staff, and the
client record. Choices are limited to the venue's own rows, as in forms.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.lib import clock, formats
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


FIRST_PASS, SECOND_PASS = "first", "second"


def _pass_field() -> forms.ChoiceField:
    """Which of the two passes of a time the clocks repeat: hidden until the time typed in is one (_clean_start)."""
    return forms.ChoiceField(choices=[("", ""), (FIRST_PASS, FIRST_PASS), (SECOND_PASS, SECOND_PASS)],
                             required=False, widget=forms.HiddenInput, label=gettext_lazy("Which one"))


def _clean_start(form: forms.Form, data: dict[str, Any]) -> None:
    """data["start"]: the aware instant of the local date and time typed in at the form's venue (`form.venue`);
    a time the clocks skip is the time field's error. A time they repeat (01:30 the night they go back) is
    asked about: the form comes back with the two passes to choose from (`clock_pass`), named by their zones."""
    if not (data.get("date") and data.get("time")):
        return
    zone = form.venue.tz  # type: ignore[attr-defined]
    try:
        first = local_instant(data["date"], data["time"], zone)
    except forms.ValidationError as exc:
        form.add_error("time", exc)
        return
    second = local_instant(data["date"], data["time"], zone, latest=True)
    chosen = data.get("clock_pass")
    if first.timestamp() == second.timestamp() or chosen in (FIRST_PASS, SECOND_PASS):
        # In UTC: two passes of one wall time compare equal (and add up) as wall times in their own zone.
        data["start"] = (second if chosen == SECOND_PASS else first).astimezone(dt.UTC)
        return
    when = {"time": formats.clock_time(data["time"]), "day": formats.day(data["date"])}
    field = form.fields["clock_pass"]
    field.widget = forms.RadioSelect(choices=[
        (FIRST_PASS, gettext("%(time)s %(zone)s, before the clocks go back")
         % {"time": when["time"], "zone": clock.zone_name(zone, first)}),
        (SECOND_PASS, gettext("%(time)s %(zone)s, after the clocks go back")
         % {"time": when["time"], "zone": clock.zone_name(zone, second)}),
    ])
    form.add_error("clock_pass", gettext(
        "The clocks go back on %(day)s, so %(time)s happens twice: choose which one.") % when)


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
    clock_pass = _pass_field()
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
    clock_pass = _pass_field()
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
