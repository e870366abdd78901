"""Registration and bearer tokens."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import EmailStr, Field

from pamper.errors import ErrorOut, Refusal
from pamper.lib.fields import Input, Words

from . import actions, signin
from .auth import bearer
from .models import User

router = Router(tags=["accounts"])


class RegisterIn(Input):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=128)
    name: Words = Field(min_length=1, max_length=150)


class TokenIn(Input):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=128)
    code: str | None = Field(default=None, max_length=20, description="With two-factor sign-in on: the authenticator "
                             "app's current code, or a recovery code.")


class UserOut(Schema):
    id: int
    email: str
    name: str


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
