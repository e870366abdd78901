"""The one way into an account: every page and API route that signs someone in or hands out a token calls here.

- `sign_in` (a password, in a browser) and `start_session` (an account just made or just proven) sign the browser
  in, except that an account with two-factor sign-in on stops half-way: the session only remembers who is waiting
  for their code (`PENDING_KEY`) and nothing is signed in until `give_code` accepts it.
- `exchange_token` is the API's sign-in: a bearer token for a password, and for a two-factor account only with the
  code as well.
- `issue_token` is the only place a token is made; it refuses a two-factor account whose request has not passed
  the second factor.

Wrong passwords and wrong codes count against the same per-account and per-address limits (lockout.py), here
and nowhere else. pamper/tests/security/test_sign_in_paths.py finds every `login(`, `authenticate(` and token
issue in the source and fails on one outside this module that it does not know.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import authenticate, login
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.errors import Refusal

from . import lockout, two_factor
from .models import ApiToken, User

PENDING_KEY = "two_factor_pending"  # session: {"user": id, "until": epoch seconds} between password and code
BACKEND = "django.contrib.auth.backends.ModelBackend"


class Step(StrEnum):
    SIGNED_IN = "signed_in"  # the browser is signed in (after the code, for a two-factor account)
    CODE_NEEDED = "code_needed"  # the password was right; the account waits for its code
    WRONG = "wrong"  # wrong password or code (counted)
    LIMITED = "limited"  # too many wrong attempts: not even checked


@dataclass(frozen=True)
class Attempt:
    step: Step
    user: User | None = None
    verdict: lockout.Verdict | None = None  # set when LIMITED
    device: TOTPDevice | StaticDevice | None = None  # the device that accepted the code, after give_code


def client_address(request: HttpRequest) -> str:
    """The caller's IP. REMOTE_ADDR only: forwarded headers can be forged unless a proxy rewrites them."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def password_attempt(request: HttpRequest, *, email: str, password: str, now: float) -> Attempt:
    """Check a password within the limits. The user comes back with step CODE_NEEDED or SIGNED_IN according to
    whether the account has two-factor on, but nothing is signed in yet; WRONG is counted, LIMITED is not tried."""
    email, address = email.strip().lower()[:254], client_address(request)
    verdict = lockout.check(email=email, address=address, now=now)
    if not verdict.allowed:
        return Attempt(Step.LIMITED, verdict=verdict)
    user = authenticate(request, username=email, password=password) if email and password else None
    if user is None:
        lockout.record_failure(email=email, address=address, now=now)
        return Attempt(Step.WRONG)
    return Attempt(Step.CODE_NEEDED if two_factor.is_enabled(user) else Step.SIGNED_IN, user)  # type: ignore[arg-type]


def start_session(request: HttpRequest, user: User, *, now: float | None = None) -> Attempt:
    """Sign `user` in to this browser, or, when their account has two-factor on, only note that they wait for
    the code (CODE_NEEDED: the session is not signed in). The failure counters are kept until the code is right,
    so a guessed password does not reset the budget for guessing codes."""
    now = time.time() if now is None else now
    if two_factor.is_enabled(user):
        request.session[PENDING_KEY] = {"user": user.pk, "until": now + two_factor.PENDING_SECONDS}
        return Attempt(Step.CODE_NEEDED, user)
    lockout.record_success(email=user.email, now=now)
    login(request, user, backend=BACKEND)
    return Attempt(Step.SIGNED_IN, user)


def sign_in(request: HttpRequest, *, email: str, password: str, now: float | None = None) -> Attempt:
    """A browser's sign-in with email and password: SIGNED_IN, CODE_NEEDED (go to the code step), WRONG or LIMITED."""
    now = time.time() if now is None else now
    attempt = password_attempt(request, email=email, password=password, now=now)
    if attempt.user is None:
        return attempt
    return start_session(request, attempt.user, now=now)


