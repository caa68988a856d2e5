"""Reads for the territories app: geography lookups and hiring-need totals."""

from __future__ import annotations

import re
from typing import TypedDict

from django.db.models import F, Max, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import Commune, Department, HiringNeed, Region

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
            department_code=F("employment_area__department__code"),
            department_name=F("employment_area__department__name"),
            region_code=F("employment_area__department__region__code"),
            region_name=F("employment_area__department__region__name"),
        )
        .annotate(**_totals())
        .order_by("-projects", "department_code")
    )
    return [{**row, "year": year} for row in rows]


def hiring_need_for_department(department_code: str, year: int | None = None) -> HiringNeedTotals:
    """Totals for one département; zeros (and year None) when nothing is imported."""
    needs = HiringNeed.objects.filter(employment_area__department__code=department_code)
    if year is None:
        year = needs.aggregate(year=Max("year"))["year"]
        if year is None:
            return {"year": None, "projects": 0, "difficult": 0, "seasonal": 0}
    totals = needs.filter(year=year).aggregate(**_totals())
    return {"year": year, **totals}
