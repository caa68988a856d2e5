"""Import France Travail's "Besoins en Main-d'Œuvre" (BMO) open-data files.

One row per year × BMO trade × bassin d'emploi. Semicolon CSV (UTF-8 with or without BOM,
or Windows-1252) or .xlsx. The bassin columns carry the survey year in their name (BE24 and
NOMBE24 for 2024), so they are detected rather than hard-coded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from vocations.core.exceptions import ImportFileError
from vocations.core.services import audit_log
from vocations.core.xlsx import check_xlsx_zip

from ..models import Department, EmploymentArea, HiringNeed
from .rollups import rebuild_department_rollups

BASE_COLUMNS = (
    "annee",
    "Code métier BMO",
    "Nom métier BMO",
    "Famille_met",
    "Lbl_fam_met",
    "REG",
    "NOM_REG",
    "Dept",
    "NomDept",
    "met",
    "xmet",
    "smet",
)
_AREA_CODE_COLUMN = re.compile(r"^BE(\d{2})$", re.IGNORECASE)
_AREA_NAME_COLUMN = re.compile(r"^NOMBE(\d{2})$", re.IGNORECASE)
MASKED = "*"
HEADER_SEARCH_ROWS = 10  # real xlsx files may carry a title above the header
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f")
_NEED_FIELDS = (
    "bmo_name",
    "family_code",
    "family_name",
    "projects",
    "difficult",
    "seasonal",
    "masked",
)
PROGRESS_EVERY = 10_000  # lines between two progress reports


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Ligne {self.line} : {self.message}"


@dataclass
class HiringNeedImportResult:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    areas_created: int = 0
    errors: list[LineError] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return (
            f"{self.lines} ligne(s) lue(s) : {self.created} créée(s), {self.updated} mise(s) à "
            f"jour, {self.unchanged} inchangée(s), {self.areas_created} bassin(s) d'emploi "
            f"créé(s), {len(self.errors)} ligne(s) en erreur"
        )


@dataclass
class _Row:
    line: int
    year: int
    bmo_code: str
    bmo_name: str
    family_code: str
    family_name: str
    department_id: int
    area_code: str
    area_name: str
    projects: int | None
    difficult: int | None
    seasonal: int | None

    @property
    def masked(self) -> bool:
        return None in (self.projects, self.difficult, self.seasonal)


def import_hiring_needs(
    *,
    file: IO[bytes] | bytes,
    filename: str,
    year: int | None = None,
    valid_lines_only: bool = False,
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> HiringNeedImportResult:
    """Import a BMO file; upsert by (year, BMO trade, employment area).

    Every line is checked first. If any line is wrong nothing is written, unless
    ``valid_lines_only`` asks to import the good lines and report the others. Re-importing the
    same file changes nothing. ``year``, when given, fills an empty ``annee`` and rejects lines
    of another year. ``progress``, when given, is called with the number of lines read every
    ``PROGRESS_EVERY`` lines (a real file has ~53,000).
    """
    data = file if isinstance(file, bytes) else file.read()
    if not data:
        raise ImportFileError(f"Le fichier « {filename} » est vide.")
    if not Department.objects.exists():
        raise ImportFileError(
            "La géographie n'est pas chargée : lancez d'abord « manage.py load_reference_data »."
        )
    result = HiringNeedImportResult()
    rows = _parse(_read_table(data, filename), year=year, result=result, progress=progress)
    if result.errors and not valid_lines_only:
        return result
    with transaction.atomic():
        _write(rows, result)
        rebuild_department_rollups()
        result.written = True
        audit_log(
            actor=actor,
            action="territories.hiring_needs_imported",
            data={
                "file": filename,
                "lines": result.lines,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "errors": len(result.errors),
            },
        )
    return result


# --- reading the file ----------------------------------------------------------------------


NUL_BYTES = (
    "Le fichier contient des octets nuls : ce n'est pas un CSV lisible. Enregistrez-le en CSV "
    "(UTF-8 ou Windows-1252) ou en .xlsx."
)


def _read_table(data: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {canonical column: text}) for each data row."""
    name = filename.lower()
    if name.endswith(".xls"):
        raise ImportFileError(
            "Le format Excel 97 (.xls) n'est pas pris en charge : enregistrez le fichier en "
            ".xlsx ou en CSV (séparateur point-virgule)."
        )
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    return _with_columns(table)


