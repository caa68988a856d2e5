"""Local hiring need, tension, pay and share of women per ROME trade.

Built on our BMO -> ROME table (data/bmo_rome.json, made by scripts/build_labour_market.py):
BMO trades are FAP 2021 codes, not ROME, so a ROME trade gets the figure of the BMO trade(s)
that cover it, shown with that BMO trade's name. DARES's tension, pay and share of women are
per FAP 2009 trade or family, reached through the same table.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from django.db.models import Max, Sum
from django.db.models.functions import Coalesce

from vocations.territories import selectors as territory_selectors
from vocations.territories.models import FamilyTension, HiringNeed

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "bmo_rome.json"


class TradeNeed(TypedDict):
    bmo_code: str
    bmo_name: str
    year: int
    projects: int
    difficult: int


@dataclass(frozen=True)
class BmoMapping:
    bmo_code: str
    bmo_name: str
    fap2009: tuple[str, ...]
    kind: str  # "exact" or "inferred"
    why: str
    rome_codes: tuple[str, ...]


@functools.cache
def _mapping_data() -> dict:
    return json.loads(MAPPING_FILE.read_text(encoding="utf-8"))


@functools.cache
def bmo_mappings() -> dict[str, BmoMapping]:
    return {
        m["bmo_code"]: BmoMapping(
            bmo_code=m["bmo_code"],
            bmo_name=m["bmo_name"],
            fap2009=tuple(m.get("fap2009", ())),
            kind=m.get("kind", "inferred"),
            why=m.get("why", ""),
            rome_codes=tuple(m["rome_codes"]),
        )
        for m in _mapping_data()["mappings"]
    }


def bmo_to_rome() -> dict[str, tuple[str, ...]]:
    return {code: m.rome_codes for code, m in bmo_mappings().items()}


def industrial_bmo_codes() -> list[str]:
    """The BMO trades counted as industrial (mapped to ROME trades or not)."""
    data = _mapping_data()
    return sorted(
        [m["bmo_code"] for m in data["mappings"]] + [u["bmo_code"] for u in data["unmapped"]]
    )


def mappings_for_rome(rome_code: str) -> list[BmoMapping]:
    return [m for m in bmo_mappings().values() if rome_code in m.rome_codes]


def hiring_need_by_rome(department_code: str | None = None) -> dict[str, TradeNeed]:
    """ROME code -> need of its BMO trade for the latest year, nationally or in a département.

    Two queries (latest year, totals); masked counts (« * ») are left out of the sums. A ROME
    trade covered by several BMO trades shows the largest one.
    """
    mapping = bmo_to_rome()
    needs = HiringNeed.objects.filter(bmo_code__in=list(mapping))
    if department_code:
        needs = needs.filter(department__code=department_code)
    year = needs.aggregate(year=Max("year"))["year"]
    if year is None:
        return {}
    rows = (
        needs.filter(year=year)
        .values("bmo_code")
        .annotate(
            bmo_name=Max("bmo_name"),
            projects=Coalesce(Sum("projects"), 0),
            difficult=Coalesce(Sum("difficult"), 0),
        )
        .order_by("projects", "bmo_code")
    )
    result: dict[str, TradeNeed] = {}
    for row in rows:  # ascending: the largest BMO trade is written last and wins
        for rome_code in mapping.get(row["bmo_code"], ()):
            result[rome_code] = {
                "bmo_code": row["bmo_code"],
                "bmo_name": row["bmo_name"],
                "year": year,
                "projects": row["projects"],
                "difficult": row["difficult"],
            }
    return result


@dataclass
class TensionFigure:
    fap_code: str
    year: int
    tension: int | None
    tension_label: str
    causes: list[tuple[str, int]]  # (French label, 1–5), strongest first


@dataclass
class TradeLabourMarket:
    """Everything the trade page says about the labour market for one ROME trade."""

    mappings: list[BmoMapping]
    local: dict | None  # territories.selectors.TradeNeed, or None without a département
    national: dict
    local_tension: list[TensionFigure]
    national_tension: list[TensionFigure]
    rome_tension: list[dict]
    families: list  # TradeFamilyFigure, one per FAP 2009 family (87 level)

    @property
    def has_figures(self) -> bool:
        return bool(self.mappings)


def _tension(row: FamilyTension) -> TensionFigure:
    causes = [
        (label, getattr(row, name))
        for name, label in FamilyTension.CAUSES
        if getattr(row, name) is not None
    ]
    causes.sort(key=lambda item: -item[1])
    return TensionFigure(
        fap_code=row.fap_code,
        year=row.year,
        tension=row.tension,
        tension_label=row.get_tension_display() if row.tension else "",
        causes=causes,
    )


def trade_labour_market(rome_code: str, department_code: str | None) -> TradeLabourMarket:
    """BMO need (local and national), tension and its causes, pay, women, for a ROME trade.

    At most eight queries, none when the trade has no BMO trade.
    """
    mappings = mappings_for_rome(rome_code)
    if not mappings:
        return TradeLabourMarket([], None, {}, [], [], [], [])
    bmo_codes = [m.bmo_code for m in mappings]
    fap_codes = sorted({fap for m in mappings for fap in m.fap2009})
    national = territory_selectors.trade_need(bmo_codes=bmo_codes)
    local = (
        territory_selectors.trade_need(
            bmo_codes=bmo_codes, department_code=department_code, year=national["year"]
        )
        if department_code and national["year"]
        else None
    )
    if local is not None and not local["lines"]:
        local["surveyed"] = territory_selectors.department_surveyed(
            department_code=department_code, year=national["year"]
        )
    tensions = territory_selectors.family_tensions(
        fap_codes=fap_codes, department_code=department_code
    )
    rome_tension = (
        territory_selectors.rome_tension_in_department(
            rome_codes=[rome_code], department_code=department_code
        )
        if department_code
        else []
    )
    families = territory_selectors.family_figures(sorted({code[:3] for code in fap_codes}))
    return TradeLabourMarket(
        mappings=mappings,
        local=local,
        national=national,
        local_tension=[_tension(t) for t in tensions if t.department_id is not None],
        national_tension=[_tension(t) for t in tensions if t.department_id is None],
        rome_tension=rome_tension,
        families=[families[code] for code in sorted(families)],
    )
