"""Reading CSV and XLSX tables for the campaign imports, and the line-by-line report.

UTF-8 (with or without BOM) or Windows-1252, ";" "," or tab delimiter, XLSX first sheet;
headers normalized ("Coût prévu (€)" -> "cout prevu"). A file that cannot be read or lacks
columns raises ImportFileError naming them. Split from vocations.campaigns.services.imports,
which holds the two imports themselves.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io

from vocations.campaigns.formats import normalize_key
from vocations.core.exceptions import ImportFileError
from vocations.core.xlsx import check_xlsx_zip, open_xlsx

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINES = 50_000
MAX_COLUMNS = 100
# --- reports ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Ligne {self.line} : {self.message}"


@dataclasses.dataclass
class ImportReport:
    filename: str = ""
    total_lines: int = 0
    valid_lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    # A refusal of the whole file (e.g. over budget): nothing was written.
    refusal: str = ""
    imported: bool = False
    dry_run: bool = False

    @property
    def error_lines(self) -> int:
        return len({error.line for error in self.errors})

    @property
    def messages(self) -> list[str]:
        return [str(error) for error in self.errors]

    def error(self, line: int, message: str) -> None:
        self.errors.append(LineError(line, message))


# --- reading ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str  # as the user writes it, for error messages
    aliases: frozenset[str]
    required: bool = True


def columns(*specs: tuple[str, str, str, bool]) -> list[Column]:
    return [
        Column(key, label, frozenset(normalize_key(a) for a in [label, *aliases.split("|")]), req)
        for key, label, aliases, req in specs
    ]


def decode_text(content: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM (Excel's "texte Unicode"), or Windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(
                "Fichier UTF-16 illisible : enregistrez-le en CSV UTF-8."
            ) from None
    if b"\x00" in content:
        raise ImportFileError(
            "Ce fichier n'est pas un fichier texte : envoyez un CSV (UTF-8 ou Windows-1252) "
            "ou un classeur .xlsx."
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 leaves 5 bytes undefined: a file using them is neither encoding.
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252."
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_rows(content: bytes) -> list[list[object]]:
    text = decode_text(content)
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        return [row for _, row in zip(range(MAX_LINES + 2), reader, strict=False)]
    except csv.Error as error:
        raise ImportFileError(f"CSV illisible : {error}.") from None


def _xlsx_rows(content: bytes) -> list[list[object]]:
    # Zip sizes checked before parsing (vocations/core/xlsx.py); rows streamed, capped in
    # number (MAX_LINES) and width (MAX_COLUMNS).
    workbook = open_xlsx(content)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_LINES + 1:
                break
        return rows
    finally:
        workbook.close()


def _is_xlsx(content: bytes, filename: str) -> bool:
    return content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx")


def _cell(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


@dataclasses.dataclass
class Table:
    rows: list[tuple[int, dict[str, object]]]
    ignored_columns: list[str]


def preflight(content: bytes, filename: str) -> None:
    """The checks that cost nothing (size, old Excel, zip sizes of a workbook), made before a
    file is even stored for the worker; raises ImportFileError."""
    if not content:
        raise ImportFileError("Le fichier est vide.")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError("Fichier trop lourd : 5 Mo au maximum.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Ancien format Excel (.xls) non pris en charge : enregistrez en .xlsx ou en CSV."
        )
    if _is_xlsx(content, filename):
        check_xlsx_zip(content)


def read_table(content: bytes, filename: str, spec: list[Column]) -> Table:
    """Rows as {column key: cell} with their spreadsheet line numbers; raises ImportFileError."""
    preflight(content, filename)
    raw_rows = _xlsx_rows(content) if _is_xlsx(content, filename) else _csv_rows(content)
    # The header is the first non-empty row; line numbers count from the file's first row.
    start = next((i for i, r in enumerate(raw_rows) if any(_cell(c) != "" for c in r)), None)
    if start is None:
        raise ImportFileError("Le fichier est vide.")
    header = [normalize_key(c) for c in raw_rows[start]]
    positions: dict[str, int] = {}
    ignored = []
    for index, name in enumerate(header):
        column = next((c for c in spec if name in c.aliases), None)
        if column is None:
            if name:
                ignored.append(str(raw_rows[start][index]))
            continue
        if column.key in positions:
            raise ImportFileError(f"La colonne « {column.label} » apparaît deux fois.")
        positions[column.key] = index
    missing = [c.label for c in spec if c.required and c.key not in positions]
    if missing:
        expected = ", ".join(c.label for c in spec)
        raise ImportFileError(
            f"Colonnes manquantes : {', '.join(missing)}. Colonnes attendues : {expected}."
        )
    if len(raw_rows) - start - 1 > MAX_LINES:
        raise ImportFileError(f"Trop de lignes : {MAX_LINES} au maximum par fichier.")
    rows = []
    for offset, raw in enumerate(raw_rows[start + 1 :]):
        cells = [_cell(c) for c in raw]
        if not any(c != "" for c in cells):
            continue
        values = {
            key: cells[index] if index < len(cells) else "" for key, index in positions.items()
        }
        rows.append((start + offset + 2, values))
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne de données.")
    return Table(rows=rows, ignored_columns=ignored)
