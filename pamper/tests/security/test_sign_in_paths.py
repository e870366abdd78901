"""Every way into an account stops at the code step when the account has two-factor sign-in on.

The walk reads pamper's source for every place that signs someone in or hands
out a credential (`login(`, `authenticate(`, `otp_login(`, API token issuing,
Django's own sign-in views) and fails on one it does not know: a new way in
must be added to KNOWN and driven below. Each known path is then driven with
an account that has two-factor on: a password alone leaves nothing that reads
clinical records or mints a verified token, and the code step finishes it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken, Invitation, Membership, Role, User, hash_token
from pamper.accounts.tests.otp import code_now, turn_on
from pamper.bookings.models import Booking
from pamper.venues.models import Venue

from .world import NOW, World

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2]  # the pamper package
PASSWORD = "lilac-orchard-58"
# Calls that sign a browser in, check a password, or hand out a bearer token.
SIGN_IN_CALLS = {"login", "authenticate", "otp_login", "force_login", "aauthenticate", "alogin"}
TOKEN_CALLS = {"ApiToken.issue", "ApiToken.objects.create", "ApiToken", "ApiToken.objects.bulk_create"}
# Django's ready-made ways in, should a URL ever mount them.
SIGN_IN_NAMES = {"LoginView", "post_reset_login"}

# (file under pamper/, enclosing function, what it calls): every place that may let someone in.
KNOWN = {
    ("accounts/signin.py", "password_attempt", "authenticate"),  # the password check behind every sign-in
    ("accounts/signin.py", "start_session", "login"),  # the only login(): stops for two-factor accounts
    ("accounts/signin.py", "give_code", "login"),  # the code step finishing a half-done sign-in
    ("accounts/signin.py", "give_code", "otp_login"),
    ("accounts/signin.py", "issue_token", "ApiToken.issue"),  # the only token issuing
    ("accounts/views.py", "two_factor_settings", "otp_login"),  # turning it on: the first code verifies the session
}


def _call_name(node: ast.Call) -> str:
    parts: list[str] = []
    func = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _what(node: ast.AST) -> str | None:
    """The sign-in call or name at this node, if it is one."""
    if isinstance(node, ast.Call):
        name = _call_name(node)
        last = name.rsplit(".", 1)[-1]
        if last in SIGN_IN_CALLS:
            return last
        if name in TOKEN_CALLS:
            return name
    ident = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "arg", None)
    return ident if ident in SIGN_IN_NAMES else None


def _places(path: Path) -> Iterator[tuple[str, str]]:
    """(nearest enclosing function, what) for each sign-in call or reference in one source file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    owner: dict[ast.AST, str] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            owner[child] = child.name if is_function else owner.get(parent, "<module>")  # type: ignore[union-attr]
    for node in ast.walk(tree):
        what = _what(node)
        if what:
            yield owner.get(node, "<module>"), what


def sign_in_places() -> set[tuple[str, str, str]]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        found |= {(relative, function, what) for function, what in _places(path)}
    return found


def test_every_place_that_signs_someone_in_is_known() -> None:
    found = sign_in_places()
    unknown = found - KNOWN
    assert not unknown, (f"a new way into an account: route it through pamper.accounts.signin and drive it here: "
                         f"{unknown}")
    assert not KNOWN - found, f"KNOWN lists places that no longer exist: {KNOWN - found}"


def test_the_walk_sees_a_sign_in_added_anywhere(tmp_path: Path) -> None:
    source = tmp_path / "views.py"
    source.write_text("from django.contrib.auth import login\n"
                      "def sneaky(request, user):\n    login(request, user)\n"
                      "def token(user):\n    return ApiToken.issue(user)\n")
    assert set(_places(source)) == {("sneaky", "login"), ("token", "ApiToken.issue")}


# --------------------------------------------------------------------------------------- driving each path


@pytest.fixture
def nurse(world: World, settings, frozen) -> User:  # type: ignore[no-untyped-def]
    """The world's practitioner with a password and two-factor on, at a venue that requires it."""
    cache.clear()
    user = world.practitioner
    user.set_password(PASSWORD)
    user.save()
    setup = HttpClient()
    setup.force_login(user)
    turn_on(setup, user)
    Venue.objects.filter(pk=world.venue.pk).update(require_two_factor=True)
    frozen.shift(30)  # the next code
    return user


