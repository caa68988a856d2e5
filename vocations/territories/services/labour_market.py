"""Load the shipped labour-market file: BMO 2024, bassins and communes, tension, pay, women.

The file is built by scripts/build_labour_market.py; see vocations/territories/data/README.md
("Labour market"). Needs the géographie (départements, communes) loaded first.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import connection, transaction

from vocations.core.exceptions import ReferenceDataError
from vocations.core.reference import LoadResult, file_checksum
from vocations.core.services import (
    audit_log,
    reference_dataset_is_current,
    reference_dataset_mark_loaded,
)

from ..models import (
    Commune,
    Department,
    EmploymentArea,
    FamilyTension,
    HiringNeed,
    RomeTension,
    TradeFamilyFigure,
)
from .reference_files import read_gzipped_json
from .rollups import rebuild_department_rollups

DATASET_NAME = "labour_market"
DEFAULT_LABOUR_MARKET_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "labour_market.json.gz"
)
FORMAT_VERSION = 1
BATCH_SIZE = 5000
CAUSE_FIELDS = [name for name, _label in FamilyTension.CAUSES]


def load_labour_market(*, force: bool = False, path: Path | None = None) -> LoadResult:
    """Load (or replace) the shipped labour-market figures, all or nothing.

    Skipped when the file's checksum is already loaded (unless ``force``). The BMO year of the
    file replaces that year's hiring needs (other years, imported with ``import_bmo``, stay);
    bassins are upserted by code; tension, DARES figures are replaced whole.
    """
    path = Path(path) if path is not None else DEFAULT_LABOUR_MARKET_PATH
    if not path.is_file():
        raise ReferenceDataError(f"Fichier du marché du travail introuvable : {path}.")
    checksum = file_checksum(path)
    if not force and reference_dataset_is_current(name=DATASET_NAME, checksum=checksum):
        return LoadResult(skipped=True, counts=_current_counts())
    data = _read(path)
    departments = dict(Department.objects.values_list("code", "pk"))
    if not departments:
        raise ReferenceDataError(
            "La géographie n'est pas chargée : elle doit l'être avant le marché du travail."
        )
    bmo = data["bmo"]
    _check_departments(departments, bmo["areas"].values(), "bassins BMO")
    _check_departments(departments, ([None, row[2]] for row in bmo["rows"]), "besoins BMO")
    _check_departments(departments, data["tension"]["areas"].values(), "bassins de tension")
    _check_departments(
        departments,
        ([None, row[1]] for row in data["dares_tension"]["rows"] if row[1]),
        "tension DARES",
    )
    with transaction.atomic():
        area_ids = _upsert_areas(bmo["areas"], departments)
        memberships = _link_communes(data["area_communes"], area_ids)
        needs = _replace_needs(bmo, area_ids, departments)
        tensions = _replace_rome_tension(data["tension"], departments)
        family_tensions = _replace_family_tension(data["dares_tension"], departments)
        figures = _replace_family_figures(data["wages"], data["women"])
        rebuild_department_rollups()
        counts = {
            "bassins d'emploi": len(area_ids),
            "communes rattachées": memberships,
            "besoins BMO": needs,
            "tensions ROME × bassin": tensions,
            "tensions DARES": family_tensions,
            "familles (salaire, part des femmes)": figures,
        }
        reference_dataset_mark_loaded(name=DATASET_NAME, checksum=checksum, counts=counts)
        audit_log(
            action="territories.labour_market_loaded",
            data={"checksum": checksum, "file": path.name, "counts": counts},
        )
    return LoadResult(skipped=False, counts=counts)


def _insert(model, fields: list[str], rows: list[tuple]) -> int:
    """Plain multi-row INSERT through the DB cursor.

    135,000 rows through ``bulk_create`` spend most of their time building model instances
    (about 3/4 of a 60 s load on a busy machine); the rows are already checked, so they go
    straight to the table.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    # Names come from the model's metadata, values go as parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])
    return len(rows)


def _current_counts() -> dict[str, int]:
    return {
        "bassins d'emploi": EmploymentArea.objects.count(),
        "besoins BMO": HiringNeed.objects.count(),
        "tensions ROME × bassin": RomeTension.objects.count(),
        "tensions DARES": FamilyTension.objects.count(),
        "familles (salaire, part des femmes)": TradeFamilyFigure.objects.count(),
    }


def _read(path: Path) -> dict:
    data = read_gzipped_json(path, what="du marché du travail")
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise ReferenceDataError(
            f"Format du fichier du marché du travail inattendu (format {FORMAT_VERSION} attendu)."
        )
    missing = {"bmo", "area_communes", "tension", "dares_tension", "wages", "women"} - set(data)
    if missing:
        raise ReferenceDataError(
            "Fichier du marché du travail incomplet : " + ", ".join(sorted(missing)) + "."
        )
    return data


