"""Per-département roll-ups of the reference data (the territory view reads them).

Reference data changes only when a loader runs, so each loader rebuilds these rows whole at
the end of its transaction: two ``INSERT … SELECT`` over the source tables (a second or two),
instead of summing 35,000 communes and 53,000 BMO lines on every page view.
"""

from __future__ import annotations

from django.db import connection

from ..models import Commune, DepartmentNeed, DepartmentPopulation, HiringNeed


def rebuild_department_rollups() -> None:
    need = DepartmentNeed._meta.db_table
    population = DepartmentPopulation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {need}")  # noqa: S608 - table names from the models
        cursor.execute(
            f"INSERT INTO {need} (year, department_id, bmo_code, lines, projects, difficult, "  # noqa: S608
            "seasonal, masked_areas, projects_with_difficult) "
            "SELECT year, department_id, bmo_code, COUNT(*), COALESCE(SUM(projects), 0), "
            "COALESCE(SUM(difficult), 0), COALESCE(SUM(seasonal), 0), "
            "SUM(CASE WHEN projects IS NULL THEN 1 ELSE 0 END), "
            "COALESCE(SUM(CASE WHEN difficult IS NOT NULL THEN projects END), 0) "
            f"FROM {HiringNeed._meta.db_table} GROUP BY year, department_id, bmo_code"
        )
        cursor.execute(f"DELETE FROM {population}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {population} (department_id, population) "  # noqa: S608
            f"SELECT department_id, SUM(population) FROM {Commune._meta.db_table} "
            "WHERE population IS NOT NULL GROUP BY department_id"
        )
