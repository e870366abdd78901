"""The domain error that every layer may raise: the API and the pages turn it into a 4xx.

It lives apart from pamper.api (which mounts every app's router on import) so
that actions and rules can raise it without importing the whole API.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal with an HTTP status, a machine-readable code, a sentence and extra fields."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra
