"""Time the campaign report (waves → channels → placements, channels, territories, days) on the
current database — run it after `manage.py demo_data --scale large` (~3 million visits).

    .venv/bin/python bench/reports.py [--runs 5]

Times the report functions (vocations/analytics/reports.py) and the back-office screen
through Django's test client as the demo staff account, and writes bench/results/reports.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "reports.json"


def _timed(func, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "first_ms": round(times[0], 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from vocations.accounts.models import User
    from vocations.analytics.models import Attribution, Visit, VisitDaily, VisitHourly
    from vocations.analytics.report_details import daily_series
    from vocations.analytics.reports import (
        audience_report,
        campaign_report,
        channel_totals,
        territory_report,
    )
    from vocations.campaigns.models import Campaign

    campaign = (
        Campaign.objects.annotate(n=Count("placements")).filter(n__gt=0).order_by("-n").first()
    )
    if campaign is None:
        sys.exit("no campaign with placements: run `manage.py demo_data --scale large` first")
    visits = Visit.objects.count()

    def full_report():
        report = campaign_report(campaign=campaign)
        channel_totals(report)
        territory_report(report, level="department")
        audience_report(campaign=campaign)
        return report

    report = full_report()
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": connection.vendor,
        "data": {
            "campaign": campaign.name,
            "placements": len(report.atoms),
            "visits_raw": visits,
            "visit_hourly_rows": VisitHourly.objects.count(),
            "visit_daily_rows": VisitDaily.objects.count(),
            "attributions": Attribution.objects.count(),
            "report_total_visits": report.total.visits,
        },
        "wave_channel_report": _timed(full_report, args.runs),
        "daily_series_29_days": _timed(
            lambda: daily_series(campaign=campaign, center=timezone.localdate()), args.runs
        ),
    }
    staff = User.objects.filter(email=getattr(settings, "DEMO_STAFF_EMAIL", "")).first()
    if staff is not None:
        client = Client()
        client.force_login(staff)
        url = f"/organisateur/resultats/{campaign.pk}/"

        def screen():
            assert client.get(url).status_code == 200

        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            screen()
        result["report_screen"] = {**_timed(screen, args.runs), "queries": len(queries)}
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
