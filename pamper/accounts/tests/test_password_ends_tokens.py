"""A new password ends the account's API tokens, as it ends its other sessions: whoever signed in with the old
password and took a token (POST /api/v1/auth/token, or the tokens page) loses it when the owner resets or changes
the password, and the owner is told to make new ones."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.test import Client

from pamper.accounts.models import ApiToken
from pamper.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "lilac-orchard-58"


def _token(client: Client) -> str:
    answer = client.post("/api/v1/auth/token", {"email": "nora@example.com", "password": PASSWORD},
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    return str(answer.json()["token"])


def _works(raw: str) -> bool:
    return Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_a_password_reset_revokes_the_tokens(client: Client) -> None:
    UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")
    stolen = _token(Client())
    assert _works(stolen)
    client.post("/accounts/password/reset/", {"email": "nora@example.com"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    new = {"new_password1": "moss-garden-77", "new_password2": "moss-garden-77"}
    done = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert done.status_code == 200
    assert not _works(stolen)
    assert not ApiToken.objects.active().exists()
    assert "API tokens" in done.content.decode()


def test_a_password_change_revokes_the_tokens_and_keeps_this_session(client: Client) -> None:
    user = UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")
    stolen = _token(Client())
    client.force_login(user)
    done = client.post("/accounts/password/change/", {"old_password": PASSWORD, "new_password1": "moss-garden-77",
                                                      "new_password2": "moss-garden-77"}, follow=True)
    assert done.status_code == 200
    assert not _works(stolen)
    assert client.get("/accounts/profile/").status_code == 200  # the person who changed it stays signed in
    refused = Client().post("/api/v1/auth/token", {"email": "nora@example.com", "password": PASSWORD},
                            content_type="application/json")
    assert refused.status_code in (400, 401)


def test_manage_py_changepassword_ends_the_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator's `manage.py changepassword` sets the password on the model and saves it, with no page or form of
    ours in between: the save itself ends the tokens."""
    from django.core.management import call_command

    UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")
    stolen = _token(Client())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "fern-hollow-3391")  # the terminal's typed answer
    call_command("changepassword", "nora@example.com", stdout=io.StringIO())
    assert not _works(stolen)
    assert ApiToken.objects.get().revoked_at is not None


def test_a_sign_in_that_upgrades_the_stored_hash_keeps_the_tokens(settings) -> None:  # type: ignore[no-untyped-def]
    """Signing in rehashes a password stored with an older hasher (Django saves it again): the same password, so the
    tokens stay."""
    user = UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")
    stolen = _token(Client())
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    assert user.check_password(PASSWORD)  # rehashed with PBKDF2 and saved
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")
    assert _works(stolen)
