"""The shipped careers reference files: validate them, then load them in one transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from vocations.core.exceptions import ReferenceDataError
from vocations.core.reference import LoadResult, file_checksum
from vocations.core.services import (
    audit_log,
    reference_dataset_is_current,
    reference_dataset_mark_loaded,
)

from ..models import Branch, NafDivision, QualificationLevel, Sector, Trade
from .search_index import rebuild_search_index

# Module-level so that tests can point the loader at a copy (monkeypatch).
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DATASET_NAME = "careers"
ROME_FILE = "rome_industry.json"
SECTORS_FILE = "sectors.json"
BRANCHES_FILE = "branches.json"
DETAILS_FILE = "trade_details.json"
KEYWORDS_FILE = "trade_keywords.json"  # read by vocations.careers.search
DATA_FILES = (ROME_FILE, SECTORS_FILE, BRANCHES_FILE, DETAILS_FILE, KEYWORDS_FILE)

ROME_CODE_RE = re.compile(r"^[A-N]\d{4}$")
NAF_CODE_RE = re.compile(r"^\d{2}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OGR_CODE_RE = re.compile(r"^\d{1,10}$")

# National framework levels (nomenclature des niveaux de diplôme, 2019).
QUALIFICATION_LEVELS = {
    3: "Niveau 3 — CAP, BEP",
    4: "Niveau 4 — Bac, Bac pro, BP",
    5: "Niveau 5 — Bac+2 : BTS, DEUST",
    6: "Niveau 6 — Bac+3 : BUT, licence, licence pro",
    7: "Niveau 7 — Bac+5 : master, diplôme d'ingénieur",
}


def trade_slug(title: str) -> str:
    # slugify() drops the ligatures (« Œnologue » would become « nologue »).
    text = title.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    return slugify(text)[:200] or "metier"


# --------------------------------------------------------------------------------------
# Validation of the shipped files
# --------------------------------------------------------------------------------------


@dataclass
class CareersData:
    divisions: dict[str, str]  # code -> label
    trades: dict[str, dict]  # rome code -> {title, naf_divisions}
    sectors: dict[str, dict]  # slug -> {name, description, naf_divisions}
    branches: dict[str, dict]  # slug -> {name, short_name, federation, website, sectors}
    details: dict[str, dict]  # rome code -> {description, levels}


def _read_json(directory: Path, name: str) -> dict:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(f"Fichier {name} introuvable dans {directory}.") from None
    except UnicodeDecodeError:
        raise ReferenceDataError(f"Fichier {name} : encodage invalide (UTF-8 attendu).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(
            f"Fichier {name} : JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})."
        ) from None
    if not isinstance(data, dict):
        raise ReferenceDataError(f"Fichier {name} : un objet JSON est attendu à la racine.")
    return data


def _entries(data: dict, name: str, key: str) -> list[dict]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise ReferenceDataError(f"Fichier {name} : la liste « {key} » est absente ou vide.")
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ReferenceDataError(f"Fichier {name}, entrée n° {index} : un objet est attendu.")
    return entries


def _text(entry: dict, key: str, where: str, *, max_length: int, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise ReferenceDataError(f"{where} : le champ « {key} » doit être un texte.")
    value = value.strip()
    if required and not value:
        raise ReferenceDataError(f"{where} : le champ « {key} » est vide.")
    if len(value) > max_length:
        raise ReferenceDataError(f"{where} : le champ « {key} » dépasse {max_length} caractères.")
    return value


def _code_list(entry: dict, key: str, where: str, known: Iterable[str], what: str) -> list[str]:
    values = entry.get(key)
    if not isinstance(values, list) or not values:
        raise ReferenceDataError(f"{where} : la liste « {key} » est absente ou vide.")
    known = set(known)
    for value in values:
        if value not in known:
            raise ReferenceDataError(f"{where} : {what} « {value} » inconnu(e).")
    return sorted(set(values))


def _check_unique(seen: set[str], value: str, where: str) -> None:
    if value in seen:
        raise ReferenceDataError(f"{where} : « {value} » apparaît deux fois.")
    seen.add(value)


def _validate_rome(data: dict) -> tuple[dict[str, str], dict[str, dict]]:
    divisions: dict[str, str] = {}
    for index, entry in enumerate(_entries(data, ROME_FILE, "naf_divisions"), start=1):
        where = f"Fichier {ROME_FILE}, division NAF n° {index}"
        code = _text(entry, "code", where, max_length=2)
        if not NAF_CODE_RE.match(code):
            raise ReferenceDataError(f"{where} : code « {code} » invalide (deux chiffres).")
        _check_unique(set(divisions), code, where)
        divisions[code] = _text(entry, "label", where, max_length=200)
    trades: dict[str, dict] = {}
    for index, entry in enumerate(_entries(data, ROME_FILE, "trades"), start=1):
        code = entry.get("code")
        where = f"Fichier {ROME_FILE}, métier n° {index} ({code})"
        if not isinstance(code, str) or not ROME_CODE_RE.match(code):
            raise ReferenceDataError(
                f"{where} : code ROME invalide (une lettre de A à N suivie de 4 chiffres)."
            )
        _check_unique(set(trades), code, where)
        trades[code] = {
            "title": _text(entry, "title", where, max_length=200),
            "naf_divisions": _code_list(entry, "naf_divisions", where, divisions, "division"),
        }
    return divisions, trades


def _validate_sectors(data: dict, divisions: dict[str, str]) -> dict[str, dict]:
    sectors: dict[str, dict] = {}
    for index, entry in enumerate(_entries(data, SECTORS_FILE, "sectors"), start=1):
        slug = entry.get("slug")
        where = f"Fichier {SECTORS_FILE}, filière n° {index} ({slug})"
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 80:
            raise ReferenceDataError(f"{where} : identifiant (slug) invalide.")
        _check_unique(set(sectors), slug, where)
        sectors[slug] = {
            "name": _text(entry, "name", where, max_length=120),
            "description": _text(entry, "description", where, max_length=1000),
            "naf_divisions": _code_list(entry, "naf_divisions", where, divisions, "division"),
        }
    return sectors


def _validate_branches(data: dict, sectors: dict[str, dict]) -> dict[str, dict]:
    branches: dict[str, dict] = {}
    for index, entry in enumerate(_entries(data, BRANCHES_FILE, "branches"), start=1):
        slug = entry.get("slug")
        where = f"Fichier {BRANCHES_FILE}, branche n° {index} ({slug})"
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 80:
            raise ReferenceDataError(f"{where} : identifiant (slug) invalide.")
        _check_unique(set(branches), slug, where)
        website = _text(entry, "website", where, max_length=200, required=False)
        if website and not website.startswith("https://"):
            raise ReferenceDataError(f"{where} : le site doit commencer par https://.")
        branches[slug] = {
            "name": _text(entry, "name", where, max_length=200),
            "short_name": _text(entry, "short_name", where, max_length=80),
            "federation": _text(entry, "federation", where, max_length=200, required=False),
            "website": website,
            "sectors": _code_list(entry, "sectors", where, sectors, "filière"),
        }
    return branches


def _validate_details(data: dict, trades: dict[str, dict]) -> dict[str, dict]:
    details: dict[str, dict] = {}
    for index, entry in enumerate(_entries(data, DETAILS_FILE, "trades"), start=1):
        code = entry.get("code")
        where = f"Fichier {DETAILS_FILE}, métier n° {index} ({code})"
        if not isinstance(code, str) or not ROME_CODE_RE.match(code):
            raise ReferenceDataError(
                f"{where} : code ROME invalide (une lettre de A à N suivie de 4 chiffres)."
            )
        if code not in trades:
            raise ReferenceDataError(f"{where} : code ROME absent de {ROME_FILE}.")
        _check_unique(set(details), code, where)
        title = entry.get("title")
        if title is not None and title != trades[code]["title"]:
            raise ReferenceDataError(
                f"{where} : l'intitulé « {title} » diffère de celui de {ROME_FILE} "
                f"(« {trades[code]['title']} »)."
            )
        levels = entry.get("levels")
        if (
            not isinstance(levels, list)
            or not levels
            or any(level not in QUALIFICATION_LEVELS for level in levels)
        ):
            raise ReferenceDataError(f"{where} : niveaux invalides (liste de 3 à 7 attendue).")
        details[code] = {
            "description": _text(entry, "description", where, max_length=2000),
            "levels": sorted(set(levels)),
        }
    return details


def validate_careers_files(directory: Path) -> CareersData:
    """Read and check every file; raise ReferenceDataError naming the file and the entry."""
    divisions, trades = _validate_rome(_read_json(directory, ROME_FILE))
    sectors = _validate_sectors(_read_json(directory, SECTORS_FILE), divisions)
    branches = _validate_branches(_read_json(directory, BRANCHES_FILE), sectors)
    details = _validate_details(_read_json(directory, DETAILS_FILE), trades)
    return CareersData(divisions, trades, sectors, branches, details)


# --------------------------------------------------------------------------------------
# Bulk writes
# --------------------------------------------------------------------------------------


def _upsert(model: type[models.Model], key: str, rows: dict[str, dict]) -> dict[str, int]:
    """Create or update rows by natural key in bulk; return {key: pk}."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": rows})}
    to_create, to_update, changed_fields = [], [], set()
    for natural_key, values in rows.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**{key: natural_key, **values}))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            changed_fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    return dict(model.objects.filter(**{f"{key}__in": rows}).values_list(key, "pk"))


