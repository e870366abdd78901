"""Two-factor sign-in: turning it on, signing in with a code or a recovery code, limits, turning it off, the API."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from pamper.accounts.models import ApiToken, User
from pamper.tests.factories import UserFactory

from .otp import code_now, turn_on

pytestmark = pytest.mark.django_db
PASSWORD = "lilac-orchard-58"
START = 1_800_000_100.0  # inside one 15-minute counter window, and one 30-second code step


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def nora(clock) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(email="nora@example.com", password=PASSWORD, name="Nora Bloom")


def password_step(client: Client, email: str = "nora@example.com", password: str = PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": password} | ({"next": next_url} if next_url else {})
    return client.post("/accounts/login/", data, REMOTE_ADDR="203.0.113.5")


def code_step(client: Client, code: str, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"code": code} | ({"next": next_url} if next_url else {})
    return client.post("/accounts/login/code/", data, REMOTE_ADDR="203.0.113.5")


def signed_in(client: Client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def with_two_factor(nora: User, clock) -> list[str]:  # type: ignore[no-untyped-def]
    """Turn it on for nora and sign out; the clock moves on to the next code."""
    client = Client()
    client.force_login(nora)
    codes = turn_on(client, nora)
    clock.shift(30)
    return codes


def test_turning_it_on_shows_a_qr_code_and_ten_recovery_codes(client: Client, nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    client.force_login(nora)
    page = client.get("/accounts/two-factor/")
    assert b'id="two-factor-state">Off' in page.content
    assert b"<svg" in page.content and b'id="totp-secret"' in page.content
    wrong = client.post("/accounts/two-factor/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and b"not right" in wrong.content
    clock.shift(2)  # django-otp makes a device wait a second after a wrong code, doubling with each one
    codes = turn_on(client, nora)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert b'id="two-factor-state">On' in client.get("/accounts/two-factor/").content
    assert b"Two-factor sign-in</a> (on)" in client.get("/accounts/profile/").content


def test_a_password_alone_no_longer_signs_in(client: Client, nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    response = password_step(client, next_url="/account/health/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert not signed_in(client)
    assert code_step(client, "123456").status_code == 400
    assert not signed_in(client)
    clock.shift(2)
    done = code_step(client, code_now(nora), next_url="/account/health/")
    assert done.status_code == 302 and done["Location"] == "/account/health/"
    assert signed_in(client)


def test_each_code_works_once(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    first, second = Client(), Client()
    code = code_now(nora)
    password_step(first)
    assert code_step(first, code).status_code == 302
    password_step(second)
    assert code_step(second, code).status_code == 400  # someone who watched it typed cannot reuse it
    assert not signed_in(second)
    clock.shift(30)
    assert code_step(second, code_now(nora)).status_code == 302


def test_a_recovery_code_signs_in_once(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    codes = with_two_factor(nora, clock)
    first = Client()
    password_step(first)
    response = code_step(first, codes[3].upper())  # typed from paper in capitals: still accepted
    assert response.status_code == 302
    page = first.get("/accounts/profile/")
    assert page.status_code == 200 and b"recovery code; 9 left" in page.content
    second = Client()
    password_step(second)
    assert code_step(second, codes[3]).status_code == 400


def test_the_code_step_times_out(client: Client, nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    password_step(client)
    clock.shift(6 * 60)
    response = code_step(client, code_now(nora))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def test_code_guesses_are_limited_like_passwords(client: Client, nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    password_step(client)
    for guess in ["111111", "222222", "333333", "444444", "555555"]:
        assert code_step(client, guess).status_code == 400
    locked = code_step(client, code_now(nora))
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert not signed_in(client)
    # Signing in with the right password again does not reset the budget for guessing codes.
    password_step(client)
    assert code_step(client, "666666").status_code == 429


def test_changing_it_needs_the_second_factor_and_turning_it_off_the_password(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    stolen = Client()
    stolen.force_login(nora)  # a session with the password only
    response = stolen.get("/accounts/two-factor/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert stolen.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD}).status_code == 302
    assert nora.totpdevice_set.filter(confirmed=True).exists()

    client = Client()
    password_step(client)
    code_step(client, code_now(nora))
    wrong = client.post("/accounts/two-factor/", {"action": "disable", "password": "not-it"})
    assert wrong.status_code == 400 and nora.totpdevice_set.exists()
    off = client.post("/accounts/two-factor/", {"action": "disable", "password": PASSWORD})
    assert off.status_code == 302
    assert not nora.totpdevice_set.exists() and not nora.staticdevice_set.exists()
    client.post("/accounts/logout/")
    assert password_step(client).status_code == 302 and signed_in(client)


def test_new_recovery_codes_replace_the_old(client: Client, nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    old = with_two_factor(nora, clock)
    password_step(client)
    code_step(client, code_now(nora))
    new = client.post("/accounts/two-factor/", {"action": "recovery"}).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    password_step(other)
    assert code_step(other, old[0]).status_code == 400
    clock.shift(2)
    assert code_step(other, new[0]).status_code == 302


def test_the_api_token_exchange_asks_for_the_code(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    with_two_factor(nora, clock)
    api = Client()

    def exchange(**extra: str):  # type: ignore[no-untyped-def]
        body = {"email": "nora@example.com", "password": PASSWORD} | extra
        return api.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")

    assert exchange().json()["code"] == "two_factor_code_required"
    assert exchange(code="999999").json()["code"] == "invalid_code"
    clock.shift(2)
    response = exchange(code=code_now(nora))
    assert response.status_code == 200
    token = ApiToken.objects.get(user=nora)
    assert token.two_factor is True


def test_a_token_notes_when_it_was_last_used(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    token, raw = ApiToken.issue(nora)
    assert token.last_used_at is None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/auth/me").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    clock.shift(10)
    api.get("/api/v1/auth/me")
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten on every request
    clock.shift(60)
    api.get("/api/v1/auth/me")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_admin_signs_in_through_the_same_page_and_code_step(nora: User, clock) -> None:  # type: ignore[no-untyped-def]
    nora.is_staff = nora.is_superuser = True
    nora.save()
    with_two_factor(nora, clock)
    client = Client()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302 and page["Location"] == "/accounts/login/?next=/admin/"
    # Posting the password to the admin's old login address signs nobody in.
    client.post("/admin/login/", {"username": "nora@example.com", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 302
    password_step(client, next_url="/admin/")
    assert client.get("/admin/").status_code == 302  # not before the code
    assert code_step(client, code_now(nora), next_url="/admin/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
