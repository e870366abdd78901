"""The form an owner records a practitioner's credential with (who may treat)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pamper.catalog.models import Treatment
from pamper.lib.dates import CREDENTIAL, BoundedDateField
from pamper.practitioners.actions import MAX_CERTIFICATE
from pamper.practitioners.models import Kind, Profession
from pamper.venues.models import Staff, Venue


class CredentialForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("Practitioner"))
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Credential"))
    profession = forms.ChoiceField(choices=[("", "—"), *Profession.choices], required=False, label=_("Profession"))
    body = forms.CharField(max_length=80, required=False, label=_("Register, insurer or training provider"),
                           help_text=_("For a registration: GMC, NMC, GDC, GPhC or HCPC (UK)."))
    number = forms.CharField(max_length=40, required=False, label=_("Number"))
    treatment = forms.ModelChoiceField(queryset=Treatment.objects.none(), required=False, label=_("Treatment"),
                                       help_text=_("Training and supervision: the treatment it covers."))
    supervisor = forms.ModelChoiceField(queryset=Staff.objects.none(), required=False,
                                        label=_("Supervising professional"))
    valid_until = BoundedDateField(required=False, window=CREDENTIAL, label=_("Valid until"),
                                   help_text=_("The last day it counts."),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    certificate = forms.FileField(required=False, label=_("Certificate (PDF, PNG or JPEG)"))

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(venue=venue).order_by("position", "name")
        self.fields["staff"].queryset = staff
        self.fields["supervisor"].queryset = staff
        self.fields["treatment"].queryset = Treatment.objects.filter(services__venue=venue).distinct().order_by("name")

    def clean_certificate(self) -> bytes | None:
        upload = self.cleaned_data.get("certificate")
        if not upload:
            return None
        if upload.size > MAX_CERTIFICATE:
            raise forms.ValidationError(_("A certificate may be at most 5 MB."))
        return upload.read()
