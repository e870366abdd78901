"""Workspace forms. Choices that point at other rows are limited to the venue's own rows,
so a posted id from another venue is a validation error, never a cross-venue write."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from pamper.accounts.actions import roles_grantable_by
from pamper.accounts.models import Role, User
from pamper.catalog.models import Treatment
from pamper.lib import clock, formats, walltime
from pamper.lib.formfields import IdsField
from pamper.lib.widgets import QuickSelect
from pamper.venues.models import Resource, Service, Staff, Venue

from . import places

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WallStartField(forms.TimeField):
    """Where a day's hours start: a time of day; 24:00 is refused in words (it ends a day, it starts nothing)."""

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
            raise forms.ValidationError(gettext("24:00 can only end a day's hours: start at 00:00 instead."),
                                        code="invalid")
        return super().to_python(value)


class WallEndField(forms.TimeField):
    """Where a day's hours end: a time of day, or midnight written 24:00 or 00:00 (what a time picker offers),
    read as walltime.END_OF_DAY and shown in the picker as 00:00."""

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, str) and value.strip() in ("24:00", "24:00:00"):
            return walltime.END_OF_DAY
        found = super().to_python(value)
        return None if found is None else walltime.as_end(found)

    def prepare_value(self, value: Any) -> Any:
        return "00:00" if value == walltime.END_OF_DAY else value


def local_instant(day: dt.date, wall: dt.time, zone: zoneinfo.ZoneInfo, *, latest: bool = False) -> dt.datetime:
    """The aware instant of a local date and time; a time skipped by a clock change is refused. A time the clocks
    repeat (01:30 when they go back) is its first pass, or its last with `latest`: the end of an interval, so that
    an interval written in local times covers both passes."""
    instant = dt.datetime.combine(day, wall, tzinfo=zone).replace(fold=1 if latest else 0)
    if instant.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != instant.replace(tzinfo=None):
        raise forms.ValidationError(
            gettext("%(format)s does not exist on %(format2)s in %(zone_key)s: the clocks go forward then.")
            % {"format": format(wall, "%H:%M"), "format2": formats.day(day, "medium"),
               "zone_key": clock.zone_name(zone, instant)}
        )
    return instant


class VenueOwnedForm(forms.ModelForm):
    """A form for one of the venue's own rows (made with venue=...): the row is the venue's whatever was posted,
    and the model's validation sees it so."""

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue

    def _post_clean(self) -> None:
        self.instance.venue = self.venue
        super()._post_clean()


