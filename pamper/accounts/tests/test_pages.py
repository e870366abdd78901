"""Account pages: sign up, sign in (rate-limited), sign out, password reset by email, profile, API tokens."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from pamper.accounts import lockout
from pamper.accounts.models import ApiToken, User
from pamper.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "lilac-orchard-58"


@pytest.fixture(autouse=True)
def _steady_clock():  # type: ignore[no-untyped-def]
    """The counters live in 15-minute windows: keep a test from straddling two of them."""
    with time_machine.travel(1_800_000_100.0, tick=False):
        yield


def make_user(email: str = "nora@example.com") -> User:
    return UserFactory(email=email, password=PASSWORD, name="Nora Bloom")


def sign_in(client: Client, email: str, password: str = PASSWORD, address: str = "203.0.113.5"):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"email": email, "password": password}, REMOTE_ADDR=address)


def test_sign_up_signs_you_in(client: Client) -> None:
    response = client.post("/accounts/signup/", {"email": "New@Example.com", "name": "New Person",
                                                 "password1": PASSWORD, "password2": PASSWORD, "next": "/partner/"})
    assert response.status_code == 302 and response["Location"] == "/partner/"
    user = User.objects.get()
    assert user.email == "new@example.com" and user.name == "New Person"
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_up_refuses_a_taken_address_and_a_weak_password(client: Client) -> None:
    make_user()
    taken = client.post("/accounts/signup/",
                        {"email": "NORA@example.com", "name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert taken.status_code == 400 and "already exists" in taken.content.decode()
    weak = client.post("/accounts/signup/",
                       {"email": "w@example.com", "name": "W", "password1": "password", "password2": "password"})
    assert weak.status_code == 400 and "too common" in weak.content.decode()
    assert User.objects.count() == 1


def test_sign_in_by_email_any_case_and_sign_out_by_post(client: Client) -> None:
    make_user()
    response = sign_in(client, "Nora@Example.COM")
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # a link cannot sign you out
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_next_must_stay_on_this_site(client: Client) -> None:
    make_user()
    response = client.post("/accounts/login/",
                           {"email": "nora@example.com", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_wrong_password_says_so_and_is_a_400(client: Client) -> None:
    make_user()
    response = sign_in(client, "nora@example.com", "wrong-one-123")
    assert response.status_code == 400 and "not right" in response.content.decode()


def test_too_many_failures_for_one_account_lock_it_with_a_429(client: Client) -> None:
    make_user()
    for attempt in range(lockout.MAX_PER_ACCOUNT):
        assert sign_in(client, "nora@example.com", f"guess-{attempt}",
                       address=f"198.51.100.{attempt}").status_code == 400
    # Even the right password from yet another address is refused now.
    locked = sign_in(client, "nora@example.com", address="192.0.2.77")
    html = locked.content.decode()
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "Too many sign-in attempts for this account" in html and "try again in" in html
    assert client.get("/accounts/profile/").status_code == 302


def test_too_many_failures_from_one_address_block_it_for_every_account(client: Client) -> None:
    make_user()
    for n in range(lockout.MAX_PER_ADDRESS):
        sign_in(client, f"someone{n}@example.com", "guess-123", address="203.0.113.9")
    blocked = sign_in(client, "nora@example.com", address="203.0.113.9")
    assert blocked.status_code == 429 and "your network address" in blocked.content.decode()
    assert sign_in(client, "nora@example.com", address="203.0.113.10").status_code == 302


def test_a_successful_sign_in_clears_the_account_counter(client: Client) -> None:
    make_user()
    for _ in range(lockout.MAX_PER_ACCOUNT - 1):
        sign_in(client, "nora@example.com", "nope-nope-1")
    assert sign_in(client, "nora@example.com").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(lockout.MAX_PER_ACCOUNT - 1):
        assert sign_in(client, "nora@example.com", "nope-nope-1").status_code == 400


def test_counters_span_a_window_boundary_then_expire() -> None:
    start = 1_800_000_000.0 - (1_800_000_000.0 % lockout.WINDOW_SECONDS)
    end_of_first = start + lockout.WINDOW_SECONDS - 5
    for _ in range(3):
        lockout.record_failure(email="x@example.com", address="a", now=end_of_first)
    for _ in range(2):
        lockout.record_failure(email="x@example.com", address="a", now=end_of_first + 10)  # the next window
    refused = lockout.check(email="x@example.com", address="b", now=end_of_first + 20)
    assert not refused.allowed and refused.retry_after == lockout.WINDOW_SECONDS - 15
    # Once the first window's failures age out, two are left: allowed again.
    assert lockout.check(email="x@example.com", address="b", now=start + 2 * lockout.WINDOW_SECONDS + 1).allowed


def test_a_full_window_of_failures_keeps_counting_through_the_next() -> None:
    start = 1_800_000_000.0 - (1_800_000_000.0 % lockout.WINDOW_SECONDS)
    for _ in range(lockout.MAX_PER_ACCOUNT):
        lockout.record_failure(email="y@example.com", address="a", now=start + 10)
    assert lockout.check(email="y@example.com", address="b",
                         now=start + 20).retry_after == 2 * lockout.WINDOW_SECONDS - 20
    assert not lockout.check(email="y@example.com", address="b", now=start + lockout.WINDOW_SECONDS + 60).allowed
    assert lockout.check(email="y@example.com", address="b", now=start + 2 * lockout.WINDOW_SECONDS).allowed


def test_password_reset_by_email(client: Client) -> None:
    make_user()
    response = client.post("/accounts/password/reset/", {"email": "NORA@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora@example.com"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": "moss-garden-77", "new_password2": "moss-garden-77"})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    assert sign_in(client, "nora@example.com", "moss-garden-77").status_code == 302


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "ghost@example.com"})
    assert response.status_code == 302 and not mail.outbox


def test_profile_edits_name_and_phone(client: Client) -> None:
    user = make_user()
    client.force_login(user)
    client.post("/accounts/profile/", {"name": "Nora B.", "phone": "+44 20 7946 0000"})
    user.refresh_from_db()
    assert (user.name, user.phone) == ("Nora B.", "+44 20 7946 0000")
    assert client.post("/accounts/profile/", {"name": "", "phone": ""}).status_code == 400


def test_tokens_are_shown_once_and_revocable(client: Client) -> None:
    user = make_user()
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "front desk tablet"}).content.decode()
    raw = re.search(r"(pmp_[A-Za-z0-9_-]{20,})", page).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get(user=user)
    assert token.name == "front desk tablet" and raw not in token.key_hash
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert raw not in client.get("/accounts/tokens/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_someone_elses_token_cannot_be_revoked(client: Client) -> None:
    other = make_user("other@example.com")
    token, _ = ApiToken.issue(other)
    client.force_login(make_user())
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_sign_up_racing_another_for_the_same_address_is_a_409_not_a_500(client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pamper.accounts.forms import SignUpForm

    make_user("race@example.com")
    # The other request inserted the address after this one's form checked it: the check passes, the insert fails.
    monkeypatch.setattr(SignUpForm, "clean_email", lambda self: self.cleaned_data["email"].lower())
    monkeypatch.setattr(SignUpForm, "validate_unique", lambda self: None)
    response = client.post("/accounts/signup/", {"email": "race@example.com", "name": "Second", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert response.status_code == 409 and b"already exists" in response.content
    assert User.objects.filter(email="race@example.com").count() == 1
