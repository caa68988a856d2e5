"""DuckDB's side of bench/territories.py: the raw rows exported from the Django database (SQLite
or PostgreSQL) into an in-memory DuckDB database, and every figure of the territory pages and
of the campaign dashboard computed again by scanning them (no roll-up, no cache)."""

from __future__ import annotations

import csv
from pathlib import Path

TABLES = {
    # DuckDB table: (SQL over the Django database, DuckDB column types)
    "visit": (
        "SELECT at, link_id, placement_id, wave_id, campaign_id, channel, is_bot, visitor_hash "
        "FROM analytics_visit",
        "visit_at VARCHAR, link_id BIGINT, placement_id BIGINT, wave_id BIGINT, "
        "campaign_id BIGINT, channel VARCHAR, is_bot BOOLEAN, visitor_hash VARCHAR",
    ),
    "registration": (
        "SELECT id, event_id, status, seats, attended, kind, audience FROM events_registration",
        "id BIGINT, event_id BIGINT, status VARCHAR, seats INTEGER, attended INTEGER, "
        "kind VARCHAR, audience VARCHAR",
    ),
    "attribution": (
        "SELECT registration_id, campaign_id, first_placement_id, first_link_id, first_channel, "
        "last_placement_id, last_link_id, last_channel FROM analytics_attribution",
        "registration_id BIGINT, campaign_id BIGINT, first_placement_id BIGINT, "
        "first_link_id BIGINT, first_channel VARCHAR, last_placement_id BIGINT, "
        "last_link_id BIGINT, last_channel VARCHAR",
    ),
    "event": (
        "SELECT id, department_id, is_published, capacity FROM events_event",
        "id BIGINT, department_id BIGINT, is_published BOOLEAN, capacity INTEGER",
    ),
    "label": ("SELECT event_id, state FROM events_label", "event_id BIGINT, state VARCHAR"),
    "placement": (
        "SELECT id, campaign_id, scope, department_id, region_id FROM campaigns_placement",
        "id BIGINT, campaign_id BIGINT, scope VARCHAR, department_id BIGINT, region_id BIGINT",
    ),
    "department": (
        "SELECT id, code, region_id FROM territories_department",
        "id BIGINT, code VARCHAR, region_id BIGINT",
    ),
    "commune": (
        "SELECT department_id, population FROM territories_commune",
        "department_id BIGINT, population BIGINT",
    ),
    "need": (
        "SELECT year, department_id, bmo_code, bmo_name, projects, difficult "
        "FROM territories_hiringneed",
        "year INTEGER, department_id BIGINT, bmo_code VARCHAR, bmo_name VARCHAR, "
        "projects BIGINT, difficult BIGINT",
    ),
    "ambassador": (
        "SELECT status, department_id FROM ambassadors_ambassador",
        "status VARCHAR, department_id BIGINT",
    ),
}


def export_raw_rows(connection, duck, directory: Path, industrial_codes: list[str]) -> dict:
    """Copy the raw rows into DuckDB through CSV files (DuckDB's SQLite/PostgreSQL scanners
    are extensions downloaded at run time; this machine has no network)."""
    counts = {}
    for table, (sql, types) in TABLES.items():
        path = directory / f"{table}.csv"
        with connection.cursor() as cursor, path.open("w", newline="") as out:
            cursor.execute(sql)
            writer = csv.writer(out)
            n = 0
            while rows := cursor.fetchmany(50_000):
                writer.writerows(rows)
                n += len(rows)
        columns = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in types.split(", "))
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=false, "  # noqa: S608
            f"columns={{{columns}}}, nullstr='', quote='\"')"
        )
        counts[table] = n
    duck.execute("CREATE TABLE industrial (bmo_code VARCHAR)")
    duck.executemany("INSERT INTO industrial VALUES (?)", [(c,) for c in industrial_codes])
    return counts