def _decode(data: bytes) -> str:
    # A NUL byte is no text (and PostgreSQL refuses it in a text column).
    if b"\x00" in data:
        raise ImportFileError(NUL_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Encodage du fichier non reconnu : enregistrez-le en UTF-8 ou en Windows-1252."
        ) from exc


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise ImportFileError(f"CSV illisible à la ligne {reader.line_num} : {exc}.") from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    # Sizes before parsing: no zip bomb (vocations/core/xlsx.py).
    check_xlsx_zip(data, unreadable="Le fichier Excel (.xlsx) est illisible ou corrompu.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError("Le fichier Excel (.xlsx) est illisible ou corrompu.") from exc
    try:
        # The data sheet is the one whose header holds "annee" and "Code métier BMO": the
        # official file opens on a "Description des variables" sheet listing those names in
        # one column, one per row.
        sheet = workbook.worksheets[0]
        for candidate in workbook.worksheets:
            head = candidate.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            if any(
                {"annee", "code métier bmo"} <= {_cell_text(v).strip().lower() for v in row}
                for row in head
            ):
                sheet = candidate
                break
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _with_columns(
    table: Iterator[tuple[int, list[str]]],
) -> Iterator[tuple[int, dict[str, str]]]:
    header: list[str] | None = None
    first_row: list[str] | None = None
    for number, row in table:
        cells = [cell.strip() for cell in row]
        if header is None:
            if not any(cells):
                continue
            first_row = first_row or cells
            if "annee" in {cell.lower() for cell in cells}:
                header = _canonical_header(cells)
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cells):
            continue
        yield (
            number,
            {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name},
        )
    if header is None:
        _canonical_header(first_row or [])  # raises with the missing columns named


def _canonical_header(cells: list[str]) -> list[str]:
    """Map the file's headers to canonical names; raise if required columns are missing."""
    wanted = {column.lower(): column for column in BASE_COLUMNS}
    canonical: list[str] = []
    area_codes: list[str] = []
    area_names: list[str] = []
    for cell in cells:
        lowered = cell.lower()
        if lowered in wanted:
            canonical.append(wanted[lowered])
        elif _AREA_CODE_COLUMN.match(cell):
            area_codes.append(cell)
            canonical.append("BE")
        elif _AREA_NAME_COLUMN.match(cell):
            area_names.append(cell)
            canonical.append("NOMBE")
        else:
            canonical.append("")
    missing = [column for column in BASE_COLUMNS if column not in canonical]
    if not area_codes:
        missing.append("BEaa (code du bassin d'emploi, par ex. BE24)")
    if not area_names:
        missing.append("NOMBEaa (nom du bassin d'emploi, par ex. NOMBE24)")
    if missing:
        raise ImportFileError(
            "Ce fichier n'a pas les colonnes d'un fichier BMO. Colonne(s) manquante(s) : "
            + ", ".join(missing)
            + "."
        )
    if len(area_codes) > 1 or len(area_names) > 1:
        raise ImportFileError(
            "Plusieurs colonnes de bassin d'emploi trouvées ("
            + ", ".join(area_codes + area_names)
            + ") : une seule année par fichier est attendue."
        )
    return canonical


# --- checking the lines --------------------------------------------------------------------


def _count(value: str, label: str, problems: list[str]) -> int | None:
    if value == MASKED:
        return None
    cleaned = value.translate(_NUMBER_SPACES)
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not cleaned.isdigit():
        shown = f"« {value} »" if value else "vide"
        problems.append(f"{label} : nombre entier positif ou « * » attendu ({shown})")
        return None
    return int(cleaned)


def _text(value: str, label: str, max_length: int, problems: list[str], *, required=True) -> str:
    if required and not value:
        problems.append(f"{label} manquant")
    elif len(value) > max_length:
        problems.append(f"{label} trop long ({len(value)} caractères, {max_length} au plus)")
    return value


def _pad(value: str, width: int) -> str:
    # Spreadsheets turn "01" into 1: put the leading zeros back on purely numeric codes.
    return value.zfill(width) if value.isdigit() else value


