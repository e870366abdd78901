"""What an authenticator app does, for tests: the current code of a user's app, and turning two-factor on
through the real pages."""

from __future__ import annotations

import base64
import re

from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.accounts.models import User


def code_now(user: User, *, key: str | None = None) -> str:
    """The 6 digits the user's authenticator app shows at this (possibly frozen) moment (for `key`, a hex key
    being set up; else the user's confirmed app)."""
    device = TOTPDevice(key=key) if key else TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def scan(page_content: bytes) -> str:
    """What the app reads from the set-up page: the key typed-by-hand form (base32), as hex."""
    found = re.search(rb'id="totp-secret">([A-Z2-7 ]+)<', page_content)
    assert found, "the set-up page shows no key"
    raw = found.group(1).decode().replace(" ", "")
    return base64.b32decode(raw + "=" * (-len(raw) % 8)).hex()


def turn_on(client: HttpClient, user: User) -> list[str]:
    """Scan (read the new secret) and confirm with the first code on /accounts/two-factor/; returns the recovery codes.

    Afterwards the client's session counts as verified, as it does for a person who has just done this.
    """
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and b"<svg" in page.content
    response = client.post("/accounts/two-factor/",
                           {"action": "confirm", "code": code_now(user, key=scan(page.content))})
    assert response.status_code == 200, response.content[:500]
    return list(response.context["codes"])