def _replace_links(
    model: type[models.Model], field_name: str, links: dict[int, Iterable[int]]
) -> None:
    """Set a many-to-many relation for many owners at once (delete then bulk insert)."""
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    owner, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    through.objects.filter(**{f"{owner}__in": list(links)}).delete()
    through.objects.bulk_create(
        [through(**{owner: o, target: t}) for o, targets in links.items() for t in set(targets)],
        batch_size=1000,
    )


def _unique_slugs(titles: dict[str, str], existing_codes: set[str]) -> dict[str, str]:
    """Slugs for new trades only: existing trades keep theirs so that URLs stay stable."""
    taken = set(Trade.objects.values_list("slug", flat=True))
    slugs = {}
    for code in sorted(titles):
        if code in existing_codes:
            continue
        slug = trade_slug(titles[code])
        if slug in taken:
            slug = f"{slug}-{code.lower()}"
        taken.add(slug)
        slugs[code] = slug
    return slugs


def _load(data: CareersData) -> dict[str, int]:
    level_ids = _upsert(
        QualificationLevel,
        "level",
        {level: {"label": label} for level, label in QUALIFICATION_LEVELS.items()},
    )
    division_ids = _upsert(
        NafDivision, "code", {code: {"label": label} for code, label in data.divisions.items()}
    )
    sector_ids = _upsert(
        Sector,
        "slug",
        {s: {"name": v["name"], "description": v["description"]} for s, v in data.sectors.items()},
    )
    _replace_links(
        Sector,
        "naf_divisions",
        {
            sector_ids[s]: [division_ids[d] for d in v["naf_divisions"]]
            for s, v in data.sectors.items()
        },
    )
    branch_fields = ("name", "short_name", "federation", "website")
    branch_ids = _upsert(
        Branch,
        "slug",
        {s: {f: v[f] for f in branch_fields} for s, v in data.branches.items()},
    )
    _replace_links(
        Branch,
        "sectors",
        {branch_ids[b]: [sector_ids[s] for s in v["sectors"]] for b, v in data.branches.items()},
    )

    # A trade belongs to the sectors sharing one of its NAF divisions, and to the
    # branches of those sectors.
    sectors_by_division: dict[str, set[str]] = {}
    for slug, sector in data.sectors.items():
        for division in sector["naf_divisions"]:
            sectors_by_division.setdefault(division, set()).add(slug)
    branches_by_sector: dict[str, set[str]] = {}
    for slug, branch in data.branches.items():
        for sector in branch["sectors"]:
            branches_by_sector.setdefault(sector, set()).add(slug)

    existing = set(
        Trade.objects.filter(rome_code__in=data.trades).values_list("rome_code", flat=True)
    )
    slugs = _unique_slugs({c: t["title"] for c, t in data.trades.items()}, existing)
    rows = {}
    for code, trade in data.trades.items():
        detail = data.details.get(code)
        rows[code] = {
            "title": trade["title"],
            "description": detail["description"] if detail else "",
            "is_featured": detail is not None,
        }
        if code in slugs:
            rows[code]["slug"] = slugs[code]
    trade_ids = _upsert(Trade, "rome_code", rows)

    trade_divisions, trade_sectors, trade_branches, trade_levels = {}, {}, {}, {}
    for code, trade in data.trades.items():
        pk = trade_ids[code]
        sectors = set().union(*(sectors_by_division.get(d, set()) for d in trade["naf_divisions"]))
        branches = set().union(*(branches_by_sector.get(s, set()) for s in sectors))
        trade_divisions[pk] = [division_ids[d] for d in trade["naf_divisions"]]
        trade_sectors[pk] = [sector_ids[s] for s in sectors]
        trade_branches[pk] = [branch_ids[b] for b in branches]
        detail = data.details.get(code)
        trade_levels[pk] = [level_ids[lv] for lv in detail["levels"]] if detail else []
    _replace_links(Trade, "naf_divisions", trade_divisions)
    _replace_links(Trade, "sectors", trade_sectors)
    _replace_links(Trade, "branches", trade_branches)
    _replace_links(Trade, "qualification_levels", trade_levels)

    return {
        "niveaux de qualification": len(level_ids),
        "divisions NAF": len(division_ids),
        "filières": len(sector_ids),
        "branches": len(branch_ids),
        "métiers": len(trade_ids),
        "métiers phares": len(data.details),
    }


