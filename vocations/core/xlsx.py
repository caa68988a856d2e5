"""Open an uploaded XLSX safely (issue 15, point 4): a 316 KB workbook whose shared strings
expanded to 108 MB took 18 s and left the server 500 MB larger.

An XLSX is a zip. Before openpyxl parses anything, ``check_xlsx_zip`` reads the zip's central
directory only and refuses, in French: too many members, a total declared uncompressed size
over ``MAX_UNCOMPRESSED_BYTES``, or a large member compressed more than ``MAX_RATIO`` times.
The declared sizes are enough: Python's zipfile never inflates a member past its declared size
(a member lying about it fails its CRC and reads as corrupt). Then ``open_xlsx`` opens the
workbook read-only (rows are streamed, never all in memory); callers cap rows and columns.
"""

from __future__ import annotations

import io
import zipfile

from vocations.core.exceptions import ImportFileError

MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
# Ordinary workbooks compress 5-20 times; only members over this size are held to the ratio
# (tiny XML parts of repeated tags compress far better and cost nothing).
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024

UNREADABLE = "Classeur .xlsx illisible : est-il endommagé ?"
TOO_BIG = (
    "Classeur .xlsx refusé : une fois décompressé il dépasserait {size} Mo "
    "(au plus {limit} Mo). Enregistrez-le en CSV ou retirez les feuilles inutiles."
)
TOO_DENSE = (
    "Classeur .xlsx refusé : son contenu est anormalement compressé "
    "({ratio} fois, au plus {limit}). Enregistrez-le de nouveau depuis votre tableur ou en CSV."
)


def check_xlsx_zip(data: bytes, *, unreadable: str = UNREADABLE) -> None:
    """Raise ImportFileError unless the zip's declared contents are of a sane size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(unreadable) from None
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(unreadable)
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            TOO_BIG.format(
                size=-(-total // (1024 * 1024)), limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
            )
        )
    for member in members:
        if member.file_size <= RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_RATIO:
            raise ImportFileError(TOO_DENSE.format(ratio=int(ratio), limit=MAX_RATIO))


def open_xlsx(data: bytes, *, unreadable: str = UNREADABLE):
    """The read-only openpyxl workbook, after the zip check. The caller closes it."""
    from openpyxl import load_workbook

    check_xlsx_zip(data, unreadable=unreadable)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(unreadable) from None
