"""Local hiring need per trade, through our BMO -> ROME table (data/bmo_rome.json).

BMO trades are FAP-based, not ROME: only the trades listed in the table get a figure, and the
figure is the whole BMO trade's (e.g. « Soudeurs »), shown with that name.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TypedDict

from django.db.models import Max, Sum
from django.db.models.functions import Coalesce

from vocations.territories.models import HiringNeed

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "bmo_rome.json"


class TradeNeed(TypedDict):
    bmo_code: str
    bmo_name: str
    year: int
    projects: int
    difficult: int


@functools.cache
def bmo_to_rome() -> dict[str, tuple[str, ...]]:
    data = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    return {m["bmo_code"]: tuple(m["rome_codes"]) for m in data["mappings"]}


def hiring_need_by_rome(department_code: str | None = None) -> dict[str, TradeNeed]:
    """ROME code -> need of its BMO trade for the latest year, nationally or in a département.

    Two queries (latest year, totals); masked counts (« * ») count as zero.
    """
    mapping = bmo_to_rome()
    needs = HiringNeed.objects.filter(bmo_code__in=list(mapping))
    if department_code:
        needs = needs.filter(employment_area__department__code=department_code)
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
        .order_by("bmo_code")
    )
    result: dict[str, TradeNeed] = {}
    for row in rows:
        for rome_code in mapping.get(row["bmo_code"], ()):
            result[rome_code] = {
                "bmo_code": row["bmo_code"],
                "bmo_name": row["bmo_name"],
                "year": year,
                "projects": row["projects"],
                "difficult": row["difficult"],
            }
    return result
