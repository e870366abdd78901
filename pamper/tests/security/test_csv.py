"""CSV exports neutralise formulas: what a spreadsheet opens is text, never a formula that runs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamper.lib.csv import csv_lines, csv_response, safe_cell


@pytest.mark.parametrize(("typed", "written"), [
    ("=HYPERLINK(\"http://evil.example\",\"Click\")", "'=HYPERLINK(\"http://evil.example\",\"Click\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("  =1+1", "'  =1+1"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Ana Smith", "Ana Smith"),
    ("07700 900123", "07700 900123"),
    ("ana@example.com", "ana@example.com"),
    ("", ""),
])
def test_text_that_could_start_a_formula_gets_an_apostrophe(typed: str, written: str) -> None:
    assert safe_cell(typed) == written


def test_numbers_stay_numbers_and_none_is_empty() -> None:
    assert safe_cell(-5) == -5
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_no_written_text_cell_starts_a_formula(row: list[str]) -> None:
    text = "".join(csv_lines(["a"] * len(row), [row])).lstrip("\ufeff")
    written = list(csv.reader(io.StringIO(text, newline="")))[1]
    for typed, cell in zip(row, written, strict=True):
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        assert cell in (typed, "'" + typed)  # nothing else changes


def test_the_download_is_a_private_attachment() -> None:
    response = csv_response('clients "x".csv', ["Name"], iter([["=cmd"]]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clientsx.csv"'
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == "\ufeffName\r\n'=cmd\r\n"
