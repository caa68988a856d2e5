"""France Travail's ROME 4.0 referential (CSV): codes and appellations, imported by staff."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from vocations.core.exceptions import ImportFileError
from vocations.core.services import audit_log

from ..models import Appellation, Trade
from . import loader
from .loader import KEYWORDS_FILE, OGR_CODE_RE, ROME_CODE_RE, _unique_slugs, _upsert
from .search_index import rebuild_search_index

KIND_CODES = "codes"
KIND_APPELLATIONS = "appellations"
KIND_LABELS = {
    KIND_CODES: "référentiel des codes ROME",
    KIND_APPELLATIONS: "référentiel des appellations",
}
EXPECTED_HEADERS = (
    "code_rome;code_fiche_em;code_ogr;libelle_rome (référentiel des codes ROME) ou "
    "code_ogr;libelle_appellation_long;libelle_appellation_court;code_rome "
    "(référentiel des appellations)"
)


@dataclass
class ImportReport:
    filename: str
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        label = KIND_LABELS[self.kind]
        if self.errors:
            return (
                f"{self.filename} ({label}) : {len(self.errors)} erreur(s), rien n'a été importé."
            )
        return (
            f"{self.filename} ({label}) : {self.rows} lignes, {self.created} créées, "
            f"{self.updated} mises à jour, {self.unchanged} inchangées."
        )


@dataclass
class _CsvFile:
    kind: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, values by column)


def _decode(raw: bytes, filename: str) -> str:
    # A NUL byte is no text (and PostgreSQL refuses it in a text column).
    if b"\x00" in raw:
        raise ImportFileError(
            f"Fichier {filename} : il contient des octets nuls, ce n'est pas un CSV lisible "
            "(UTF-8 ou Windows-1252 attendu)."
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"Fichier {filename} : encodage illisible (UTF-8 ou Windows-1252 attendu)."
        ) from None


def _parse_csv(raw: bytes, filename: str) -> _CsvFile:
    text = _decode(raw, filename)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportFileError(f"Fichier {filename} : le fichier est vide.")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    raw_header = [name.strip().strip('"') for name in next(reader)]
    header = [name.lower() for name in raw_header]
    columns = set(header)
    if {"code_ogr", "libelle_appellation_long", "code_rome"} <= columns:
        kind = KIND_APPELLATIONS
    elif {"code_rome", "libelle_rome"} <= columns:
        kind = KIND_CODES
    else:
        raise ImportFileError(
            f"Fichier {filename} : en-tête non reconnu ({', '.join(raw_header)}). "
            f"Colonnes attendues : {EXPECTED_HEADERS}."
        )
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) < len(header):
                values = values + [""] * (len(header) - len(values))
            rows.append(
                (
                    reader.line_num,
                    {name: value.strip() for name, value in zip(header, values, strict=False)},
                )
            )
    except csv.Error as exc:
        raise ImportFileError(f"Fichier {filename}, ligne {reader.line_num} : {exc}.") from None
    return _CsvFile(kind=kind, header=header, rows=rows)


def _read_bytes(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    data = file.read()
    if isinstance(data, str):  # a file opened in text mode
        return data.encode("utf-8")
    return data


def rome_file_kind(*, file: IO[bytes] | bytes, filename: str) -> str:
    """Tell a code file from an appellation file by its header (reads only)."""
    return _parse_csv(_read_bytes(file), filename).kind


def _check_code(value: str, line: int) -> str | None:
    if not ROME_CODE_RE.match(value):
        return (
            f"Ligne {line} : code ROME « {value} » invalide "
            "(une lettre de A à N suivie de 4 chiffres attendue)."
        )
    return None


def _parse_codes(parsed: _CsvFile, errors: list[str]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for line, row in parsed.rows:
        code, title = row.get("code_rome", "").upper(), row.get("libelle_rome", "")
        if error := _check_code(code, line):
            errors.append(error)
        elif not title:
            errors.append(f"Ligne {line} : intitulé (libelle_rome) vide pour le code {code}.")
        elif len(title) > 200:
            errors.append(f"Ligne {line} : intitulé du code {code} trop long (200 caractères).")
        elif titles.get(code, title) != title:
            errors.append(
                f"Ligne {line} : le code {code} apparaît déjà avec l'intitulé « {titles[code]} »."
            )
        else:
            titles[code] = title
    return titles


def _parse_appellations(parsed: _CsvFile, errors: list[str]) -> dict[str, tuple[str, str]]:
    known = set(Trade.objects.values_list("rome_code", flat=True))
    appellations: dict[str, tuple[str, str]] = {}
    for line, row in parsed.rows:
        ogr, code = row.get("code_ogr", ""), row.get("code_rome", "").upper()
        title = row.get("libelle_appellation_long") or row.get("libelle_appellation_court", "")
        if not OGR_CODE_RE.match(ogr):
            errors.append(f"Ligne {line} : code OGR « {ogr} » invalide (chiffres attendus).")
        elif ogr in appellations:
            errors.append(f"Ligne {line} : le code OGR {ogr} apparaît deux fois.")
        elif error := _check_code(code, line):
            errors.append(error)
        elif code not in known:
            errors.append(
                f"Ligne {line} : code ROME {code} inconnu ; importez d'abord le référentiel "
                "des codes ROME."
            )
        elif not title:
            errors.append(f"Ligne {line} : libellé d'appellation vide (code OGR {ogr}).")
        elif len(title) > 250:
            errors.append(f"Ligne {line} : libellé trop long (250 caractères, code OGR {ogr}).")
        else:
            appellations[ogr] = (title, code)
    return appellations


def _count_changes(model, key: str, rows: dict[str, dict], report: ImportReport) -> None:
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": rows})}
    for natural_key, values in rows.items():
        obj = existing.get(natural_key)
        if obj is None:
            report.created += 1
        elif any(getattr(obj, name) != value for name, value in values.items() if name != "slug"):
            report.updated += 1
        else:
            report.unchanged += 1


def _import_codes(titles: dict[str, str], report: ImportReport) -> None:
    existing = set(Trade.objects.filter(rome_code__in=titles).values_list("rome_code", flat=True))
    slugs = _unique_slugs(titles, existing)
    rows = {code: {"title": title} for code, title in titles.items()}
    for code, slug in slugs.items():
        rows[code]["slug"] = slug
    _count_changes(Trade, "rome_code", rows, report)
    _upsert(Trade, "rome_code", rows)


def _import_appellations(appellations: dict[str, tuple[str, str]], report: ImportReport) -> None:
    codes = {code for _, code in appellations.values()}
    trade_ids = dict(Trade.objects.filter(rome_code__in=codes).values_list("rome_code", "pk"))
    rows = {
        ogr: {"title": title, "trade_id": trade_ids[code]}
        for ogr, (title, code) in appellations.items()
    }
    _count_changes(Appellation, "code_ogr", rows, report)
    _upsert(Appellation, "code_ogr", rows)


def import_rome_referential(*, file: IO[bytes] | bytes, filename: str) -> ImportReport:
    """Import one CSV file of France Travail's ROME 4.0 referential.

    The file's kind is told by its header: codes (code_rome, libelle_rome…) create or update
    trades of every domain A–N, appellations (code_ogr, libelle_appellation_long, code_rome…)
    create or update appellations of known trades. Separator ; , or tab; UTF-8 (BOM or not)
    or Windows-1252. An unreadable file raises ImportFileError; bad lines are listed in the
    report's errors and then nothing is written. Trades keep their slug, sectors and
    descriptions, so a re-import changes nothing.
    """
    parsed = _parse_csv(_read_bytes(file), filename)
    report = ImportReport(filename=filename, kind=parsed.kind, rows=len(parsed.rows))
    if parsed.kind == KIND_CODES:
        titles = _parse_codes(parsed, report.errors)
    else:
        appellations = _parse_appellations(parsed, report.errors)
    if report.errors:
        return report
    with transaction.atomic():
        if parsed.kind == KIND_CODES:
            _import_codes(titles, report)
        else:
            _import_appellations(appellations, report)
        # New trades and appellations must be found by the explorer at once.
        rebuild_search_index(keywords_path=loader.DATA_DIR / KEYWORDS_FILE)
        audit_log(
            action="careers.rome_imported",
            data={
                "filename": filename,
                "kind": parsed.kind,
                "created": report.created,
                "updated": report.updated,
            },
        )
    return report
