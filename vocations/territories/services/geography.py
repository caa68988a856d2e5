"""Load the shipped French geography (régions, départements, communes, postal codes).

The file is built by scripts/build_geography.py; see vocations/territories/data/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from vocations.core.db import refresh_planner_statistics
from vocations.core.exceptions import ReferenceDataError
from vocations.core.reference import LoadResult, file_checksum
from vocations.core.services import (
    audit_log,
    reference_dataset_is_current,
    reference_dataset_mark_loaded,
)

from ..models import Commune, Department, PostalCode, Region
from .reference_files import read_gzipped_json
from .rollups import rebuild_department_rollups

DATASET_NAME = "geography"
DEFAULT_GEOGRAPHY_PATH = Path(__file__).resolve().parent.parent / "data" / "geography.json.gz"
FORMAT_VERSION = 1
# The shipped file holds ~35,000 communes; far fewer means a truncated or wrong file, and
# loading it would silently hide most of France from the postal-code lookups.
MIN_DEFAULT_COUNTS = {"regions": 18, "departments": 101, "communes": 30_000}
BATCH_SIZE = 2000
MAX_REPORTED_ERRORS = 10

_INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_POSTAL_RE = re.compile(r"^\d{5}$")
_TERRITORY_CODE_RE = re.compile(r"^(\d{2,3}|2[AB])$")


@dataclass(frozen=True)
class _Geography:
    regions: list[dict]
    departments: list[dict]
    communes: list[dict]
    postal_codes: dict[str, list[str]]  # insee code -> postal codes


def load_geography(*, force: bool = False, path: Path | None = None) -> LoadResult:
    """Load (or update) the geography from the shipped file, all or nothing.

    The whole file is validated before anything is written. An unchanged file (same checksum
    as the last load) is skipped unless ``force``; a forced reload upserts by code, so it never
    duplicates. Communes missing from a newer file are kept (other rows may point to them) but
    lose their postal codes, so lookups only return current communes.
    """
    is_default = path is None
    path = Path(path) if path is not None else DEFAULT_GEOGRAPHY_PATH
    if not path.is_file():
        raise ReferenceDataError(f"Fichier de géographie introuvable : {path}.")
    checksum = file_checksum(path)
    if not force and reference_dataset_is_current(name=DATASET_NAME, checksum=checksum):
        return LoadResult(skipped=True, counts=_current_counts())

    geography = _read_and_validate(path, check_minimum=is_default)
    with transaction.atomic():
        region_ids = _upsert(
            Region,
            key="code",
            rows=geography.regions,
            fields=("name", "slug"),
        )
        for row in geography.departments:
            row["region_id"] = region_ids[row.pop("region_code")]
        department_ids = _upsert(
            Department,
            key="code",
            rows=geography.departments,
            fields=("name", "slug", "region_id"),
        )
        for row in geography.communes:
            row["region_id"] = region_ids[row.pop("region_code")]
            row["department_id"] = department_ids[row.pop("department_code")]
        commune_ids = _upsert(
            Commune,
            key="insee_code",
            rows=geography.communes,
            fields=("name", "department_id", "region_id", "population"),
        )
        postal_count = _sync_postal_codes(geography.postal_codes, commune_ids)
        rebuild_department_rollups()
        counts = {
            "régions": len(geography.regions),
            "départements": len(geography.departments),
            "communes": len(geography.communes),
            "codes postaux": postal_count,
        }
        reference_dataset_mark_loaded(name=DATASET_NAME, checksum=checksum, counts=counts)
        audit_log(
            action="territories.geography_loaded",
            data={"checksum": checksum, "file": path.name, "counts": counts},
        )
    refresh_planner_statistics(Region, Department, Commune, PostalCode)
    return LoadResult(skipped=False, counts=counts)


def _current_counts() -> dict[str, int]:
    return {
        "régions": Region.objects.count(),
        "départements": Department.objects.count(),
        "communes": Commune.objects.count(),
        "codes postaux": PostalCode.objects.count(),
    }


# --- reading and validation -------------------------------------------------------------


def _read_and_validate(path: Path, *, check_minimum: bool) -> _Geography:
    payload = read_gzipped_json(path, what="de géographie")
    if not isinstance(payload, dict):
        raise ReferenceDataError(
            f"Fichier de géographie invalide ({path.name}) : un objet JSON est attendu."
        )
    missing = [
        key for key in ("format", "regions", "departments", "communes") if key not in payload
    ]
    if missing:
        raise ReferenceDataError(
            f"Fichier de géographie invalide ({path.name}) : clé(s) manquante(s) : "
            f"{', '.join(missing)}."
        )
    if payload["format"] != FORMAT_VERSION:
        raise ReferenceDataError(
            f"Fichier de géographie invalide ({path.name}) : format {payload['format']!r} "
            f"non pris en charge (attendu : {FORMAT_VERSION})."
        )
    for key in ("regions", "departments", "communes"):
        if not isinstance(payload[key], list):
            raise ReferenceDataError(
                f"Fichier de géographie invalide ({path.name}) : « {key} » doit être une liste."
            )

    errors: list[str] = []
    regions = _validate_regions(payload["regions"], errors)
    region_codes = {row["code"] for row in regions}
    departments = _validate_departments(payload["departments"], region_codes, errors)
    department_regions = {row["code"]: row["region_code"] for row in departments}
    communes, postal_codes = _validate_communes(payload["communes"], department_regions, errors)

    if check_minimum:
        found = {
            "regions": len(regions),
            "departments": len(departments),
            "communes": len(communes),
        }
        labels = {"regions": "régions", "departments": "départements", "communes": "communes"}
        for key, minimum in MIN_DEFAULT_COUNTS.items():
            if found[key] < minimum:
                errors.append(
                    f"fichier partiel : {found[key]} {labels[key]} seulement "
                    f"(au moins {minimum} attendues)"
                )
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        suffix = f" (et {more} autre(s) erreur(s))" if more else ""
        raise ReferenceDataError(
            f"Fichier de géographie invalide ({path.name}), rien n'a été chargé : "
            + " ; ".join(shown)
            + suffix
            + "."
        )
    return _Geography(regions, departments, communes, postal_codes)


def _is_text(value: object, max_length: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= max_length


def _validate_regions(items: list, errors: list[str]) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    slugs: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not (isinstance(item, list) and len(item) == 2):
            errors.append(f"région n° {index} : [code, nom] attendu")
            continue
        code, name = item
        if not (isinstance(code, str) and _TERRITORY_CODE_RE.match(code)):
            errors.append(f"région n° {index} : code {code!r} invalide")
            continue
        if not _is_text(name, 100):
            errors.append(f"région {code} : nom manquant ou trop long")
            continue
        slug = slugify(name)
        if code in seen or slug in slugs:
            errors.append(f"région {code} ({name}) en double")
            continue
        seen.add(code)
        slugs.add(slug)
        rows.append({"code": code, "name": name.strip(), "slug": slug})
    return rows


def _validate_departments(items: list, region_codes: set[str], errors: list[str]) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    slugs: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not (isinstance(item, list) and len(item) == 3):
            errors.append(f"département n° {index} : [code, nom, région] attendu")
            continue
        code, name, region_code = item
        if not (isinstance(code, str) and _TERRITORY_CODE_RE.match(code)):
            errors.append(f"département n° {index} : code {code!r} invalide")
            continue
        if not _is_text(name, 100):
            errors.append(f"département {code} : nom manquant ou trop long")
            continue
        if region_code not in region_codes:
            errors.append(f"département {code} ({name}) : région « {region_code} » inconnue")
            continue
        slug = slugify(name)
        if code in seen or slug in slugs:
            errors.append(f"département {code} ({name}) en double")
            continue
        seen.add(code)
        slugs.add(slug)
        rows.append({"code": code, "name": name.strip(), "slug": slug, "region_code": region_code})
    return rows


def _validate_communes(
    items: list, department_regions: dict[str, str], errors: list[str]
) -> tuple[list[dict], dict[str, list[str]]]:
    rows: list[dict] = []
    postal_codes: dict[str, list[str]] = {}
    for index, item in enumerate(items, start=1):
        if not (isinstance(item, list) and len(item) == 6):
            errors.append(
                f"commune n° {index} : [code INSEE, nom, département, région, codes postaux, "
                "population] attendu"
            )
            continue
        insee, name, department_code, region_code, postals, population = item
        if not (isinstance(insee, str) and _INSEE_RE.match(insee)):
            errors.append(f"commune n° {index} : code INSEE {insee!r} invalide")
            continue
        if not _is_text(name, 150):
            errors.append(f"commune {insee} : nom manquant ou trop long")
            continue
        label = f"commune {insee} ({name})"
        if department_code not in department_regions:
            errors.append(f"{label} : département « {department_code} » inconnu")
            continue
        if department_regions[department_code] != region_code:
            errors.append(
                f"{label} : région « {region_code} » incohérente avec le département "
                f"{department_code} (région {department_regions[department_code]})"
            )
            continue
        if not (
            isinstance(postals, list)
            and all(isinstance(p, str) and _POSTAL_RE.match(p) for p in postals)
        ):
            errors.append(f"{label} : codes postaux invalides {postals!r}")
            continue
        if population is not None and not (
            isinstance(population, int) and not isinstance(population, bool) and population >= 0
        ):
            errors.append(f"{label} : population {population!r} invalide")
            continue
        if insee in postal_codes:
            errors.append(f"{label} en double")
            continue
        postal_codes[insee] = sorted(set(postals))
        rows.append(
            {
                "insee_code": insee,
                "name": name.strip(),
                "department_code": department_code,
                "region_code": region_code,
                "population": population,
            }
        )
    return rows, postal_codes


# --- writing -------------------------------------------------------------------------------


def _batched(items: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(
    model: type[models.Model], *, key: str, rows: list[dict], fields: tuple[str, ...]
) -> dict[str, int]:
    """Create missing rows and update changed ones in bulk; return key -> primary key."""
    # Model field names (region), as only() and bulk_update() expect, for attnames (region_id).
    names = [model._meta.get_field(field.removesuffix("_id")).name for field in fields]
    existing = {getattr(obj, key): obj for obj in model.objects.only(key, *names)}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        if any(getattr(obj, field) != row[field] for field in fields):
            for field in fields:
                setattr(obj, field, row[field])
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, names, batch_size=500)
    return dict(model.objects.values_list(key, "pk"))


def _sync_postal_codes(postal_codes: dict[str, list[str]], commune_ids: dict[str, int]) -> int:
    wanted = {(code, commune_ids[insee]) for insee, codes in postal_codes.items() for code in codes}
    stale: list[int] = []
    present: set[tuple[str, int]] = set()
    for pk, code, commune_id in PostalCode.objects.values_list("pk", "code", "commune_id"):
        if (code, commune_id) in wanted:
            present.add((code, commune_id))
        else:
            stale.append(pk)
    for batch in _batched(stale, 500):
        PostalCode.objects.filter(pk__in=batch).delete()
    missing = [
        PostalCode(code=code, commune_id=commune_id)
        for code, commune_id in sorted(wanted - present)
    ]
    PostalCode.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return len(wanted)
