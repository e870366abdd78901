"""API authentication: `Authorization: Bearer <token>` or a signed-in session (with its CSRF token).

Every router passes `auth=bearer`. It lives in accounts (tokens are an
account's) so routers need not import the API hub, pamper/api.py.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from pamper.errors import Refusal

from .models import ApiToken, User


class BearerAuth(HttpBearer):
    """Authenticates `Authorization: Bearer <token>` against hashed tokens; a session works too."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.lookup(token)
        if found is None:
            return None
        user = found.user
        # As django-otp's middleware does for sessions: a token counts as verified when it was issued after a
        # second-factor check, which venues requiring two-factor sign-in ask for before clinical records.
        user.otp_device = None  # type: ignore[attr-defined]
        user.is_verified = lambda: found.two_factor  # type: ignore[attr-defined]
        request.user = user
        return user

    def __call__(self, request: HttpRequest) -> User | None:
        if request.headers.get("Authorization"):
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A signed-in browser session: the cookie rides along on cross-site requests, so unsafe
            # methods need the CSRF token as pages do (ninja checks it only for its cookie auth classes).
            if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
                raise Refusal(403, "csrf_failed", gettext("Send the CSRF token (X-CSRFToken header) with a signed-in "
                               "session, or use a bearer token."))
            return user
        return None


bearer = BearerAuth()
