"""The one CSV writer every export uses: cells a spreadsheet will never run as formulas.

A label typed by an organizer or a campaign team (`=cmd|' /C calc'!A0`, `@SUM(…)`,
`+HYPERLINK(…)`) would run when the export is opened in a spreadsheet (CSV injection).
Every text cell starting with a formula character is prefixed with an apostrophe, which
spreadsheets show as text. Numbers stay numbers. Files are UTF-8 with a BOM (so spreadsheets
read the French accents) and semicolon-separated (French spreadsheets' default).

Any future XLSX export must write its cells through `neutral_cell` as well (openpyxl turns a
string starting with "=" into a formula). This module must never import another app.
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

# Characters that start a formula (or a DDE call) in Excel, LibreOffice or Google Sheets, and the
# control characters that can hide one after a line break.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"
DELIMITER = ";"


def neutral_cell(value):
    """The cell as a spreadsheet should show it: text never starts a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal):
        return value  # a number (even negative) is data, not a formula
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class NeutralWriter:
    """csv.writer with the project's dialect; every row goes through neutral_cell."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, delimiter=DELIMITER)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutral_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream) -> NeutralWriter:
    """A neutralizing writer on `stream` (an HttpResponse, a StringIO…)."""
    return NeutralWriter(stream)


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    """A whole CSV file as text, BOM included (e.g. the index inside a ZIP)."""

    lines = _Lines()
    writer = NeutralWriter(lines)
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + "".join(lines.parts)


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """A streamed CSV download, one row at a time."""
    writer = NeutralWriter(_Echo())

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


class _Lines:
    def __init__(self):
        self.parts: list[str] = []

    def write(self, value: str) -> None:
        self.parts.append(value)