def load_careers(*, force: bool = False) -> LoadResult:
    """Load sectors, branches, NAF divisions and the industrial trades from DATA_DIR.

    Every file is checked before anything is written; the load is one transaction. An
    unchanged set of files is skipped unless ``force``; a forced reload updates rows by
    their natural keys (level, code, slug, ROME code), so it never duplicates.
    """
    directory = DATA_DIR
    data = validate_careers_files(directory)
    checksum = file_checksum(*(directory / name for name in DATA_FILES))
    if not force and reference_dataset_is_current(name=DATASET_NAME, checksum=checksum):
        return LoadResult(skipped=True, counts=_current_counts())
    with transaction.atomic():
        counts = _load(data)
        rebuild_search_index(keywords_path=directory / KEYWORDS_FILE)
        reference_dataset_mark_loaded(name=DATASET_NAME, checksum=checksum, counts=counts)
        audit_log(action="careers.reference_data_loaded", data={"counts": counts})
    return LoadResult(skipped=False, counts=counts)


def _current_counts() -> dict[str, int]:
    return {
        "niveaux de qualification": QualificationLevel.objects.count(),
        "divisions NAF": NafDivision.objects.count(),
        "filières": Sector.objects.count(),
        "branches": Branch.objects.count(),
        "métiers": Trade.objects.count(),
        "métiers phares": Trade.objects.filter(is_featured=True).count(),
    }
