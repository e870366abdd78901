"""The owner's photo forms: an upload (file, alt text, where it goes) and an alt text edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .images import MAX_BYTES
from .models import Role


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Picture (JPEG, PNG or WebP, up to 10 MB)"), allow_empty_file=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    alt_text = forms.CharField(label=_("Describe it (alt text, for people who cannot see it)"), max_length=250,
                               min_length=3)
    role = forms.ChoiceField(label=_("Use it as"), choices=Role.choices, initial=Role.GALLERY)
    staff = forms.TypedChoiceField(label=_("Staff member (for a staff picture)"), coerce=int, required=False,
                                   empty_value=None)

    def __init__(self, *args: Any, staff: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "—")] + [(s.pk, s.name) for s in staff or []]

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("That file is too large: at most 10 MB."))
        return upload.read()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Role.STAFF and not data.get("staff"):
            self.add_error("staff", _("Choose whose picture it is."))
        return data


class AltForm(forms.Form):
    alt_text = forms.CharField(label=_("Alt text"), max_length=250, min_length=3)
