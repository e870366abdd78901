"""Signing in, up or out, and closing the account, land on the home page in the language the person was using.

The default landing was "/" (English) wherever no `next` came along: signing in on /it/accounts/login/ (the
password-reset page's link, the code step's "sign in again" link, a bookmark), signing up on /de/accounts/signup/,
signing out with the header's button on a French page, or closing the account from /es/accounts/close/ all
switched the person to English, the closing message (written in Spanish) shown on an English page.
"""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from pamper.tests.world import World

from .passwords import PASSWORD, with_password

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("prefix", ["", "/it", "/fr", "/pt"])
def test_signing_in_and_out_lands_on_the_home_page_in_the_pages_language(world: World, prefix: str) -> None:
    user, browser = with_password(world.customer), HttpClient()
    signed_in = browser.post(f"{prefix}/accounts/login/", {"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == f"{prefix}/"
    signed_out = browser.post(f"{prefix}/accounts/logout/")
    assert signed_out.status_code == 302 and signed_out["Location"] == f"{prefix}/"


def test_signing_up_lands_on_the_home_page_in_the_pages_language(world: World) -> None:
    browser = HttpClient()
    done = browser.post("/de/accounts/signup/", {"name": "Neue Kundin", "email": "neu@example.com",
                                                 "password1": PASSWORD, "password2": PASSWORD, "password": PASSWORD,
                                                 "terms": "on"})
    assert done.status_code == 302 and done["Location"] == "/de/", done.content.decode()[:2000]


def test_closing_the_account_lands_on_the_home_page_in_the_pages_language(world: World) -> None:
    user, browser = with_password(world.other_customer), HttpClient()
    browser.post("/es/accounts/login/", {"email": user.email, "password": PASSWORD})
    done = browser.post("/es/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/es/"
    assert "Tu cuenta de Pamper está cerrada" in browser.get(done["Location"]).content.decode()