# Visits and distinct visitors per (local day, link), summed per placement/link/channel: the
# definition of the roll-up VisitDaily and of the campaign report (docs/reports.md).
CAMPAIGN_VISITS = """
WITH per_day AS (
  SELECT placement_id, link_id, channel,
         -- stored in UTC: SQLite text or PostgreSQL's "…+00:00"; seconds are enough for a day
         CAST(timezone('Europe/Paris',
                       CAST(substr(visit_at, 1, 19) AS TIMESTAMP) AT TIME ZONE 'UTC') AS DATE)
           AS day,
         count(*) AS v, count(DISTINCT visitor_hash) AS u
  FROM visit WHERE campaign_id = $campaign AND NOT is_bot
  GROUP BY ALL)
SELECT placement_id, link_id, channel, sum(v) AS visits, sum(u) AS unique_visitors
FROM per_day GROUP BY ALL
"""
CAMPAIGN_TOUCH = """
SELECT a.{t}_placement_id AS placement_id, a.{t}_link_id AS link_id, count(*) AS n,
       sum(r.seats) AS seats, sum(r.attended) AS present
FROM attribution a JOIN registration r ON r.id = a.registration_id
WHERE a.campaign_id = $campaign AND r.status <> 'cancelled'
GROUP BY ALL
"""
CAMPAIGN_AUDIENCE = """
SELECT r.kind, r.audience, count(*) AS n, sum(r.seats) AS seats, sum(r.attended) AS present
FROM attribution a JOIN registration r ON r.id = a.registration_id
WHERE a.campaign_id = $campaign AND r.status <> 'cancelled'
GROUP BY ALL
"""

