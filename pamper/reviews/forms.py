"""Forms for the review pages. The actions re-check every rule; these give friendly field errors."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from .models import REPLY_MAX, TEXT_MAX, ReportReason


def star_choices() -> list[tuple[int, str]]:
    """5 stars down to 1, in the active language (a callable: the form asks each time it is made)."""
    return [(n, ngettext("%(count)s star", "%(count)s stars", n) % {"count": n}) for n in (5, 4, 3, 2, 1)]


def optional_star_choices() -> list[tuple[int | str, str]]:
    return [("", gettext("Skip")), *star_choices()]


def _optional_stars(label: str | Promise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=optional_star_choices, coerce=int, empty_value=None, required=False,
        widget=forms.RadioSelect
    )


class ReviewForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=gettext_lazy("Overall"), choices=star_choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose from 1 to 5 stars.")},
    )
    ambience = _optional_stars(gettext_lazy("Ambience"))
    cleanliness = _optional_stars(gettext_lazy("Cleanliness"))
    staff = _optional_stars(gettext_lazy("Staff"))
    value = _optional_stars(gettext_lazy("Value for money"))
    text = forms.CharField(
        label=gettext_lazy("Your review"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=format_lazy(gettext_lazy("What went well, what could be better. Up to {count} characters."),
                              count=f"{TEXT_MAX:,}"),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Reply from the venue"), max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPLY_MAX}),
        help_text=gettext_lazy("Shown publicly under the review. You can reply once."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("What is wrong with this review?"), choices=ReportReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("Anything else we should know"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
