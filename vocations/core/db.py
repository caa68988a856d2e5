"""Database helpers shared by every app (no domain knowledge here)."""

from __future__ import annotations

from django.db import connection, models


def refresh_planner_statistics(*model_classes: type[models.Model]) -> None:
    """ANALYZE the tables a bulk load has just filled.

    PostgreSQL plans a query from table statistics that autovacuum refreshes later, on its own
    schedule: right after ~35,000 communes arrive, a look-up by postal code can be planned as if
    the tables were empty (nested sequential scans, minutes instead of milliseconds).
    """
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
