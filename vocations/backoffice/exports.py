"""CSV and XLSX downloads of the back-office: one place for the file format and for formula
injection (a cell starting with =, +, -, @, tab or carriage return is run by spreadsheet
software as a formula: such text cells are prefixed with a quote, numbers are left as numbers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralize(value):
    """A text cell that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """``;``-separated UTF-8 with a BOM, so that spreadsheet software reads the accents."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize("" if cell is None else cell) for cell in row])
    return response


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]
) -> HttpResponse:
    """One worksheet per (title, header, rows); numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([neutralize(cell) for cell in header])
        for row in rows:
            sheet.append([neutralize(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
