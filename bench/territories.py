"""The territory view and the campaign dashboard on the large demo, beside DuckDB scanning the
raw rows for the same figures, in one run (issue 10, "Performance"). Not a test.

    make bench-territories        # builds var/bench-territories.sqlite3 once (large demo), then:
    DATABASE_URL=… .venv/bin/python bench/territories.py [--runs 15]

1. Django: each page is requested once to warm up, then ``--runs`` times through Django's test
   client as the demo staff account (page cache cleared before each request); the selectors
   behind the pages (the roll-up reads) are also timed alone.
2. DuckDB: the raw rows (every visit, registration, attribution, event, label, placement) are
   exported from the same database into an in-memory DuckDB database (export time reported
   apart), then the same figures are computed by scanning them: visits and distinct visitors
   per day and link, attributions per touch, events, seats, registrations and attendance per
   département. Each DuckDB result is checked equal to what the pages show.
3. Ratios DuckDB p50 / Django p50 (> 1: the roll-ups are faster) are written with the figures
   to bench/results/territories.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "territories.json"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
        "runs": len(ordered),
    }


def timed(func, runs: int, before=None) -> dict:
    func()  # warm up
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return stats(times)


# --- export of the raw rows -------------------------------------------------------------------

TABLES = {
    # DuckDB table: (SQL over the Django database, DuckDB column types)
    "visit": (
        "SELECT at, link_id, placement_id, wave_id, campaign_id, channel, is_bot, visitor_hash "
        "FROM analytics_visit",
        "visit_at VARCHAR, link_id BIGINT, placement_id BIGINT, wave_id BIGINT, "
        "campaign_id BIGINT, channel VARCHAR, is_bot BOOLEAN, visitor_hash VARCHAR",
    ),
    "registration": (
        "SELECT id, event_id, status, seats, attended FROM events_registration",
        "id BIGINT, event_id BIGINT, status VARCHAR, seats INTEGER, attended INTEGER",
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
}


def export_raw_rows(connection, duck, directory: Path) -> dict:
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
            f"columns={{{columns}}}, nullstr='')"
        )
        counts[table] = n
    return counts


# --- the same figures in DuckDB ---------------------------------------------------------------

# Visits and distinct visitors per (local day, link), summed per placement/link/channel: the
# definition of the roll-up VisitDaily and of the campaign report (docs/reports.md).
DUCK_CAMPAIGN_VISITS = """
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
DUCK_CAMPAIGN_TOUCH = """
SELECT a.{t}_placement_id AS placement_id, a.{t}_link_id AS link_id, count(*) AS n,
       sum(r.seats) AS seats, sum(r.attended) AS present
FROM attribution a JOIN registration r ON r.id = a.registration_id
WHERE a.campaign_id = $campaign AND r.status <> 'cancelled'
GROUP BY ALL
"""
DUCK_TERRITORY_VISITS = """
SELECT p.department_id, count(*) AS n
FROM visit v JOIN placement p ON p.id = v.placement_id
WHERE NOT v.is_bot AND p.department_id IS NOT NULL
GROUP BY ALL
"""
DUCK_TERRITORY_ACTIVITY = """
WITH public AS (
  SELECT e.id, e.department_id, e.capacity FROM event e JOIN label l ON l.event_id = e.id
  WHERE e.is_published AND l.state = 'labelled' AND e.department_id IS NOT NULL),
events AS (SELECT department_id, count(*) AS events, coalesce(sum(capacity), 0) AS seats
           FROM public GROUP BY ALL),
regs AS (SELECT p.department_id, coalesce(sum(r.seats), 0) AS registrations,
                coalesce(sum(r.attended), 0) AS attendance
         FROM registration r JOIN public p ON p.id = r.event_id
         WHERE r.status = 'confirmed' GROUP BY ALL)
SELECT coalesce(e.department_id, r.department_id) AS department_id, coalesce(events, 0),
       coalesce(seats, 0), coalesce(registrations, 0), coalesce(attendance, 0)
FROM events e FULL JOIN regs r ON r.department_id = e.department_id
"""


