"""Reads for the territories app: geography lookups and hiring-need totals."""

from __future__ import annotations

import re
from typing import TypedDict

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import (
    Commune,
    Department,
    DepartmentNeed,
    DepartmentPopulation,
    FamilyTension,
    HiringNeed,
    Region,
    RomeTension,
    TradeFamilyFigure,
)

_POSTAL_CODE_RE = re.compile(r"^\d{5}$")


class HiringNeedTotals(TypedDict):
    year: int | None
    projects: int
    difficult: int
    seasonal: int


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def departments_with_regions() -> QuerySet[Department]:
    """Départements by code, each with its région (one query)."""
    return Department.objects.select_related("region").order_by("code")


def communes_for_postal_code(code: str) -> QuerySet[Commune]:
    """Communes served by a postal code; anything but 5 digits gives an empty result."""
    code = (code or "").strip()
    if not _POSTAL_CODE_RE.match(code):
        return Commune.objects.none()
    return (
        Commune.objects.filter(postal_codes__code=code)
        .select_related("department", "region")
        .order_by("name", "insee_code")
        .distinct()
    )


def commune_by_insee(code: str) -> Commune | None:
    code = (code or "").strip().upper()
    return (
        Commune.objects.select_related("department", "region")
        .prefetch_related("postal_codes")
        .filter(insee_code=code)
        .first()
    )


def latest_hiring_need_year() -> int | None:
    return HiringNeed.objects.aggregate(year=Max("year"))["year"]


def _totals():
    # Masked counts ("*", stored as NULL) are small; totals ignore them.
    return {
        "projects": Coalesce(Sum("projects"), 0),
        "difficult": Coalesce(Sum("difficult"), 0),
        "seasonal": Coalesce(Sum("seasonal"), 0),
    }


def hiring_need_by_department(year: int | None = None) -> list[dict]:
    """Totals per département for ``year`` (default: the latest imported year).

    Each item: department_code, department_name, region_code, region_name, year,
    projects, difficult, seasonal; sorted by projects, largest first.
    """
    if year is None:
        year = latest_hiring_need_year()
        if year is None:
            return []
    rows = (
        HiringNeed.objects.filter(year=year)
        .values(
            department_code=F("department__code"),
            department_name=F("department__name"),
            region_code=F("department__region__code"),
            region_name=F("department__region__name"),
        )
        .annotate(**_totals())
        .order_by("-projects", "department_code")
    )
    return [{**row, "year": year} for row in rows]


def hiring_need_for_department(department_code: str, year: int | None = None) -> HiringNeedTotals:
    """Totals for one département; zeros (and year None) when nothing is imported."""
    needs = HiringNeed.objects.filter(department__code=department_code)
    if year is None:
        year = needs.aggregate(year=Max("year"))["year"]
        if year is None:
            return {"year": None, "projects": 0, "difficult": 0, "seasonal": 0}
    totals = needs.filter(year=year).aggregate(**_totals())
    return {"year": year, **totals}


def _masked():
    """Masked-count bookkeeping; must come before _totals(), whose names hide the columns."""
    return {
        "masked_areas": Count("pk", filter=Q(projects__isnull=True)),
        # Projects of the lines whose "difficult" count is published: the base of the share.
        "projects_with_difficult": Coalesce(Sum("projects", filter=Q(difficult__isnull=False)), 0),
    }


def difficult_share(need: dict) -> int | None:
    """Share (%) of projects judged difficult, over the lines where both counts are published."""
    base = need.get("projects_with_difficult") or 0
    return round(100 * need["difficult"] / base) if base else None


class TradeNeed(TypedDict):
    year: int | None
    # Survey lines (bassin × BMO trade) behind the figures, masked ones included.
    lines: int
    projects: int
    difficult: int
    seasonal: int
    # Bassins whose recruitment-project count is masked ("*"): the total is a floor.
    masked_areas: int
    projects_with_difficult: int