def _parse(
    lines: Iterator[tuple[int, dict[str, str]]],
    *,
    year: int | None,
    result: HiringNeedImportResult,
    progress: Callable[[int], None] | None = None,
) -> list[_Row]:
    departments = {
        code: (pk, region_code)
        for pk, code, region_code in Department.objects.values_list("pk", "code", "region__code")
    }
    rows: list[_Row] = []
    seen_keys: dict[tuple[int, str, str, str], int] = {}
    for number, cells in lines:
        result.lines += 1
        if progress is not None and result.lines % PROGRESS_EVERY == 0:
            progress(result.lines)
        problems: list[str] = []
        raw_year = cells["annee"].removesuffix(".0")
        line_year: int | None = None
        if not raw_year and year is not None:
            line_year = year
        elif raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
            line_year = int(raw_year)
            if year is not None and line_year != year:
                problems.append(f"année {line_year} alors que l'import porte sur {year}")
        else:
            problems.append(f"année invalide (« {raw_year} »)" if raw_year else "année manquante")
        bmo_code = _text(cells["Code métier BMO"], "code métier BMO", 10, problems)
        bmo_name = _text(cells["Nom métier BMO"], "nom du métier BMO", 200, problems)
        family_code = _text(
            cells["Famille_met"], "famille de métiers", 10, problems, required=False
        )
        family_name = _text(
            cells["Lbl_fam_met"], "libellé de la famille", 200, problems, required=False
        )
        department_code = _pad(cells["Dept"], 2)
        department = departments.get(department_code)
        if department is None:
            problems.append(
                f"département « {department_code} » inconnu"
                if department_code
                else "département manquant"
            )
        # REG is the bassin's région, not always the département's (bassin of Redon: REG 53
        # Bretagne for its communes of Loire-Atlantique; Saint-Martin 978 under Guadeloupe):
        # the région is taken from the département, REG is not checked.
        area_code = _text(_pad(cells["BE"], 4), "code du bassin d'emploi", 10, problems)
        area_name = _text(cells["NOMBE"], "nom du bassin d'emploi", 150, problems)
        projects = _count(cells["met"], "projets de recrutement (met)", problems)
        difficult = _count(cells["xmet"], "projets jugés difficiles (xmet)", problems)
        seasonal = _count(cells["smet"], "projets saisonniers (smet)", problems)

        # A bassin straddling départements has one line per département (24 in BMO 2024).
        key = (line_year, bmo_code, area_code, department_code)
        if not problems and key in seen_keys:
            problems.append(
                f"doublon de la ligne {seen_keys[key]} (même année, métier {bmo_code}, bassin "
                f"{area_code} et département {department_code})"
            )
        if problems or department is None or line_year is None:
            result.errors.append(LineError(number, " ; ".join(problems)))
            continue
        seen_keys[key] = number
        rows.append(
            _Row(
                line=number,
                year=line_year,
                bmo_code=bmo_code,
                bmo_name=bmo_name,
                family_code=family_code,
                family_name=family_name,
                department_id=department[0],
                area_code=area_code,
                area_name=area_name,
                projects=projects,
                difficult=difficult,
                seasonal=seasonal,
            )
        )
    return rows


# --- writing -------------------------------------------------------------------------------


def _write(rows: list[_Row], result: HiringNeedImportResult) -> None:
    area_ids = _upsert_areas(rows, result)
    years = {row.year for row in rows}
    existing = {
        (need.year, need.bmo_code, need.employment_area_id, need.department_id): need
        for need in HiringNeed.objects.filter(
            year__in=years, employment_area_id__in=set(area_ids.values())
        )
    }
    to_create: list[HiringNeed] = []
    to_update: list[HiringNeed] = []
    for row in rows:
        area_id = area_ids[row.area_code]
        values = {name: getattr(row, name) for name in _NEED_FIELDS}
        need = existing.get((row.year, row.bmo_code, area_id, row.department_id))
        if need is None:
            to_create.append(
                HiringNeed(
                    year=row.year,
                    bmo_code=row.bmo_code,
                    employment_area_id=area_id,
                    department_id=row.department_id,
                    **values,
                )
            )
        elif any(getattr(need, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(need, name, value)
            to_update.append(need)
        else:
            result.unchanged += 1
    HiringNeed.objects.bulk_create(to_create, batch_size=1000)
    HiringNeed.objects.bulk_update(to_update, list(_NEED_FIELDS), batch_size=500)
    result.created = len(to_create)
    result.updated = len(to_update)


def _upsert_areas(rows: list[_Row], result: HiringNeedImportResult) -> dict[str, int]:
    names: dict[str, str] = {}
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        names[row.area_code] = row.area_name
        votes[row.area_code][row.department_id] += 1
    # A bassin straddling départements belongs to the one with the most lines.
    wanted = {
        code: (names[code], min(count, key=lambda pk: (-count[pk], pk)))
        for code, count in votes.items()
    }
    existing = {area.code: area for area in EmploymentArea.objects.filter(code__in=list(wanted))}
    to_create: list[EmploymentArea] = []
    to_update: list[EmploymentArea] = []
    for code, (name, department_id) in wanted.items():
        area = existing.get(code)
        if area is None:
            to_create.append(EmploymentArea(code=code, name=name, department_id=department_id))
        elif (area.name, area.department_id) != (name, department_id):
            area.name, area.department_id = name, department_id
            to_update.append(area)
    EmploymentArea.objects.bulk_create(to_create, batch_size=1000)
    EmploymentArea.objects.bulk_update(to_update, ["name", "department"], batch_size=500)
    result.areas_created = len(to_create)
    return dict(EmploymentArea.objects.filter(code__in=list(wanted)).values_list("code", "pk"))
