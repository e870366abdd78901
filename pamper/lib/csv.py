"""CSV exports that a spreadsheet cannot turn into formulas.

A cell a person typed ("=HYPERLINK(...)", "+1+cmd|...", "@SUM(...)", "-2+3")
would run as a formula when the export is opened in Excel, LibreOffice or
Google Sheets. `safe_cell` puts an apostrophe in front of any text that starts
(after spaces) with =, +, - or @, or that starts with a tab, carriage return or
line feed: the spreadsheet then shows it as text. Numbers (int, Decimal, float)
are left alone, so a negative amount stays a number.

Use `csv_response(filename, header, rows)` in a view; rows may be a generator
(the response streams).
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@")
CONTROL_START = ("\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """The value to write: text that could start a formula gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | decimal.Decimal):
        return value
    text = str(value)
    if text.startswith(CONTROL_START) or text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file-like object whose write() hands back what it was given (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text, line by line: a byte-order mark (so Excel reads UTF-8), the header, the neutralised rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    """A streamed CSV download named `filename` (letters, digits, dot, dash and underscore are kept)."""
    safe_name = "".join(c for c in filename if c.isalnum() or c in "._-") or "export.csv"
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "private, no-store"
    return response
