"""Forms for the clinical pages. Validation of meaning lives in actions.py; these check shape."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pamper.clinical.models import Angle, Outcome, PhotoUse, Questionnaire, ReviewStatus
from pamper.clinical.photos import MAX_BYTES
from pamper.lib import dates
from pamper.lib.ids import MAX_ID

YES_NO = [("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))]


def row_id(required: bool = True, label: str | None = None) -> forms.IntegerField:
    """An id field bounded to what the database can hold (a larger number is a form error, not an overflow)."""
    widget = forms.HiddenInput if label is None else forms.NumberInput
    return forms.IntegerField(min_value=1, max_value=MAX_ID, required=required, label=label, widget=widget)


class QuestionnaireForm(forms.Form):
    """One radio per yes/no question, one text box per free-text question, built from a version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**6)

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.fields["version"].initial = questionnaire.version
        for q in questionnaire.shown_questions():
            if q["kind"] == "yesno":
                self.fields[q["slug"]] = forms.ChoiceField(label=q["question"], choices=YES_NO,
                                                           widget=forms.RadioSelect,
                                                           error_messages={"required": gettext("Answer yes or no.")})
            else:
                self.fields[q["slug"]] = forms.CharField(label=q["question"], required=False, max_length=2000,
                                                         widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict[str, bool | str]:
        out: dict[str, bool | str] = {}
        for q in self.questionnaire.questions:
            value = self.cleaned_data[q["slug"]]
            out[q["slug"]] = value == "yes" if q["kind"] == "yesno" else value
        return out


class ConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**6)
    typed_name = forms.CharField(label=gettext_lazy("Type your full name to sign"), max_length=150, min_length=2)
    agree = forms.BooleanField(label=gettext_lazy("I have read this consent form and agree to it"),
                               error_messages={"required": gettext_lazy("Tick the box to agree.")})


class CheckinForm(forms.Form):
    side_effect = forms.ChoiceField(
        label=gettext_lazy(
            "Since your session, has anything bothered you: more swelling, pain, redness, warmth, discharge, "
            "a rash, or feeling unwell?"
        ),
        choices=[("no", gettext_lazy("No, it is settling as expected")),
                 ("yes", gettext_lazy("Yes, something is bothering me"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Tell the practitioner more (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhotoUseForm(forms.Form):
    use = forms.ChoiceField(choices=PhotoUse.choices, widget=forms.RadioSelect, label=gettext_lazy("Use"))


class EraseForm(forms.Form):
    confirm = forms.CharField(label=gettext_lazy("Type ERASE to confirm"), max_length=10)

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != "ERASE":
            raise forms.ValidationError(gettext("Type ERASE in capitals to confirm."))
        return value


class LocalDateTimeField(dates.Bounded, forms.DateTimeField):
    """A datetime-local input read as wall-clock time in the venue's zone (set `zone` before cleaning).

    Its date must fall inside a window of pamper.lib.dates (DIARY unless `window=` says otherwise).
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    zone: zoneinfo.ZoneInfo | None = None

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        naive = parsed.replace(tzinfo=None)
        return naive.replace(tzinfo=self.zone or zoneinfo.ZoneInfo("UTC"))


class VenueForm(forms.Form):
    """A form whose datetime fields are in the venue's local time."""

    def __init__(self, *args: Any, zone: zoneinfo.ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f, LocalDateTimeField):
                f.zone = zone


class PatchTestForm(VenueForm):
    treatment = row_id()
    booking = row_id(required=False)
    applied_at = LocalDateTimeField(
        label=gettext_lazy("Test applied at"),
        required=False,
        help_text=gettext_lazy("Leave empty to use the end of the consultation."),
    )
    outcome = forms.ChoiceField(
        choices=[(Outcome.PASSED, gettext_lazy("No reaction")), (Outcome.REACTION, gettext_lazy("Reaction"))],
        widget=forms.RadioSelect, label=gettext_lazy("Result"),
    )
    read_at = LocalDateTimeField(label=gettext_lazy("Result read at"))
    product = forms.CharField(max_length=200, required=False, label=gettext_lazy("Product"))
    batch = forms.CharField(label=gettext_lazy("Batch number"), max_length=100, required=False)
    notes = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            label=gettext_lazy("Notes"))
    late_reason = forms.CharField(
        label=gettext_lazy("Why it is entered late"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Needed when the result was read more than a day ago."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ReviewStatus.CLEARED, gettext_lazy("Cleared: may go ahead")),
                 (ReviewStatus.DECLINED, gettext_lazy("Declined: not suitable"))],
        widget=forms.RadioSelect, label=gettext_lazy("Decision"),
    )
    note = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           label=gettext_lazy("Note"))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, min_length=5, widget=forms.Textarea(attrs={"rows": 2}),
                             label=gettext_lazy("Reason"))


class CourseForm(forms.Form):
    treatment = row_id()
    planned_sessions = forms.IntegerField(min_value=1, max_value=50, label=gettext_lazy("Sessions planned"))
    interval_days = forms.IntegerField(label=gettext_lazy("Days between sessions"), min_value=0, max_value=365)


class SessionForm(VenueForm):
    treatment = row_id()
    booking = row_id(required=False)
    performed_at = LocalDateTimeField(
        label=gettext_lazy("Session took place at"), required=False, help_text=gettext_lazy("Leave empty for now.")
    )
    notes = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            label=gettext_lazy("Notes"))
    late_reason = forms.CharField(
        label=gettext_lazy("Why it is entered late"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Needed when the session took place more than a day ago."),
    )


class PhotoForm(forms.Form):
    treatment = row_id()
    angle = forms.ChoiceField(choices=Angle.choices, label=gettext_lazy("Angle"))
    session = row_id(required=False)
    file = forms.FileField(label=gettext_lazy("Photo (JPEG, PNG or WebP, up to 10 MB)"), allow_empty_file=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext("That file is too large: photos may be at most %(max_bytes____2__20)s MB.")
                % {"max_bytes____2__20": MAX_BYTES // 2**20}
            )
        return upload


class InPersonConsentForm(ConsentForm):
    treatment = row_id()


class OverrideForm(VenueForm):
    service = row_id(label=gettext_lazy("Service"))
    start = LocalDateTimeField(label=gettext_lazy("Start"), window=dates.VISIT)
    reason = forms.CharField(
        label=gettext_lazy("Why the pathway rule is set aside"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
