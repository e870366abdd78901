"""Page cursors that only this server can make, each bound to the query it came from.

A keyset cursor carries the last row's sort keys; the next page asks for rows
after them. Read with other parameters (a smaller radius, another sort or
filter) those keys mean nothing, and a hand-made cursor can hold anything. So
a cursor is the payload plus a digest of the query's parameters, signed with
the secret key (django.core.signing, a salt per kind of cursor): `seal` makes
one, `unseal` gives the payload back only for the same kind and the same
query, and raises BadCursor for anything else.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core import signing


class BadCursor(ValueError):
    """The cursor was not made by this server for this query (malformed, tampered, or from other parameters)."""


def query_digest(params: Any) -> str:
    """A short digest of the query's parameters (anything JSON can write; other values through str)."""
    text = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _signer(kind: str) -> signing.Signer:
    return signing.Signer(salt=f"pamper.cursor.{kind}")


def seal(kind: str, payload: Any, query: Any) -> str:
    """The cursor for `payload` (JSON-able) on the query with parameters `query`: URL-safe text."""
    return _signer(kind).sign_object({"p": payload, "q": query_digest(query)})


def unseal(kind: str, text: str, query: Any) -> Any:
    """The payload `seal(kind, payload, query)` put in; BadCursor when text is not that for this kind and query."""
    try:
        data = _signer(kind).unsign_object(text)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor("The cursor is not one this server made.") from exc
    if not isinstance(data, dict) or data.get("q") != query_digest(query) or "p" not in data:
        raise BadCursor("The cursor belongs to a search with other parameters.")
    return data["p"]
