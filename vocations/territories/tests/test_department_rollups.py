"""The per-département roll-ups the territory view reads hold the sums of the source rows,
masked counts included as such, and follow every loader that writes the source rows."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count, Q, Sum

from vocations.territories import selectors
from vocations.territories.models import (
    Commune,
    DepartmentNeed,
    DepartmentPopulation,
    HiringNeed,
)
from vocations.territories.services import import_hiring_needs

from .conftest import DATA_DIR


def _live_need() -> dict:
    rows = (
        HiringNeed.objects.values("year", "department_id", "bmo_code")
        .annotate(
            # Aliases other than the column names: an aggregate may not read another.
            n=Count("pk"),
            masked=Count("pk", filter=Q(projects__isnull=True)),
            with_difficult=Sum("projects", filter=Q(difficult__isnull=False)),
            p=Sum("projects"),
            d=Sum("difficult"),
            s=Sum("seasonal"),
        )
        .order_by()
    )
    return {
        (r["year"], r["department_id"], r["bmo_code"]): (
            r["n"], r["p"] or 0, r["d"] or 0, r["s"] or 0, r["masked"], r["with_difficult"] or 0,
        )
        for r in rows
    }  # fmt: skip


def _rolled_need() -> dict:
    return {
        (n.year, n.department_id, n.bmo_code): (
            n.lines, n.projects, n.difficult, n.seasonal, n.masked_areas,
            n.projects_with_difficult,
        )
        for n in DepartmentNeed.objects.all()
    }  # fmt: skip


def _import(text: str) -> None:
    result = import_hiring_needs(
        file=io.BytesIO(text.encode("utf-8")), filename="bmo.csv", valid_lines_only=True
    )
    assert result.written


@pytest.mark.django_db
def test_rollups_equal_the_source_rows_after_each_loader(mini_geography):
    population = dict(
        Commune.objects.filter(population__isnull=False)
        .values_list("department_id")
        .annotate(n=Sum("population"))
    )
    assert population
    assert dict(DepartmentPopulation.objects.values_list("department_id", "population")) == (
        population
    )

    extract = (DATA_DIR / "bmo_2024_extract.csv").read_text(encoding="utf-8")
    _import(extract)
    assert HiringNeed.objects.filter(projects__isnull=True).exists()  # masked lines are there
    assert _rolled_need() == _live_need() != {}

    # A corrected file: every published count changes, the roll-up follows.
    header, *lines = extract.splitlines()
    changed = [
        ";".join(
            c if i < 11 or c == "*" else str(int(c) + 7) for i, c in enumerate(line.split(";"))
        )
        for line in lines
    ]
    _import("\n".join([header, *changed]) + "\n")
    assert _rolled_need() == _live_need()
    code = HiringNeed.objects.filter(projects__isnull=False).values_list(
        "department__code", flat=True
    )[0]
    codes = list(HiringNeed.objects.values_list("bmo_code", flat=True).distinct())
    need = selectors.industrial_need_by_department(bmo_codes=codes)[code]
    live = HiringNeed.objects.filter(department__code=code, year=need["year"]).aggregate(
        projects=Sum("projects"), difficult=Sum("difficult")
    )
    assert (need["projects"], need["difficult"]) == (live["projects"], live["difficult"] or 0)
