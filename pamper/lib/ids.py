"""Numbers read from text a visitor controls (query strings, form fields, comma lists): ASCII digits only.

`str.isdigit()` is the wrong test for them: it also says yes to '²' and to other scripts' digits, and `int('²')`
then raises, which answered 500 where a 400 or 422 was due. A database id is also at most MAX_ID (PostgreSQL's
bigint), beyond which a lookup fails in the database instead of finding nothing.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text: str | None, most: int) -> int | None:
    """The number 0..`most` written in `text` with ASCII digits only, else None."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= most else None


def id_from(text: str | None) -> int | None:
    """The database id (1..MAX_ID) written in `text` with ASCII digits only, else None."""
    value = whole_number(text, MAX_ID)
    return value or None
