"""Who is asking, for the clinical API: the id bound of its paths, the record URLs' auth (an anonymous
request gets through, to be answered 404 like anyone not allowed), and the signed-in user."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext

from pamper.accounts.auth import bearer
from pamper.accounts.models import User
from pamper.errors import Refusal


def anyone(request: HttpRequest) -> AnonymousUser:
    """Lets an unauthenticated request reach record endpoints, which then answer 404 (never 401 or 403)."""
    return AnonymousUser()


# Record and photo URLs answer 404 to anyone who may not see them, signed in or not.
record_auth = [bearer, anyone]


def user_of(request: HttpRequest) -> User:
    """The signed-in user; a 404 for anonymous requests on record URLs."""
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "is_authenticated", False):
        raise Refusal(404, "not_found", gettext("Not found."))
    return user  # type: ignore[no-any-return]