class VenueForm(forms.ModelForm):
    """A venue's public details and place. The pin may be left empty: the city's centre is used."""

    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, label=gettext_lazy("Latitude"),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, label=gettext_lazy("Longitude"),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )

    class Meta:
        model = Venue
        fields = [
            "name",
            "kind",
            "description",
            "address",
            "city",
            "postcode",
            "country",
            "latitude",
            "longitude",
            "timezone",
            "currency",
            "phone",
            "email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": gettext_lazy("Name"), "kind": gettext_lazy("Kind"),
                  "description": gettext_lazy("Description"), "address": gettext_lazy("Address"),
                  "city": gettext_lazy("City"), "country": gettext_lazy("Country"),
                  "timezone": gettext_lazy("Time zone"), "currency": gettext_lazy("Currency")}
        help_texts = {
            "timezone": gettext_lazy("Suggested from the country; every time on your calendar and in emails uses it."),
            "currency": gettext_lazy("Suggested from the country; prices are shown in it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            choices=[("", gettext_lazy("Choose a country")), *places.country_choices()], label=gettext_lazy("Country"),
            widget=QuickSelect,
        )
        self.fields["timezone"] = forms.ChoiceField(
            choices=[("", gettext_lazy("From the country")), *places.timezone_choices()],
            required=False,
            label=self.Meta.labels["timezone"],
            help_text=self.Meta.help_texts["timezone"],
            widget=QuickSelect,
        )
        self.fields["currency"] = forms.ChoiceField(
            choices=[("", gettext_lazy("From the country")), *places.currency_choices()],
            required=False,
            label=self.Meta.labels["currency"],
            help_text=self.Meta.help_texts["currency"],
            widget=QuickSelect,
        )
        self.fields["latitude"].help_text = gettext_lazy(
            "Click the map to put the pin on your door, or leave empty to use the city centre."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        hint = places.hints().get(data.get("country") or "")
        if hint is None:
            return data
        data["timezone"] = data.get("timezone") or hint.timezone
        data["currency"] = data.get("currency") or hint.currency
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("latitude", gettext("Give both latitude and longitude, or neither."))
        elif lat is None and data.get("city"):
            found = places.locate_city(hint.code, data["city"])
            if found is None:
                self.add_error(
                    "latitude",
                    gettext("We could not find %(data_city)s in %(hint_name)s: put a pin on the map.")
                    % {"data_city": data["city"], "hint_name": places.country_name(hint.code)},
                )
            else:
                data["latitude"], data["longitude"] = found
        return data

    def _post_clean(self) -> None:
        # The model's own validation runs on the suggested zone and currency, not on the empty inputs.
        for name in ("timezone", "currency", "latitude", "longitude"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class PolicyForm(forms.ModelForm):
    slot_minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[(m, format_lazy(gettext_lazy("every {minutes} minutes"), minutes=m))
                 for m in (5, 10, 15, 20, 30, 45, 60)],
        label=gettext_lazy("Start times"),
        help_text=gettext_lazy("Start times offered to customers fall on this grid."),
    )

    class Meta:
        model = Venue
        fields = [
            "slot_minutes",
            "min_notice_minutes",
            "horizon_days",
            "cancel_notice_hours",
            "auto_confirm",
            "reminder_lead_hours",
        ]
        labels = {
            "min_notice_minutes": gettext_lazy("Minimum notice (minutes)"),
            "horizon_days": gettext_lazy("Bookable up to (days ahead)"),
            "cancel_notice_hours": gettext_lazy("Customers may cancel or move up to (hours before)"),
            "auto_confirm": gettext_lazy("Confirm online bookings automatically"),
            "reminder_lead_hours": gettext_lazy("Reminder sent (hours before)"),
        }
        help_texts = {"auto_confirm": gettext_lazy("When off, online bookings wait for you to confirm them.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # the model's upper limits (a year, 365 days) told to the browser too
            limits = [v.limit_value for v in Venue._meta.get_field(name).validators
                      if isinstance(v, MaxValueValidator)]
            if limits and isinstance(field, forms.IntegerField):
                field.widget.attrs["max"] = min(limits)


class ServiceForm(VenueOwnedForm):
    staff = IdsField(
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Performed by"),
    )
    rules_change_reason = forms.CharField(
        label=gettext_lazy("Reason for a change to its clinical rules"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only needed when you change the kind or the treatment so that its bookings are checked less "
            "(owner only, and only while it has no bookings to come). Kept in the venue's audit log."
        ),
    )

    class Meta:
        model = Service
        fields = [
            "treatment",
            "kind",
            "name",
            "variant",
            "description",
            "price",
            "duration_minutes",
            "buffer_before",
            "buffer_after",
            "resource",
            "online_bookable",
            "is_active",
            "position",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "kind": gettext_lazy("Kind"),
            "name": gettext_lazy("Name"),
            "variant": gettext_lazy("Variant"),
            "description": gettext_lazy("Description"),
            "duration_minutes": gettext_lazy("Duration (minutes)"),
            "buffer_before": gettext_lazy("Preparation before (minutes)"),
            "buffer_after": gettext_lazy("Clean-up after (minutes)"),
            "resource": gettext_lazy("Needs room or device"),
            "online_bookable": gettext_lazy("Customers can book it online"),
            "is_active": gettext_lazy("Offered now"),
            "position": gettext_lazy("Order in lists"),
        }

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, venue=venue, **kwargs)
        self.fields["treatment"].queryset = Treatment.objects.order_by("name")
        self.fields["resource"].queryset = Resource.objects.filter(venue=venue)
        self.fields["resource"].label_from_instance = lambda resource: resource.name  # the venue goes without saying
        self.fields["staff"].queryset = Staff.objects.filter(venue=venue)
        self.fields["price"].help_text = gettext("In %(currency)s.") % {"currency": venue.currency}
        if self.instance.pk:
            self.fields["staff"].initial = list(self.instance.staff.values_list("pk", flat=True))

    def clean_price(self) -> Any:
        price = self.cleaned_data["price"]
        if price is not None and price.as_tuple().exponent < -2:
            raise forms.ValidationError(gettext("Use at most two decimal places."))
        return price

    def _post_clean(self) -> None:
        self.instance.currency = self.venue.currency
        super()._post_clean()


class StaffForm(VenueOwnedForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Their Pamper account"),
        help_text=gettext_lazy("Link a team member's account so they see their own visits."),
    )

    class Meta:
        model = Staff
        fields = ["name", "title", "bio", "user", "services", "is_active", "position"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3}), "services": forms.CheckboxSelectMultiple}
        field_classes = {"services": IdsField}
        labels = {
            "name": gettext_lazy("Name"),
            "title": gettext_lazy("Job title"),
            "services": gettext_lazy("Services they perform"),
            "is_active": gettext_lazy("Takes bookings"),
            "position": gettext_lazy("Order on the calendar"),
        }

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, venue=venue, **kwargs)
        services = Service.objects.filter(venue=venue).order_by("-is_active", "position", "name")
        self.fields["services"].queryset = services
        self.fields["services"].required = False
        # The service's own name (and variant): its str() is an admin label in English with the venue's name.
        self.fields["services"].label_from_instance = (
            lambda service: f"{service.name} ({service.variant})"
            if service.variant and service.variant.lower() not in service.name.lower() else service.name)
        self.fields["user"].queryset = User.objects.filter(memberships__venue=venue).order_by("name", "email")


class ResourceForm(VenueOwnedForm):
    """A room or device some services need besides a practitioner (a treatment room, a laser)."""

    class Meta:
        model = Resource
        fields = ["name", "kind"]
        labels = {"name": gettext_lazy("Name"), "kind": gettext_lazy("Kind")}


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label=gettext_lazy("Email"))
    role = forms.ChoiceField(choices=[], label=gettext_lazy("Role"))

    def __init__(self, *args: Any, by_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles_grantable_by(by_role)]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=gettext_lazy("Role"))
