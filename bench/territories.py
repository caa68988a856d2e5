"""The territory view and the campaign dashboard on the large demo, beside DuckDB scanning the
raw rows for the same figures, in one run (issue 10, "Performance"). Not a test.

    make bench-territories        # builds var/bench-territories.sqlite3 once (large demo), then:
    DATABASE_URL=… .venv/bin/python bench/territories.py [--runs 15]

Runs on SQLite or PostgreSQL (whatever DATABASE_URL names; ``BENCH_TERRITORIES_DB`` in the
Makefile).

1. DuckDB: the raw rows (every visit, registration, attribution, event, label, placement,
   département, commune, BMO line, ambassador) are exported from the same database into an
   in-memory DuckDB database (export time reported apart); bench/territories_duck.py computes
   every figure each page shows by scanning them. Each DuckDB result is checked equal to what
   the pages show, before anything is timed.
2. Then ``--runs`` rounds, interleaved so that both sides meet the same machine load: in each
   round, each page through Django's test client as the demo staff account (page cache
   cleared before each request), then DuckDB computing that page's figures. The selectors
   behind the pages are also timed alone.
3. p50/p95 of both, ratios DuckDB / Django (> 1: the page is faster than DuckDB's scan), and
   the machine's load (load average, CPU used by other processes during the run) are written
   to bench/results/territories.json.
"""

from __future__ import annotations

import argparse
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

from bench.territories_duck import (  # noqa: E402 - after the path is set
    DEPARTMENT_KEYS,
    REGION_KEYS,
    Duck,
    export_raw_rows,
)


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


def _int(value) -> int | None:
    return None if value is None else int(value)


