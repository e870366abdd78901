"""The one refusal type: every action and rule raises Refusal, and it is translated
once for the API (pamper.api) and once for pages. Also the one error schema,
ErrorOut, that every router declares for its 4xx answers.

It lives at the bottom of the layers, apart from pamper.api (which mounts every
app's router), so that any layer can raise it.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


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
