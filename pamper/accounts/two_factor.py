"""Two-factor sign-in: a code from an authenticator app (TOTP) after the password.

django-otp keeps the devices and checks the codes (a code is accepted once, and
wrong guesses slow the device down); this module is Pamper's policy on top:

- a person turns it on by scanning a QR code and typing the first code, and
  gets ten single-use recovery codes for a lost phone;
- signing in with a password alone then stops half-way: the account is not
  signed in until the code is given (see views.signin and views.verify);
- a venue owner can require it for everyone who can read clinical records
  there. Clinical lookups call `check_clinical`, which raises TwoFactorRequired
  for a session or token that has not passed the second factor; pages turn it
  into a redirect to set-up or to the code prompt, the API into a 403.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from .models import CLINICAL_ROLES, Membership, User

RECOVERY_CODES = 10
# How long a correct password waits for its code before the half-finished sign-in is dropped.
PENDING_SECONDS = 5 * 60
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class Venue(Protocol):
    """What this module reads of a venue (venues.models.Venue, which stands a layer above accounts)."""

    name: str
    require_two_factor: bool


class TwoFactorRequired(PermissionDenied):
    """A clinical record at a venue that requires a second factor, or a change that needs one (`message` says
    which), asked for without one."""

    def __init__(self, venue: Venue, *, has_device: bool, message: str = "") -> None:
        self.venue = venue
        self.has_device = has_device
        if not message and has_device:
            message = (f"{venue.name} requires two-factor sign-in for clinical records: enter a code from your "
                       "authenticator app.")
        elif not message:
            message = (f"{venue.name} requires two-factor sign-in for clinical records: turn it on in your account "
                       "first.")
        super().__init__(message)


def is_verified(user: Any) -> bool:
    """True when this request's user passed a second factor (a session after the code, or a token issued after one)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def is_enabled(user: User) -> bool:
    """True when the user has a confirmed authenticator app."""
    return user_has_device(user, confirmed=True)


def venues_requiring(user: User) -> list[Venue]:
    """Venues where the user can read clinical records and the owner requires two-factor sign-in, by name."""
    memberships = Membership.objects.filter(user=user, role__in=CLINICAL_ROLES, venue__require_two_factor=True)
    return [m.venue for m in memberships.select_related("venue").order_by("venue__name", "venue_id")]


def require_step_up(user: Any, *, venue: Venue, doing: str, venue_rule: bool = True) -> None:
    """Raise TwoFactorRequired unless this request passed the second factor, when there is one to give: the user
    has two-factor on, or (with `venue_rule`) `venue` requires it. `doing` names the change, translated and
    capitalised ("Giving a role that opens clinical records"). Used for changes that weaken protection or grant
    clinical access, so a password alone cannot make them where a second factor is in play."""
    if is_verified(user):
        return
    has_device = is_enabled(user)
    if not (has_device or (venue_rule and venue.require_two_factor)):
        return
    step = (gettext("enter a code from your authenticator app first") if has_device
            else gettext("turn on two-factor sign-in first"))
    raise TwoFactorRequired(
        venue,
        has_device=has_device,
        message=gettext("%(doing)s needs the second factor: %(step)s.") % {"doing": doing, "step": step},
    )


def check_clinical(user: User, venue: Venue) -> None:
    """Raise TwoFactorRequired when venue requires a second factor that this request has not given."""
    if venue.require_two_factor and not is_verified(user):
        raise TwoFactorRequired(venue, has_device=is_enabled(user))


# Set-up -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the QR code and, for typing by hand, the same secret in base32.

    Nothing is stored until the first code confirms it: the page keeps the new key in the session (`key`, hex).
    """

    key: str
    secret: str  # base32, in groups of four
    qr_svg: str  # an <svg> element


def _is_key(key: str | None) -> bool:
    try:
        key_validator(key or "")
    except ValidationError:
        return False
    return bool(key)


def enrolment(user: User, key: str | None) -> Enrolment:
    """How to show a new app key (a fresh one when `key` is None or not a valid key)."""
    if not _is_key(key):
        key = default_key()
    device = TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    import segno  # noqa: PLC0415 - on first use: only this page draws QR codes, and segno is 9 MB in memory

    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        dark="#1f2430",
        light="#ffffff",
        omitsize=True,  # sized by CSS from its viewBox
        title="QR code for your authenticator app",
    )
    return Enrolment(key=key, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), qr_svg=svg)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()[:16]


@transaction.atomic
def confirm(user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Store the app key once its first code checks out: returns the device and fresh recovery codes, or None."""
    enrolled = enrolment(user, key)
    if enrolled.key != key:
        return None
    device = TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME, confirmed=True)
    if not device.verify_token(_clean(code)):  # verify_token saves the device: undone below
        transaction.set_rollback(True)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # one app at a time
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable(user: User) -> None:
    """Remove the app and the recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Checking a code ----------------------------------------------------------------------------------------------


@transaction.atomic  # the devices are locked while checked, so one code cannot pass two concurrent requests
def verify(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The confirmed device that accepts code (an app code or an unused recovery code), or None.

    django-otp refuses a code already used and throttles a device after wrong guesses.
    """
    cleaned = _clean(code)
    if not cleaned:
        return None
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(cleaned):
            return device
    return None
