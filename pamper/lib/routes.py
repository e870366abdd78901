"""The `<id:name>` path converter every page URL uses for a database id.

Django's `<int:...>` takes any run of digits, and a number past a 64-bit column then fails inside the database
(SQLite's OverflowError, PostgreSQL's out-of-range error): a 500 where a 404 is due. `<id:...>` matches 1 to 19
digits without a leading zero and turns anything above MAX_ID into no match, so such an address is a plain 404
before any view runs. Importing this module registers it; every urls.py that names an id imports it.
"""

from __future__ import annotations

from django.urls import register_converter

from pamper.lib.ids import MAX_ID


class RowId:
    """A positive database id that fits a 64-bit column; anything larger is no match (404), never an overflow."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # Django reads a ValueError here as "this pattern does not match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "id")
