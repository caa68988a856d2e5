"""XLSX downloads of the back-office, with the project's formula neutralization
(vocations/core/exports.py: a text cell starting with =, +, -, @… gets a leading quote, since
openpyxl would store it as a formula; numbers stay numbers). CSV: core.exports.csv_response.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from vocations.core.exports import csv_response, neutral_cell

__all__ = ["csv_response", "xlsx_response"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]
) -> HttpResponse:
    """One worksheet per (title, header, rows)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([neutral_cell(cell) for cell in header])
        for row in rows:
            sheet.append([neutral_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