def record_url(world: World) -> str:
    return f"/partner/clinical/{world.venue.pk}/clients/{world.client.pk}/"


def api_record_url(world: World) -> str:
    return f"/api/v1/clinical/venues/{world.venue.pk}/clients/{world.client.pk}"


def assert_not_in(client: HttpClient, world: World) -> None:
    """A password alone got nothing: not signed in, no record, no token."""
    assert client.get("/accounts/profile/").status_code == 302
    page = client.get(record_url(world))
    assert page.status_code in (302, 404) and world.client.name not in page.content.decode()
    api = client.get(api_record_url(world))
    assert api.status_code in (401, 404) and world.client.name not in api.content.decode()
    tokens = ApiToken.objects.count()
    assert client.post("/accounts/tokens/", {"name": "stolen"}).status_code == 302
    assert ApiToken.objects.count() == tokens


def finish_code_step(client: HttpClient, user: User, next_url: str) -> None:
    """Give the code; the browser lands on next_url, signed in with the second factor."""
    done = client.post("/accounts/login/code/", {"code": code_now(user), "next": next_url})
    assert done.status_code == 302 and done["Location"] == next_url


def assert_verified(client: HttpClient, world: World) -> None:
    page = client.get(record_url(world))
    assert page.status_code == 200 and world.client.name in page.content.decode()
    raw = client.post("/accounts/tokens/", {"name": "laptop"}).context["raw"]
    assert ApiToken.objects.get(key_hash=hash_token(raw)).two_factor
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get(api_record_url(world)).status_code == 200


def test_sign_in_page(world: World, nurse: User) -> None:
    client = HttpClient()
    response = client.post("/accounts/login/", {"email": nurse.email, "password": PASSWORD, "next": record_url(world)})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert_not_in(client, world)
    finish_code_step(client, nurse, record_url(world))
    assert_verified(client, world)