def pending_user(request: HttpRequest, now: float) -> User | None:
    """The account waiting for its code in this session, while the wait has not run out."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < now:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending.get("user"), is_active=True).first()


def give_code(request: HttpRequest, user: User, code: str, *, now: float) -> Attempt:
    """The code step: a code from the app or a recovery code for `user` (the pending account, or the signed-in one
    stepping up). SIGNED_IN with the device: the session is signed in and counts as verified."""
    address = client_address(request)
    verdict = lockout.check(email=user.email, address=address, now=now)
    if not verdict.allowed:
        return Attempt(Step.LIMITED, user, verdict=verdict)
    device = two_factor.verify(user, code) if code else None
    if device is None:
        lockout.record_failure(email=user.email, address=address, now=now)
        return Attempt(Step.WRONG, user)
    lockout.record_success(email=user.email, now=now)
    if not request.user.is_authenticated:
        request.session.pop(PENDING_KEY, None)
        login(request, user, backend=BACKEND)
    otp_login(request, device)
    return Attempt(Step.SIGNED_IN, user, device=device)


def issue_token(user: User, *, name: str = "api", verified: bool) -> tuple[ApiToken, str]:
    """A new bearer token for `user` (the row and the raw value, shown once); `verified` says the request passed
    the second factor, and the token then does too. A two-factor account gets none without it (403)."""
    if two_factor.is_enabled(user) and not verified:
        raise Refusal(403, "two_factor_required", gettext("This account uses two-factor sign-in: give the code first."))
    return ApiToken.issue(user, name=name, two_factor=verified)


def exchange_token(request: HttpRequest, *, email: str, password: str, code: str | None,
                   now: float | None = None) -> tuple[ApiToken, str, User]:
    """The API's sign-in: a token for email and password, and the code when the account has two-factor on.

    Raises Refusal 429 (limited), 401 invalid_credentials, two_factor_code_required or invalid_code.
    """
    now = time.time() if now is None else now
    attempt = password_attempt(request, email=email, password=password, now=now)
    if attempt.step == Step.LIMITED:
        raise Refusal(
            429,
            "rate_limited",
            gettext("Too many sign-in attempts: try again later, or reset your password."),
            retry_after=attempt.verdict.retry_after if attempt.verdict else 1,
        )
    if attempt.user is None:
        raise Refusal(401, "invalid_credentials", gettext("The email or password is not right."))
    user, verified = attempt.user, False
    if attempt.step == Step.CODE_NEEDED:
        if not code:
            raise Refusal(
                401,
                "two_factor_code_required",
                gettext('This account uses two-factor sign-in: send the code from the authenticator app as "code".'),
            )
        if two_factor.verify(user, code) is None:
            lockout.record_failure(email=user.email, address=client_address(request), now=now)
            raise Refusal(401, "invalid_code", gettext("That code is not right, or it was already used."))
        verified = True
    lockout.record_success(email=user.email, now=now)
    token, raw = issue_token(user, verified=verified)
    return token, raw, user


def confirm_identity(user: User, *, password: str, code: str | None, address: str, now: float | None = None) -> None:
    """Ask a signed-in person for their password again (and their code, when the account has two-factor on) before
    a change that cannot be undone, such as closing the account. Wrong passwords and codes count against the same
    limits as sign-in, so a borrowed session cannot guess here either.

    Returns None when both are right; raises Refusal 429 rate_limited, 403 wrong_password (field password),
    403 two_factor_code_required or invalid_code (field code).
    """
    now = time.time() if now is None else now
    verdict = lockout.check(email=user.email, address=address, now=now)
    if not verdict.allowed:
        raise Refusal(429, "rate_limited",
                      gettext("Too many sign-in attempts: try again later, or reset your password."),
                      retry_after=verdict.retry_after)
    if not password or not user.check_password(password):
        lockout.record_failure(email=user.email, address=address, now=now)
        raise Refusal(403, "wrong_password", gettext("That is not your password."), field="password")
    if two_factor.is_enabled(user):
        if not code:
            raise Refusal(403, "two_factor_code_required", gettext(
                "This account uses two-factor sign-in: enter the code from your authenticator app."), field="code")
        if two_factor.verify(user, code) is None:
            lockout.record_failure(email=user.email, address=address, now=now)
            raise Refusal(403, "invalid_code", gettext("That code is not right, or it was already used."),
                          field="code")
    lockout.record_success(email=user.email, now=now)
