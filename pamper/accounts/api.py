"""Registration, bearer tokens, closing the account."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import EmailStr, Field

from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock
from pamper.lib.fields import Input, Name

from . import actions, export, signin
from .auth import bearer
from .models import User

router = Router(tags=["accounts"])


class RegisterIn(Input):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=128)
    name: Name = Field(min_length=1, max_length=150)


class TokenIn(Input):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=128)
    code: str | None = Field(default=None, max_length=20, description="With two-factor sign-in on: the authenticator "
                             "app's current code, or a recovery code.")


class UserOut(Schema):
    id: int
    email: str
    name: str
    email_confirmed: bool = Field(description="False after a sign-up until the emailed link is followed; "
                                              "meanwhile the emails about bookings wait.")


class TokenOut(Schema):
    token: str
    user: UserOut


@router.post(
    "/auth/register",
    response={201: TokenOut, 409: ErrorOut, 422: ErrorOut},
    summary="Create a customer account and get a token",
)
def register(request: HttpRequest, data: RegisterIn) -> Status:
    email = data.email.lower()
    candidate = User(email=email, name=data.name.strip())
    try:
        validate_password(data.password, user=candidate)
    except DjangoValidationError as exc:
        raise Refusal(422, "weak_password", " ".join(exc.messages)) from exc
    user, raw = actions.register(email=email, name=data.name.strip(), password=data.password)
    return Status(201, {"token": raw, "user": user})


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="Exchange email and password for a bearer token",
)
def token(request: HttpRequest, data: TokenIn) -> dict:
    # The one sign-in (pamper.accounts.signin): the same failure counters as the sign-in page, so the API is no
    # side door for guessing, and a two-factor account needs its code.
    _, raw, user = signin.exchange_token(request, email=data.email, password=data.password, code=data.code)
    return {"token": raw, "user": user}


@router.get("/auth/me", response=UserOut, auth=bearer, summary="The signed-in user")
def me(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


class ConfirmationOut(Schema):
    sent: bool = Field(description="False when the address is confirmed already, or a link went out less than a "
                                   "minute ago.")


@router.post("/auth/confirmation-email", response={202: ConfirmationOut, 401: ErrorOut}, auth=bearer,
             summary="Send the link that confirms my address again",
             description="A new account's address is confirmed by a link emailed at sign-up (written in the "
                         "Accept-Language of the request); until it is, the emails about its bookings wait.")
def send_confirmation(request: HttpRequest) -> Status:
    return Status(202, {"sent": actions.resend_confirmation(user=request.auth)})  # type: ignore[attr-defined]


@router.get("/me/export", auth=bearer, summary="Download everything Pamper holds about me: JSON plus photos, in a zip",
            description="pamper-data.json has one part per kind: account, venues (client records, favourites), "
                        "bookings, health (records and who read them), payments (refunds, gift cards), reviews (with "
                        "replies), notifications (settings, calendar feeds, emails), waitlist, practitioners. "
                        "Secrets (passwords, token and feed addresses, two-factor keys, gift-card codes) are left out. "
                        "`/me/health/export` answers the same archive.")
def my_export(request: HttpRequest) -> HttpResponse:
    return export.archive_response(export.export_archive(user=request.auth, now=clock.now()))  # type: ignore[attr-defined]


class CloseIn(Input):
    password: str = Field(min_length=1, max_length=128, description="The account's current password.")
    code: str | None = Field(default=None, max_length=20, description="With two-factor sign-in on: the authenticator "
                             "app's current code, or a recovery code.")


class ClosedOut(Schema):
    closed: bool
    closed_at: str = Field(description="When the account was closed (ISO 8601, UTC).")


@router.post(
    "/me/close",
    auth=bearer,
    response={200: ClosedOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Close my account for good",
    description=(
        "Asks for the password again (and `code` when two-factor sign-in is on; wrong ones count against the "
        "sign-in limits: 403 `wrong_password`, `two_factor_code_required`, `invalid_code`, 429 `rate_limited`). "
        "Refused with 409 while the person owns or manages a venue (`runs_a_venue`), is on a venue's team "
        "(`works_at_a_venue`) or has visits still to come (`upcoming_visits`, with `count`): nothing changes. "
        "Closing erases the health data (as `/me/health/erase`), removes waitlist entries, saved cards, calendar "
        "feeds and email preferences, ends every token, two-factor device and session, and scrubs the account "
        "(the email can sign up again). Reviews stay, shown as by a former customer; past bookings stay with the "
        "venues, without the person. A confirmation is emailed to the old address."
    ),
)
def close(request: HttpRequest, data: CloseIn) -> dict:
    user = actions.close_account(user=request.auth, password=data.password, code=data.code,  # type: ignore[attr-defined]
                                 address=signin.client_address(request), now=clock.now())
    return {"closed": True, "closed_at": user.closed_at.isoformat()}  # type: ignore[union-attr]