def _check_departments(departments: dict, items, what: str) -> None:
    unknown = sorted({item[1] for item in items} - set(departments))
    if unknown:
        raise ReferenceDataError(
            f"Département(s) inconnu(s) dans les {what} : {', '.join(unknown)}. "
            "Rechargez la géographie."
        )


def _upsert_areas(areas: dict[str, list], departments: dict) -> dict[str, int]:
    existing = {area.code: area for area in EmploymentArea.objects.filter(code__in=list(areas))}
    to_create, to_update = [], []
    for code, (name, department_code) in areas.items():
        department_id = departments[department_code]
        area = existing.get(code)
        if area is None:
            to_create.append(EmploymentArea(code=code, name=name, department_id=department_id))
        elif (area.name, area.department_id) != (name, department_id):
            area.name, area.department_id = name, department_id
            to_update.append(area)
    EmploymentArea.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    EmploymentArea.objects.bulk_update(to_update, ["name", "department"], batch_size=500)
    return dict(EmploymentArea.objects.filter(code__in=list(areas)).values_list("code", "pk"))


def _link_communes(area_communes: dict[str, list[str]], area_ids: dict[str, int]) -> int:
    through = EmploymentArea.communes.through
    commune_ids = dict(Commune.objects.values_list("insee_code", "pk"))
    through.objects.filter(employmentarea_id__in=area_ids.values()).delete()
    # Communes merged since the BMO table was made are absent from the géographie: skipped.
    links = [
        (area_ids[area], commune_ids[insee])
        for area, codes in area_communes.items()
        if area in area_ids
        for insee in codes
        if insee in commune_ids
    ]
    return _insert(through, ["employmentarea", "commune"], links)


def _replace_needs(bmo: dict, area_ids: dict[str, int], departments: dict) -> int:
    year = int(bmo["year"])
    trades = bmo["trades"]
    HiringNeed.objects.filter(year=year).delete()
    rows = []
    for code, area, department, projects, difficult, seasonal in bmo["rows"]:
        name, family, family_name = trades[code]
        rows.append(
            (
                year,
                code,
                name,
                family,
                family_name,
                area_ids[area],
                departments[department],
                projects,
                difficult,
                seasonal,
                None in (projects, difficult, seasonal),
            )
        )
    fields = [
        "year",
        "bmo_code",
        "bmo_name",
        "family_code",
        "family_name",
        "employment_area",
        "department",
        "projects",
        "difficult",
        "seasonal",
        "masked",
    ]
    return _insert(HiringNeed, fields, rows)


def _replace_rome_tension(tension: dict, departments: dict) -> int:
    year = int(tension["year"])
    areas = tension["areas"]
    RomeTension.objects.all().delete()
    rows = [
        (
            year,
            rome,
            area,
            areas[area][0],
            departments[areas[area][1]],
            offers,
            seekers,
            level,
        )
        for rome, area, offers, seekers, level in tension["rows"]
    ]
    fields = [
        "year",
        "rome_code",
        "area_code",
        "area_name",
        "department",
        "job_offers",
        "job_seekers",
        "tension",
    ]
    return _insert(RomeTension, fields, rows)


def _replace_family_tension(dares: dict, departments: dict) -> int:
    year = int(dares["year"])
    FamilyTension.objects.all().delete()
    rows = [
        (year, fap, departments[department] if department else None, employment, level, *causes)
        for fap, department, employment, level, *causes in dares["rows"]
    ]
    fields = ["year", "fap_code", "department", "employment", "tension", *CAUSE_FIELDS]
    return _insert(FamilyTension, fields, rows)


FAP_CODE = re.compile(r"[A-Z][A-Z0-9]{0,4}")


def _replace_family_figures(wages: dict, women: dict) -> int:
    TradeFamilyFigure.objects.all().delete()
    # FAP codes only: a total row ("Ensemble") has no trade to describe.
    codes = sorted(
        code for code in set(wages["values"]) | set(women["values"]) if FAP_CODE.fullmatch(code)
    )
    rows = [
        TradeFamilyFigure(
            fap_code=code,
            label=women.get("labels", {}).get(code, ""),
            median_wage=wages["values"].get(code),
            wage_period=wages["period"] if code in wages["values"] else "",
            women_share=women["values"].get(code),
            women_period=women["period"] if code in women["values"] else "",
        )
        for code in codes
    ]
    TradeFamilyFigure.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)
