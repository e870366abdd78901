"""The one refusal type: every action and rule raises Refusal, and it is translated
once for the API (pamper.api) and once for pages. Also the one error schema,
ErrorOut, that every router declares for its 4xx answers.

It lives at the bottom of the layers, apart from pamper.api (which mounts every
app's router), so that any layer can raise it.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal
from ninja import Field, Schema

# Sent with `refusal=` each time a refusal reaches a person: the API's answer (pamper.api), a refusal page or a
# form (pamper.lib.refusals). pamper.ops.metrics counts them by route and code (refused bookings among them).
refusal_shown = Signal()


class Refusal(Exception):
    """A refusal with an HTTP status, a machine-readable code, a sentence for people and extra fields.

    `field` in the extras names the input at fault, so a form can show the message beside it.
    """

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


class ErrorOut(Schema):
    """The body of every API error: {"code": ..., "message": ...} (validation errors add "errors")."""

    code: str = Field(description="Machine-readable reason, e.g. slot_taken", examples=["not_found"])
    message: str = Field(description="A sentence for people")


def invalid(message: str, *, field: str | None = None) -> Refusal:
    """Refusal 422 invalid about one input `field` ("field: message" for the API, the bare message beside the
    field on a page), or about the request as a whole when `field` is None."""
    if field is None:
        return Refusal(422, "invalid", message)
    return Refusal(422, "invalid", f"{field}: {message}", errors=[{"field": field, "message": message}])


def invalid_fields(errors: dict[str, list[str]]) -> Refusal:
    """Refusal 422 invalid with every field's messages under `errors` (as a model's full_clean() reports them);
    the API's message is the first field's first one. A "__all__" field is about the object as a whole."""
    listed = [{"field": field, "message": message} for field, messages in errors.items() for message in messages]
    return Refusal(422, "invalid", f"{listed[0]['field']}: {listed[0]['message']}", errors=listed)
