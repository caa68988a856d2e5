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


def update_rows(
    model: type[models.Model], fields: list[str], rows: list[tuple], *, batch_size: int = 1000
) -> None:
    """Set ``fields`` of many rows at once: ``rows`` are ``(pk, value, …)`` tuples.

    One ``UPDATE … FROM`` a list of values per batch, joined on the primary key: Django's
    ``bulk_update`` builds a ``CASE`` of one branch per row and field, which PostgreSQL
    evaluates row by row (minutes for the 100,000 rows of the large demo).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk
    model_fields = [model._meta.get_field(name) for name in fields]
    columns = [pk, *model_fields]
    names = ", ".join(connection.ops.quote_name(f"v_{f.column}") for f in columns)
    # PostgreSQL types a VALUES list from its text parameters; SQLite's CAST to "datetime"
    # would turn a date into a number (affinity), and SQLite needs no type.
    if connection.vendor == "postgresql":
        casts = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in columns)
    else:
        casts = ", ".join(["%s"] * len(columns))
    sets = ", ".join(
        f"{connection.ops.quote_name(f.column)} = v.{connection.ops.quote_name(f'v_{f.column}')}"
        for f in model_fields
    )
    key = connection.ops.quote_name(f"v_{pk.column}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            values = ", ".join([f"({casts})"] * len(batch))
            params = [
                field.get_db_prep_value(value, connection)
                for row in batch
                for field, value in zip(columns, row, strict=True)
            ]
            cursor.execute(
                f"WITH v({names}) AS (VALUES {values}) "  # noqa: S608 - names from the model
                f"UPDATE {table} SET {sets} FROM v "
                f"WHERE {table}.{connection.ops.quote_name(pk.column)} = v.{key}",
                params,
            )
