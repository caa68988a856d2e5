"""Load the shipped commune coordinates (GeoNames) onto the communes already in the database.

The file is built by scripts/build_commune_coordinates.py; see
vocations/territories/data/README.md for the provenance, licence and precision statistics.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count

from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import ReferenceDataset
from vocations.core.reference import LoadResult, file_checksum
from vocations.core.services import (
    audit_log,
    reference_dataset_is_current,
    reference_dataset_mark_loaded,
)

from ..models import Commune, CoordinatesPrecision
from .geography import DATASET_NAME as GEOGRAPHY_DATASET_NAME
from .reference_files import read_gzipped_json

DATASET_NAME = "coordinates"
DEFAULT_COORDINATES_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "commune_coordinates.json.gz"
)
FORMAT_VERSION = 1
# The shipped file covers every current commune (~35,000); far fewer means a wrong file.
MIN_DEFAULT_COMMUNES = 30_000
BATCH_SIZE = 5000
MAX_REPORTED_ERRORS = 10

PRECISION_CODES = {
    "c": CoordinatesPrecision.COMMUNE.value,
    "p": CoordinatesPrecision.POSTAL_CODE.value,
    "d": CoordinatesPrecision.DEPARTMENT.value,
}
COUNT_LABELS = {
    CoordinatesPrecision.COMMUNE.value: "à la commune",
    CoordinatesPrecision.POSTAL_CODE.value: "au code postal",
    CoordinatesPrecision.DEPARTMENT.value: "au département",
}

# (south, north, west, east) boxes, keyed by the INSEE code's territory: the first three
# digits overseas, "metro" otherwise (Corsica included). A point outside its own territory's
# box is a corrupt or shifted file (swapped lat/lng, wrong sign).
TERRITORY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "metro": (41.3, 51.1, -5.3, 9.6),
    "971": (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    "972": (14.3, 14.9, -61.3, -60.7),  # Martinique
    "973": (2.1, 5.8, -54.7, -51.5),  # Guyane
    "974": (-21.4, -20.8, 55.2, 55.9),  # La Réunion
    "975": (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    "976": (-13.1, -12.6, 44.9, 45.4),  # Mayotte
    "977": (17.8, 18.0, -63.0, -62.7),  # Saint-Barthélemy
    "978": (18.0, 18.2, -63.2, -62.9),  # Saint-Martin
    "984": (-67.0, -11.0, 39.0, 141.0),  # TAAF: Îles Éparses to Terre Adélie
    "986": (-14.5, -13.1, -178.3, -176.0),  # Wallis-et-Futuna
    "987": (-28.0, -7.5, -155.0, -134.0),  # Polynésie française
    "988": (-23.0, -18.0, 158.0, 169.0),  # Nouvelle-Calédonie
    "989": (10.2, 10.4, -109.3, -109.1),  # Clipperton
}

_INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def load_commune_coordinates(*, force: bool = False, path: Path | None = None) -> LoadResult:
    """Set latitude, longitude and precision of the communes from the shipped file.

    Runs after ``load_geography``: communes of the file missing from the database are
    ignored. The whole file is validated before anything is written. The checksum recorded
    covers this file and the loaded geography, so a new geography (new communes) reloads
    the coordinates even when this file is unchanged; otherwise an unchanged file is
    skipped unless ``force``.
    """
    is_default = path is None
    path = Path(path) if path is not None else DEFAULT_COORDINATES_PATH
    if not path.is_file():
        raise ReferenceDataError(f"Fichier de coordonnées introuvable : {path}.")
    if not Commune.objects.exists():
        raise ReferenceDataError(
            "Aucune commune en base : chargez d'abord la géographie "
            "(manage.py load_reference_data)."
        )
    checksum = _combined_checksum(path)
    if not force and reference_dataset_is_current(name=DATASET_NAME, checksum=checksum):
        return LoadResult(skipped=True, counts=_current_counts())

    points = _read_and_validate(path, check_minimum=is_default)
    with transaction.atomic():
        changed: list[Commune] = []
        located = 0
        fields = ("latitude", "longitude", "coordinates_precision")
        for commune in Commune.objects.only("insee_code", *fields).order_by("pk"):
            point = points.get(commune.insee_code)
            if point is None:
                continue
            located += 1
            if (commune.latitude, commune.longitude, commune.coordinates_precision) != point:
                commune.latitude, commune.longitude, commune.coordinates_precision = point
                changed.append(commune)
        _write_points(changed, fields)
        counts = _current_counts()
        counts["absentes de la base (ignorées)"] = len(points) - located
        reference_dataset_mark_loaded(name=DATASET_NAME, checksum=checksum, counts=counts)
        audit_log(
            action="territories.coordinates_loaded",
            data={
                "checksum": checksum,
                "file": path.name,
                "counts": counts,
                "updated": len(changed),
            },
        )
    return LoadResult(skipped=False, counts=counts)


def _write_points(communes: list[Commune], fields: tuple[str, ...]) -> None:
    """One parameterized UPDATE per commune, sent in batches.

    QuerySet.bulk_update builds a CASE expression per row in Python: about 50 s for the
    35,000 communes, against about 1 s on SQLite and 10 s on PostgreSQL here.
    """
    quote = connection.ops.quote_name
    columns = [Commune._meta.get_field(name).column for name in fields]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = (
        f"UPDATE {quote(Commune._meta.db_table)} SET {assignments} "  # noqa: S608 (model names)
        f"WHERE {quote(Commune._meta.pk.column)} = %s"
    )
    rows = [[getattr(commune, name) for name in fields] + [commune.pk] for commune in communes]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def _combined_checksum(path: Path) -> str:
    geography = (
        ReferenceDataset.objects.filter(name=GEOGRAPHY_DATASET_NAME)
        .values_list("checksum", flat=True)
        .first()
    )
    return hashlib.sha256(f"{file_checksum(path)}:{geography or ''}".encode()).hexdigest()


def _current_counts() -> dict[str, int]:
    by_precision = dict(
        Commune.objects.exclude(coordinates_precision="")
        .values_list("coordinates_precision")
        .annotate(n=Count("pk"))
        .values_list("coordinates_precision", "n")
    )
    counts = {"communes localisées": sum(by_precision.values())}
    for precision, label in COUNT_LABELS.items():
        counts[label] = by_precision.get(precision, 0)
    return counts


# --- reading and validation -------------------------------------------------------------


def _read_and_validate(path: Path, *, check_minimum: bool) -> dict[str, tuple[float, float, str]]:
    """Return {insee code: (latitude, longitude, precision)} or raise ReferenceDataError."""
    payload = read_gzipped_json(path, what="de coordonnées")
    if not (isinstance(payload, dict) and isinstance(payload.get("communes"), dict)):
        raise ReferenceDataError(
            f"Fichier de coordonnées invalide ({path.name}) : un objet JSON avec « communes » "
            "(code INSEE → [latitude, longitude, précision]) est attendu."
        )
    if payload.get("format") != FORMAT_VERSION:
        raise ReferenceDataError(
            f"Fichier de coordonnées invalide ({path.name}) : format {payload.get('format')!r} "
            f"non pris en charge (attendu : {FORMAT_VERSION})."
        )

    errors: list[str] = []
    points: dict[str, tuple[float, float, str]] = {}
    for insee, value in payload["communes"].items():
        point = _validate_point(insee, value, errors)
        if point is not None:
            points[insee] = point
    if check_minimum and len(payload["communes"]) < MIN_DEFAULT_COMMUNES:
        errors.append(
            f"fichier partiel : {len(payload['communes'])} communes seulement "
            f"(au moins {MIN_DEFAULT_COMMUNES} attendues)"
        )
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        suffix = f" (et {more} autre(s) erreur(s))" if more else ""
        raise ReferenceDataError(
            f"Fichier de coordonnées invalide ({path.name}), rien n'a été chargé : "
            + " ; ".join(shown)
            + suffix
            + "."
        )
    return points


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _validate_point(
    insee: str, value: object, errors: list[str]
) -> tuple[float, float, str] | None:
    if not _INSEE_RE.match(insee):
        errors.append(f"code INSEE {insee!r} invalide")
        return None
    if not (isinstance(value, list) and len(value) == 3):
        errors.append(f"commune {insee} : [latitude, longitude, précision] attendu")
        return None
    latitude, longitude, code = value
    if not (_is_number(latitude) and _is_number(longitude)):
        errors.append(f"commune {insee} : coordonnées non numériques {value!r}")
        return None
    if code not in PRECISION_CODES:
        errors.append(f"commune {insee} : code de précision {code!r} inconnu")
        return None
    territory = insee[:3] if insee.startswith(("97", "98")) else "metro"
    box = TERRITORY_BOXES.get(territory)
    if box is None:
        errors.append(f"commune {insee} : territoire {territory} inconnu")
        return None
    south, north, west, east = box
    if not (south <= latitude <= north and west <= longitude <= east):
        errors.append(
            f"commune {insee} : point ({latitude}, {longitude}) hors du territoire "
            "français attendu pour ce code"
        )
        return None
    return float(latitude), float(longitude), PRECISION_CODES[code]
