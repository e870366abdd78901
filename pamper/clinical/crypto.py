"""Encryption of health data at rest: the one module that holds the keys.

Questionnaire answers, consultation and patch-test notes, session notes,
check-in notes, consent names and progress photos are special-category
personal data. They are stored as Fernet tokens (AES-128-CBC with an
HMAC-SHA256), never as plaintext. settings.PAMPER_HEALTH_KEYS lists the keys
newest first: the first key encrypts, every key decrypts, so a new key can be
put in front and `manage.py rotate_health_keys` re-encrypts the old tokens.

Model fields use EncryptedTextField / EncryptedJSONField; photo files use
encrypt() / decrypt() on their bytes.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from cryptography.fernet import InvalidToken, MultiFernet

__all__ = [
    "EncryptedJSONField",
    "EncryptedTextField",
    "InvalidToken",
    "decrypt",
    "encrypt",
    "newest_key_only",
    "rotate",
]


def __getattr__(name: str) -> Any:
    """`InvalidToken` (cryptography's), imported when first asked for, as cryptography itself is (see _multi)."""
    if name == "InvalidToken":
        from cryptography.fernet import InvalidToken  # noqa: PLC0415 - see _multi

        return InvalidToken
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    # cryptography is imported here, on first use: it is about 8 MB in every process that loads it, and a web
    # process serving search, venue and booking pages never touches health data.
    from cryptography.fernet import Fernet, MultiFernet  # noqa: PLC0415 - see the comment above

    if not keys:
        raise RuntimeError("settings.PAMPER_HEALTH_KEYS is empty: health data cannot be encrypted.")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.PAMPER_HEALTH_KEYS)


def fernet() -> MultiFernet:
    """The MultiFernet for the configured keys (cached per key list, so settings overrides work)."""
    return _multi(_keys())


def newest_key_only() -> MultiFernet:
    """A MultiFernet with only the newest key: decrypts only what rotation has already re-encrypted."""
    return _multi(_keys()[:1])


def encrypt(data: bytes) -> bytes:
    """A Fernet token for data under the newest key."""
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """The plaintext of a token made under any configured key; raises InvalidToken otherwise."""
    return fernet().decrypt(token)


def rotate(token: bytes) -> bytes:
    """The same plaintext re-encrypted under the newest key (timestamp kept)."""
    return fernet().rotate(token)


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token. '' stays '' so optional fields need no token.

    Not searchable or orderable in SQL, by design.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value.encode()).decode()

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value).encode()).decode()


class EncryptedJSONField(models.TextField):
    """A JSON value (dict, list, str, number) stored as a Fernet token of its JSON text."""

    description = "JSON encrypted at rest (Fernet)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(decrypt(value.encode()))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt(json.dumps(value, sort_keys=True).encode()).decode()

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))