def same_figures(duck, report, audiences, access, territories) -> dict:
    """DuckDB's figures against the pages' selectors: every département and région value, the
    top trades of the département page, the campaign totals per touch and per audience."""
    from vocations.analytics.reports import GROUP_AUDIENCE_LABEL

    departments = {r.pk: r for r in territories.department_rows(access)}
    duck_departments = {d["department_id"]: d for d in duck.departments()}
    mismatched = []
    for pk, row in departments.items():
        d = duck_departments.get(pk, {})
        for key in DEPARTMENT_KEYS:
            ours = (
                row.population
                if key == "population"
                else (row.masked_areas if key == "masked_areas" else row.values.get(key))
            )
            if _int(ours) != _int(d.get(key)):
                mismatched.append((row.code, key, ours, d.get(key)))
    regions = {r.pk: r for r in territories.region_rows(access)}
    for d in duck.regions():
        row = regions.get(d["region_id"])
        for key in REGION_KEYS:
            ours = (
                None
                if row is None
                else (row.population if key == "population" else row.values.get(key))
            )
            if _int(ours or 0) != _int(d.get(key) or 0):
                mismatched.append((f"région {d['region_id']}", key, ours, d.get(key)))
    code = next(r.code for r in departments.values() if r.pk == duck.department["department"])
    top = territories.department_detail(access, code)["top_trades"]
    _, duck_top = duck.department_page()
    duck_top = [t for t in duck_top if t["projects"] or t["masked_areas"]]
    campaign = duck.campaign()
    groups = {}
    for a in campaign["audience"]:
        key = "group" if a["kind"] == "group" else (a["audience"] or "")
        groups[key] = groups.get(key, 0) + int(a["n"])
    ours_groups = {
        ("group" if row.label == GROUP_AUDIENCE_LABEL else row.key): row.figures.registrations
        for row in audiences
    }
    checks = {
        "territory_departments_every_value_equal": not mismatched,
        "territory_top_trades_equal": [(t["bmo_code"], t["projects"]) for t in top]
        == [(t["bmo_code"], int(t["projects"])) for t in duck_top],
        "campaign_visits": [report.total.visits, sum(int(r["visits"]) for r in campaign["visits"])],
        "campaign_unique_visitors": [
            report.total.unique_visitors,
            sum(int(r["unique_visitors"]) for r in campaign["visits"]),
        ],
        "campaign_last_touch_registrations": [
            report.total.registrations,
            sum(int(r["n"]) for r in campaign["last"]),
        ],
        "campaign_first_touch_registrations": [
            report.total.first_registrations,
            sum(int(r["n"]) for r in campaign["first"]),
        ],
        "campaign_audiences_equal": ours_groups == groups,
    }
    checks["all_equal"] = all(v[0] == v[1] if isinstance(v, list) else v for v in checks.values())
    if mismatched:
        checks["first_mismatches"] = [list(map(str, m)) for m in mismatched[:10]]
    return checks


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
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

    from bench.machine import Watch
    from vocations.accounts.models import User
    from vocations.analytics.models import Attribution, Visit, VisitDaily
    from vocations.analytics.reports import audience_report, campaign_report
    from vocations.backoffice import selectors_territories as territories
    from vocations.campaigns.models import Campaign
    from vocations.events.models import Event, Registration
    from vocations.territories.models import Department

    campaign = (
        Campaign.objects.annotate(n=Count("placements")).filter(n__gt=0).order_by("-n").first()
    )
    staff = User.objects.filter(email=getattr(settings, "DEMO_STAFF_EMAIL", "")).first()
    if campaign is None or staff is None:
        sys.exit("no demo campaign or staff account: run `make bench-territories` (large demo)")
    department = Department.objects.get(code="69")
    result: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1_5_15_before": [round(x, 2) for x in os.getloadavg()],
        },
        "database": connection.vendor,
        "duckdb": duckdb.__version__,
        "data": {
            "visits_raw": Visit.objects.count(),
            "visit_daily_rows": VisitDaily.objects.count(),
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
            "attributions": Attribution.objects.count(),
            "campaign": campaign.name,
        },
    }
    print(json.dumps(result, indent=2, ensure_ascii=False), flush=True)
    access = territories.TerritoryAccess(everything=True)
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility maps after the bulk loads of the demo, as autovacuum
        # would leave them on a live database (timed apart, not counted).
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        result["vacuum_analyze_seconds"] = round(time.perf_counter() - start, 1)

    # 1. The raw rows into DuckDB, and the same figures on both sides.
    duck_db = duckdb.connect()
    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        exported = export_raw_rows(
            connection, duck_db, Path(directory), territories.scoped_bmo_codes(access)
        )
        export_s = round(time.perf_counter() - start, 1)
    duck = Duck(duck_db, campaign_id=campaign.pk, department_id=department.pk)
    checks = same_figures(
        duck, campaign_report(campaign=campaign), audience_report(campaign=campaign), access,
        territories,
    )  # fmt: skip
    print(json.dumps(checks, indent=2, ensure_ascii=False), flush=True)

    # 2. Pages and DuckDB, interleaved round by round.
    client = Client()
    client.force_login(staff)
    pages = {
        # name: (URL, the DuckDB computation of the same figures)
        "territory_map": ("/organisateur/territoires/", duck.departments),
        "territory_map_visits_per_10000": (
            "/organisateur/territoires/?mesure=visits&pour=10000",
            duck.departments,
        ),
        "territory_map_members": ("/organisateur/territoires/?mesure=members", duck.departments),
        "territory_regions": (
            "/organisateur/territoires/?niveau=region&mesure=registrations",
            duck.regions,
        ),
        "territory_department_69": ("/organisateur/territoires/69/", duck.department_page),
        "territory_underserved": ("/organisateur/territoires/sous-dotes/", duck.departments),
        "campaign_dashboard": (f"/organisateur/resultats/{campaign.pk}/", duck.campaign),
        "campaign_dashboard_regions": (
            f"/organisateur/resultats/{campaign.pk}/?territoire=region",
            duck.campaign,
        ),
    }

    def page(url):
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    django_times = {name: [] for name in pages}
    duck_times = {name: [] for name in pages}
    for url, compute in pages.values():  # warm up both sides
        page(url)
        compute()
    watch = Watch(ROOT / "var" / "no-pid-files").start()
    for _ in range(args.runs):
        for name, (url, compute) in pages.items():
            start = time.perf_counter()
            page(url)
            django_times[name].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            compute()
            duck_times[name].append((time.perf_counter() - start) * 1000)
    machine = watch.stop()
    django_reads = {
        "territory_department_rows": timed(lambda: territories.department_rows(access), args.runs),
        "territory_region_rows": timed(lambda: territories.region_rows(access), args.runs),
        "campaign_report": timed(lambda: campaign_report(campaign=campaign), args.runs),
        "audience_report": timed(lambda: audience_report(campaign=campaign), args.runs),
    }

    compared = {}
    for name, (url, compute) in pages.items():
        ours, theirs = stats(django_times[name]), stats(duck_times[name])
        compared[name] = {
            "url": url,
            "duckdb_computes": compute.__name__,
            "django": ours,
            "duckdb": theirs,
            "ratio_p50_duckdb_over_django": round(theirs["p50_ms"] / ours["p50_ms"], 2),
            "ratio_p95_duckdb_over_django": round(theirs["p95_ms"] / ours["p95_ms"], 2),
        }
        print(name, json.dumps(compared[name], ensure_ascii=False), flush=True)
    result["machine"] |= {
        "during_run": {
            k: machine[k] for k in ("foreign_cpu_share_during", "steal_share_during", "seconds")
        },
        "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
        "note": "CPU of the database server counts as foreign on PostgreSQL",
    }
    result |= {
        "pages": compared,
        "django_reads": django_reads,
        "duckdb_export": {"seconds": export_s, "rows": exported},
        "same_figures": checks,
        "p95_under_300_ms": all(c["django"]["p95_ms"] < 300 for c in compared.values()),
        "faster_than_duckdb_p95": all(
            c["ratio_p95_duckdb_over_django"] > 1 for c in compared.values()
        ),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("machine", "p95_under_300_ms")}, indent=2))


if __name__ == "__main__":
    main()