# Every figure of a département row of the territory view (selectors_territories.TerritoryRow):
# need (latest BMO year, industrial trades, masked counts left out), population, labelled
# public events and their seats, placements aimed at it, active members, visits through its
# placements' links (no bots), confirmed registrations (seats) and people present.
DEPARTMENTS = """
WITH latest AS (
  SELECT max(year) AS year FROM need WHERE bmo_code IN (SELECT bmo_code FROM industrial)),
need_d AS (
  SELECT department_id, coalesce(sum(projects), 0) AS projects,
         coalesce(sum(difficult), 0) AS difficult,
         coalesce(sum(projects) FILTER (WHERE difficult IS NOT NULL), 0)
           AS projects_with_difficult,
         count(*) FILTER (WHERE projects IS NULL) AS masked_areas
  FROM need WHERE year = (SELECT year FROM latest)
                  AND bmo_code IN (SELECT bmo_code FROM industrial)
  GROUP BY ALL),
pop AS (SELECT department_id, sum(population) AS population FROM commune
        WHERE population IS NOT NULL GROUP BY ALL),
public AS (
  SELECT e.id, e.department_id, e.capacity FROM event e JOIN label l ON l.event_id = e.id
  WHERE e.is_published AND l.state = 'labelled' AND e.department_id IS NOT NULL),
events AS (SELECT department_id, count(*) AS events, coalesce(sum(capacity), 0) AS seats
           FROM public GROUP BY ALL),
regs AS (SELECT p.department_id, coalesce(sum(r.seats), 0) AS registrations,
                coalesce(sum(r.attended), 0) AS attendance
         FROM registration r JOIN public p ON p.id = r.event_id
         WHERE r.status = 'confirmed' GROUP BY ALL),
plc AS (SELECT department_id, count(*) AS n FROM placement
        WHERE department_id IS NOT NULL GROUP BY ALL),
vis AS (SELECT p.department_id, count(*) AS n
        FROM visit v JOIN placement p ON p.id = v.placement_id
        WHERE NOT v.is_bot AND p.department_id IS NOT NULL GROUP BY ALL),
mem AS (SELECT department_id, count(*) AS n FROM ambassador
        WHERE status = 'active' AND department_id IS NOT NULL GROUP BY ALL)
SELECT d.id AS department_id, d.region_id, pop.population,
       need_d.projects, need_d.difficult, need_d.projects_with_difficult,
       coalesce(need_d.masked_areas, 0) AS masked_areas,
       coalesce(events.events, 0) AS events, coalesce(events.seats, 0) AS seats,
       coalesce(plc.n, 0) AS placements, coalesce(mem.n, 0) AS members,
       coalesce(vis.n, 0) AS visits, coalesce(regs.registrations, 0) AS registrations,
       coalesce(regs.attendance, 0) AS attendance
FROM department d
LEFT JOIN need_d ON need_d.department_id = d.id LEFT JOIN pop ON pop.department_id = d.id
LEFT JOIN events ON events.department_id = d.id LEFT JOIN regs ON regs.department_id = d.id
LEFT JOIN plc ON plc.department_id = d.id LEFT JOIN vis ON vis.department_id = d.id
LEFT JOIN mem ON mem.department_id = d.id
"""
# Régions: their départements summed, plus placements and visits aimed at a whole région.
REGIONS = f"""
WITH d AS ({DEPARTMENTS}),
rp AS (SELECT region_id, count(*) AS n FROM placement
       WHERE scope = 'region' AND region_id IS NOT NULL GROUP BY ALL),
rv AS (SELECT p.region_id, count(*) AS n FROM visit v JOIN placement p ON p.id = v.placement_id
       WHERE NOT v.is_bot AND p.scope = 'region' AND p.region_id IS NOT NULL GROUP BY ALL)
SELECT d.region_id, sum(population) AS population, sum(projects) AS projects,
       sum(events) AS events, sum(seats) AS seats,
       sum(placements) + coalesce(any_value(rp.n), 0) AS placements,
       sum(members) AS members, sum(visits) + coalesce(any_value(rv.n), 0) AS visits,
       sum(registrations) AS registrations, sum(attendance) AS attendance
FROM d LEFT JOIN rp ON rp.region_id = d.region_id LEFT JOIN rv ON rv.region_id = d.region_id
GROUP BY d.region_id
"""  # noqa: S608 - constant SQL
TOP_TRADES = """
SELECT bmo_code, max(bmo_name) AS bmo_name, coalesce(sum(projects), 0) AS projects,
       coalesce(sum(difficult), 0) AS difficult,
       count(*) FILTER (WHERE projects IS NULL) AS masked_areas
FROM need
WHERE department_id = $department AND bmo_code IN (SELECT bmo_code FROM industrial)
  AND year = (SELECT max(year) FROM need WHERE department_id = $department
                AND bmo_code IN (SELECT bmo_code FROM industrial))
GROUP BY bmo_code ORDER BY projects DESC, bmo_code LIMIT 10
"""

DEPARTMENT_KEYS = (
    "population", "projects", "difficult", "projects_with_difficult", "masked_areas", "events",
    "seats", "placements", "members", "visits", "registrations", "attendance",
)  # fmt: skip
REGION_KEYS = (
    "population", "projects", "events", "seats", "placements", "members", "visits",
    "registrations", "attendance",
)  # fmt: skip


class Duck:
    """The figures of each page, computed by DuckDB from the raw rows."""

    def __init__(self, duck, *, campaign_id: int, department_id: int) -> None:
        self.duck = duck
        self.params = {"campaign": campaign_id}
        self.department = {"department": department_id}

    def _dicts(self, sql: str, params: dict | None = None) -> list[dict]:
        cursor = self.duck.execute(sql, params or {})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def departments(self) -> list[dict]:
        return self._dicts(DEPARTMENTS)

    def regions(self) -> list[dict]:
        return self._dicts(REGIONS)

    def department_page(self) -> tuple[list[dict], list[dict]]:
        return self.departments(), self._dicts(TOP_TRADES, self.department)

    def campaign(self) -> dict:
        return {
            "visits": self._dicts(CAMPAIGN_VISITS, self.params),
            "last": self._dicts(CAMPAIGN_TOUCH.format(t="last"), self.params),
            "first": self._dicts(CAMPAIGN_TOUCH.format(t="first"), self.params),
            "audience": self._dicts(CAMPAIGN_AUDIENCE, self.params),
        }
