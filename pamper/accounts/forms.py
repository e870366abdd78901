"""Forms for the account pages: sign up, sign in, profile, API tokens."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import BaseUserCreationForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext, gettext_lazy

from pamper.lib.names import NameFormField

from .actions import EMAIL_TAKEN
from .models import User


class SignUpForm(BaseUserCreationForm):
    """Email, name and a password typed twice; the email is stored lower-cased."""

    TAKEN = EMAIL_TAKEN

    class Meta:
        model = User
        fields = ("email", "name")
        labels = {"email": gettext_lazy("Email"), "name": gettext_lazy("Name")}
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = gettext_lazy("How venues will address you.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(gettext(self.TAKEN))
        return email


class SignInForm(forms.Form):
    """Email and password. The password is checked by pamper.accounts.signin, with the attempt limits."""

    WRONG = gettext_lazy("The email or password is not right.")

    email = forms.EmailField(max_length=254, label=gettext_lazy("Email"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(max_length=128, strip=False, label=gettext_lazy("Password"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("name", "phone", "language")
        labels = {"name": gettext_lazy("Name"), "phone": gettext_lazy("Phone"),
                  "language": gettext_lazy("Language of your emails and reminders")}
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["language"].help_text = gettext_lazy("Left empty, each venue writes in its own language.")


class TokenForm(forms.Form):
    name = NameFormField(max_length=100, label=gettext_lazy("Name"),
                           help_text=gettext_lazy("What the token is for, e.g. 'front desk tablet'."))



class CodeForm(forms.Form):
    """Six digits from the authenticator app, or one of the recovery codes (not while setting the app up)."""

    code = forms.CharField(
        max_length=20, label=gettext_lazy("Code"),
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}),
    )

    def __init__(self, *args: Any, setting_up: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if setting_up:
            self.fields["code"].help_text = gettext_lazy("The 6-digit code the app shows now for Pamper.")


class DisableTwoFactorForm(forms.Form):
    """Turning the second factor off asks for the password again."""

    password = forms.CharField(max_length=128, strip=False, label=gettext_lazy("Your password"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your password."))
        return password


class CloseAccountForm(forms.Form):
    """Closing the account asks for the password again, the code when two-factor sign-in is on, and a tick.

    The password and code are checked by actions.close_account (pamper.accounts.signin.confirm_identity), within
    the sign-in limits."""

    password = forms.CharField(max_length=128, strip=False, label=gettext_lazy("Your password"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(
        max_length=20, label=gettext_lazy("Code"),
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false",
                                      "autocapitalize": "off"}),
    )
    confirm = forms.BooleanField(label=gettext_lazy("I understand that closing my account cannot be undone."))

    def __init__(self, *args: Any, two_factor_on: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not two_factor_on:
            del self.fields["code"]


RESET_MAILS_PER_HOUR = 3  # to one address, whoever asks (the page's own limit counts each asker's address)
logger = logging.getLogger(__name__)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most RESET_MAILS_PER_HOUR reset emails an hour to one address.

    Anyone may type someone's address and press Send as often as they like (from as many network addresses):
    each press mailed the person a reset link. Past the limit the page answers exactly as before (it never says
    whether an account exists) and nothing is sent. settings.RATE_LIMITS switches it off with the other limits.
    """

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        if settings.RATE_LIMITS and _over_reset_limit(to_email, time.time()):
            logger.warning("password reset email not sent: over %s an hour to one address", RESET_MAILS_PER_HOUR)
            return
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)


def _over_reset_limit(email: str, now: float) -> bool:
    hour = int(now // 3600)
    key = f"reset-mail:{hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]}:{hour}"
    cache.add(key, 0, timeout=3600 + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600 + 5)
        count = 1
    return count > RESET_MAILS_PER_HOUR