def test_booking_page_inline_sign_in_goes_to_the_code_step_and_back_to_the_booking(world: World, nurse: User) -> None:
    client = HttpClient()
    start = NOW.replace(day=9, hour=11).isoformat()
    visit = {"service": [world.facial_service.pk], "staff": world.staff.pk, "start": start}
    data = {**visit, "mode": "signin", "in-email": nurse.email, "in-password": PASSWORD}
    holds = Booking.objects.count()
    response = client.post(f"/venues/{world.venue.slug}/book/signin/", data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/?next=")
    assert Booking.objects.count() == holds  # nothing held for a half-signed-in visitor
    assert_not_in(client, world)
    back = f"/venues/{world.venue.slug}/book/?service={world.facial_service.pk}&staff={world.staff.pk}&day=2026-03-09"
    assert client.get(response["Location"]).context["next"] == back
    finish_code_step(client, nurse, back)
    page = client.get(back)
    assert page.status_code == 200 and "11:00" in page.content.decode()
    assert_verified(client, world)


def test_booking_page_inline_sign_up_cannot_take_over_a_two_factor_account(world: World, nurse: User) -> None:
    client = HttpClient()
    data = {"service": [world.facial_service.pk], "start": NOW.replace(day=9, hour=11).isoformat(), "mode": "signup",
            "up-email": nurse.email, "up-name": "Me", "up-password1": PASSWORD, "up-password2": PASSWORD}
    assert client.post(f"/venues/{world.venue.slug}/book/signin/", data).status_code == 400
    assert_not_in(client, world)


def test_sign_up_page_cannot_take_over_a_two_factor_account_and_a_new_account_has_no_clinical_access(
        world: World, nurse: User) -> None:
    client = HttpClient()
    taken = {"email": nurse.email, "name": "Me", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", taken).status_code in (400, 409)
    assert_not_in(client, world)
    fresh = {"email": "fresh@example.com", "name": "Fresh", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", fresh).status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get(record_url(world)).status_code == 404  # signed in, but a stranger to the venue


def test_api_registration_cannot_take_over_a_two_factor_account(world: World, nurse: User) -> None:
    body = json.dumps({"email": nurse.email, "password": PASSWORD, "name": "Me"})
    tokens = ApiToken.objects.count()
    assert HttpClient().post("/api/v1/auth/register", body, content_type="application/json").status_code == 409
    assert ApiToken.objects.count() == tokens


def test_invitation_sign_in_goes_through_the_code_step(world: World, nurse: User) -> None:
    Membership.objects.filter(user=nurse, venue=world.venue).delete()
    Invitation.objects.filter(pk=world.invitation.pk).update(email=nurse.email, role=Role.PRACTITIONER)
    url = f"/accounts/invitations/{world.invitation_raw}/"
    client = HttpClient()
    page = client.get(url).content.decode()
    assert f'href="/accounts/login/?next={url}"' in page
    response = client.post("/accounts/login/", {"email": nurse.email, "password": PASSWORD, "next": url})
    assert response["Location"].startswith("/accounts/login/code/")
    assert client.post(url).status_code == 200  # not signed in: the page again, nothing accepted
    assert not Membership.objects.filter(user=nurse, venue=world.venue).exists()
    assert_not_in(client, world)
    finish_code_step(client, nurse, url)
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=nurse, venue=world.venue).role == Role.PRACTITIONER
    assert_verified(client, world)


def test_accepting_a_clinical_invitation_needs_the_second_factor(world: World, nurse: User) -> None:
    """A session that skipped the code (signed in before two-factor was turned on) cannot take a clinical role."""
    Membership.objects.filter(user=nurse, venue=world.venue).delete()
    Invitation.objects.filter(pk=world.invitation.pk).update(email=nurse.email, role=Role.PRACTITIONER)
    url = f"/accounts/invitations/{world.invitation_raw}/"
    stale = HttpClient()
    stale.force_login(nurse)
    response = stale.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=" + url.replace("/", "%2F")
    assert not Membership.objects.filter(user=nurse, venue=world.venue).exists()
    finish_code_step(stale, nurse, url)
    assert stale.post(url).status_code == 302
    assert Membership.objects.filter(user=nurse, venue=world.venue).exists()


def test_admin_login_address_signs_nobody_in(world: World, nurse: User) -> None:
    User.objects.filter(pk=nurse.pk).update(is_staff=True, is_superuser=True)
    client = HttpClient()
    client.post("/admin/login/", {"username": nurse.email, "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 302
    client.post("/accounts/login/", {"email": nurse.email, "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 302
    assert_not_in(client, world)
    finish_code_step(client, nurse, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_api_token_exchange_needs_the_code(world: World, nurse: User, frozen) -> None:  # type: ignore[no-untyped-def]
    api = HttpClient()

    def exchange(**extra: str):  # type: ignore[no-untyped-def]
        body = {"email": nurse.email, "password": PASSWORD} | extra
        return api.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")

    tokens = ApiToken.objects.count()
    assert exchange().json()["code"] == "two_factor_code_required"
    assert exchange(code="999999").status_code == 401
    assert ApiToken.objects.count() == tokens
    frozen.shift(2)
    raw = exchange(code=code_now(nurse)).json()["token"]
    assert HttpClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get(api_record_url(world)).status_code == 200


def test_password_reset_does_not_sign_in(world: World, nurse: User) -> None:
    client = HttpClient()
    client.post("/accounts/password/reset/", {"email": nurse.email})
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    new = "a-brand-new-pass-77"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    assert_not_in(client, world)
    response = client.post("/accounts/login/", {"email": nurse.email, "password": new})
    assert response["Location"].startswith("/accounts/login/code/")
    assert_not_in(client, world)
    finish_code_step(client, nurse, record_url(world))
    assert_verified(client, world)


def test_a_session_that_skipped_the_code_cannot_mint_tokens(world: World, nurse: User) -> None:
    """A session signed in before two-factor was turned on (on another device) is sent to the code step first."""
    stale = HttpClient()
    stale.force_login(nurse)
    tokens = ApiToken.objects.count()
    response = stale.post("/accounts/tokens/", {"name": "stolen"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/")
    assert ApiToken.objects.count() == tokens
    finish_code_step(stale, nurse, "/accounts/tokens/")
    assert_verified(stale, world)