ACTIVITY_KEYS = ("events", "seats", "registrations", "attendance")


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    import django

    django.setup()
    import duckdb
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from vocations.accounts.models import User
    from vocations.analytics.models import Attribution, Visit, VisitDaily
    from vocations.analytics.reports import campaign_report
    from vocations.backoffice import selectors_territories as territories
    from vocations.campaigns.models import Campaign
    from vocations.events.models import Registration
    from vocations.events.selectors import activity_by_department

    campaign = (
        Campaign.objects.annotate(n=Count("placements")).filter(n__gt=0).order_by("-n").first()
    )
    staff = User.objects.filter(email=getattr(settings, "DEMO_STAFF_EMAIL", "")).first()
    if campaign is None or staff is None:
        sys.exit("no demo campaign or staff account: run `make bench-territories` (large demo)")
    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": connection.vendor,
        "duckdb": duckdb.__version__,
        "data": {
            "visits_raw": Visit.objects.count(),
            "visit_daily_rows": VisitDaily.objects.count(),
            "registrations": Registration.objects.count(),
            "attributions": Attribution.objects.count(),
            "campaign": campaign.name,
        },
    }
    print(json.dumps(result, indent=2, ensure_ascii=False), flush=True)

    # 1. Django pages and the roll-up reads behind them.
    client = Client()
    client.force_login(staff)
    pages = {
        "territory_map": "/organisateur/territoires/",
        "territory_map_visits_per_10000": "/organisateur/territoires/?mesure=visits&pour=10000",
        "territory_map_members": "/organisateur/territoires/?mesure=members",
        "territory_regions": "/organisateur/territoires/?niveau=region&mesure=registrations",
        "territory_department_69": "/organisateur/territoires/69/",
        "territory_underserved": "/organisateur/territoires/sous-dotes/",
        "campaign_dashboard": f"/organisateur/resultats/{campaign.pk}/",
        "campaign_dashboard_regions": f"/organisateur/resultats/{campaign.pk}/?territoire=region",
        "campaign_day_by_day": f"/organisateur/resultats/{campaign.pk}/jour-par-jour/",
    }
    django_pages = {}
    for name, url in pages.items():

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        django_pages[name] = {"url": url, **timed(get, args.runs, before=cache.clear)}
        print(name, django_pages[name], flush=True)
    access = territories.TerritoryAccess(everything=True)
    django_reads = {
        "territory_rows": timed(lambda: territories.department_rows(access), args.runs),
        # Only what DuckDB recomputes below (the rows also read BMO need and population).
        "territory_results": timed(
            lambda: (territories._visits_by_department(), activity_by_department()), args.runs
        ),
        "campaign_report": timed(lambda: campaign_report(campaign=campaign), args.runs),
    }
    print(django_reads, flush=True)

    # 2. DuckDB over the raw rows of the same database.
    duck = duckdb.connect()
    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        exported = export_raw_rows(connection, duck, Path(directory))
        export_s = round(time.perf_counter() - start, 1)
    params = {"campaign": campaign.pk}

    def duck_campaign():
        visits = duck.execute(DUCK_CAMPAIGN_VISITS, params).fetchall()
        last = duck.execute(DUCK_CAMPAIGN_TOUCH.format(t="last"), params).fetchall()
        first = duck.execute(DUCK_CAMPAIGN_TOUCH.format(t="first"), params).fetchall()
        return visits, last, first

    def duck_territory():
        visits = duck.execute(DUCK_TERRITORY_VISITS).fetchall()
        activity = duck.execute(DUCK_TERRITORY_ACTIVITY).fetchall()
        return visits, activity

    duck_times = {
        "campaign_figures": timed(duck_campaign, args.runs),
        "territory_figures": timed(duck_territory, args.runs),
    }
    print(duck_times, flush=True)

    # 3. The same figures? (totals and per-département values)
    report = campaign_report(campaign=campaign)
    visits, last, first = duck_campaign()
    duck_visits = sum(int(r[3]) for r in visits)
    duck_unique = sum(int(r[4]) for r in visits)
    duck_regs = sum(int(r[2]) for r in last)
    t_visits, t_activity = duck_territory()
    django_visits = territories._visits_by_department()
    django_activity = activity_by_department()
    checks = {
        "campaign_visits": [report.total.visits, duck_visits],
        "campaign_unique_visitors": [report.total.unique_visitors, duck_unique],
        "campaign_last_touch_registrations": [report.total.registrations, duck_regs],
        "territory_visits_by_department_equal": {d: int(n) for d, n in t_visits}
        == {d: n for d, n in django_visits.items() if n},
        "territory_activity_by_department_equal": {
            r[0]: {
                "events": int(r[1]),
                "seats": int(r[2]),
                "registrations": int(r[3]),
                "attendance": int(r[4]),
            }
            for r in t_activity
        }
        == {
            department: {k: entry.get(k, 0) for k in ACTIVITY_KEYS}
            for department, entry in django_activity.items()
        },
    }
    checks["all_equal"] = all(v[0] == v[1] if isinstance(v, list) else v for v in checks.values())

    p50 = {name: page["p50_ms"] for name, page in django_pages.items()}
    territory_pages = max(p for n, p in p50.items() if n.startswith("territory"))
    ratios = {
        "duckdb_territory_figures_over_territory_results_read": round(
            duck_times["territory_figures"]["p50_ms"] / django_reads["territory_results"]["p50_ms"],
            2,
        ),
        "duckdb_territory_figures_over_slowest_territory_page": round(
            duck_times["territory_figures"]["p50_ms"] / territory_pages, 2
        ),
        "duckdb_campaign_figures_over_campaign_report_read": round(
            duck_times["campaign_figures"]["p50_ms"] / django_reads["campaign_report"]["p50_ms"],
            2,
        ),
        "duckdb_campaign_figures_over_campaign_dashboard_page": round(
            duck_times["campaign_figures"]["p50_ms"] / p50["campaign_dashboard"], 2
        ),
    }
    result |= {
        "django_pages": django_pages,
        "django_rollup_reads": django_reads,
        "duckdb_raw_scans": {**duck_times, "export_seconds": export_s, "rows": exported},
        "same_figures": checks,
        "ratios_p50": ratios,
        "p95_under_300_ms": all(page["p95_ms"] < 300 for page in django_pages.values()),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