def trade_need(
    *, bmo_codes: list[str], department_code: str | None = None, year: int | None = None
) -> TradeNeed:
    """BMO figures of some BMO trades, in a département or nationally (one or two queries).

    Masked counts stay out of the sums; ``masked_areas`` says how many bassins hid theirs.
    """
    needs = HiringNeed.objects.filter(bmo_code__in=list(bmo_codes))
    if department_code:
        needs = needs.filter(department__code=department_code)
    if year is None:
        year = needs.aggregate(year=Max("year"))["year"]
        if year is None:
            return {
                "year": None,
                "lines": 0,
                "projects": 0,
                "difficult": 0,
                "seasonal": 0,
                "masked_areas": 0,
                "projects_with_difficult": 0,
            }
    # The masked count comes first: after _totals(), "projects" names the sum, not the column.
    totals = needs.filter(year=year).aggregate(lines=Count("pk"), **_masked(), **_totals())
    return {"year": year, **totals}


def department_surveyed(*, department_code: str, year: int) -> bool:
    """Whether the BMO survey of ``year`` has any line in the département (it leaves out
    Saint-Pierre-et-Miquelon, Saint-Barthélemy and the Pacific collectivities). One query."""
    return HiringNeed.objects.filter(department__code=department_code, year=year).exists()


def top_trades_for_department(
    *, department_code: str, bmo_codes: list[str], limit: int = 10, year: int | None = None
) -> list[dict]:
    """The BMO trades among ``bmo_codes`` with the most recruitment projects in a département.

    Each item: bmo_code, bmo_name, projects, difficult, masked_areas, year. Two queries.
    """
    needs = HiringNeed.objects.filter(
        bmo_code__in=list(bmo_codes), department__code=department_code
    )
    if year is None:
        year = needs.aggregate(year=Max("year"))["year"]
        if year is None:
            return []
    rows = (
        needs.filter(year=year)
        .values("bmo_code")
        .annotate(bmo_name=Max("bmo_name"), **_masked())
        .annotate(**_totals())
        .order_by("-projects", "bmo_code")[:limit]
    )
    return [{**row, "year": year} for row in rows if row["projects"] or row["masked_areas"]]


def industrial_need_by_department(*, bmo_codes: list[str], year: int | None = None) -> dict:
    """Département code -> {projects, difficult, masked_areas, projects_with_difficult,
    seasonal, year} for some BMO trades, for ``year`` (default: the latest year of these
    trades). One query over the per-département roll-up (DepartmentNeed), which holds the same
    sums as the bassin lines: every year's rows, the latest kept here (a few years at most)."""
    needs = DepartmentNeed.objects.filter(bmo_code__in=list(bmo_codes))
    if year is not None:
        needs = needs.filter(year=year)
    rows = list(
        needs.values("year", code=F("department__code"))
        .annotate(
            masked_areas=Sum("masked_areas"),
            projects_with_difficult=Sum("projects_with_difficult"),
            projects=Sum("projects"),
            difficult=Sum("difficult"),
            seasonal=Sum("seasonal"),
        )
        .order_by()
    )
    if not rows:
        return {}
    latest = max(row["year"] for row in rows)
    return {row.pop("code"): row for row in rows if row["year"] == latest}


def family_tensions(*, fap_codes: list[str], department_code: str | None) -> list[FamilyTension]:
    """DARES tension rows of some FAP 2009 trades: national ones, plus the département's."""
    scope = Q(department__isnull=True)
    if department_code:
        scope |= Q(department__code=department_code)
    return list(
        FamilyTension.objects.filter(scope, fap_code__in=list(fap_codes))
        .select_related("department")
        .order_by("fap_code", "department_id")
    )


def family_figures(fap_codes: list[str]) -> dict[str, TradeFamilyFigure]:
    return {f.fap_code: f for f in TradeFamilyFigure.objects.filter(fap_code__in=list(fap_codes))}


def rome_tension_in_department(*, rome_codes: list[str], department_code: str) -> list[dict]:
    """France Travail's tension per bassin of a département for some ROME trades (one query)."""
    return list(
        RomeTension.objects.filter(rome_code__in=list(rome_codes), department__code=department_code)
        .values("year", "rome_code", "area_name", "job_offers", "job_seekers", "tension")
        .order_by("-tension", "area_name")
    )


def population_by_department() -> dict[str, int]:
    """Département code -> inhabitants (INSEE legal population, sum of its communes, rolled up
    by the geography loader in DepartmentPopulation). One query.

    The shipped géographie has no age breakdown, so rates are per 10,000 inhabitants of all
    ages, not per young people aged 15–29.
    """
    return dict(DepartmentPopulation.objects.values_list("department__code", "population"))
