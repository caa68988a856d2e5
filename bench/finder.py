"""Event finder, feed and API response times on the current database (not a test).

    make demo-large   # 30,000 events, then:
    .venv/bin/python bench/finder.py [--runs 15]

Each URL is requested once to warm up, then ``--runs`` times through Django's test client
(no network, no page cache: the finder is not page-cached). Reports p50/p95/max in ms per URL
and, as the reference measured in the same run, the same figures for /robots.txt (a trivial
view): the ratio says how much the finder costs over Django's own request handling.
Writes bench/results/finder.json.
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
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from vocations.events.models import Event  # noqa: E402

URLS = [
    "/evenements/",
    "/evenements/?region=84",
    "/evenements/?departement=69&type=company_visit",
    "/evenements/?code_postal=69002&rayon=30",
    "/evenements/?code_postal=29200&rayon=100&public=young_people",
    "/evenements/?places=1&page=5",
    "/evenements/?vue=carte",
    "/evenements/?vue=calendrier",
    "/evenements/?q=portes",
    "/api/v1/events/?limit=100",
    "/api/v1/events/?code_postal=69002&rayon=50",
    "/evenements.ics?departement=69",
]
REFERENCE = "/robots.txt"


def measure(client: Client, url: str, runs: int) -> dict:
    client.get(url)
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    client = Client()
    reference = measure(client, REFERENCE, args.runs)
    results = {}
    for url in URLS:
        figures = measure(client, url, args.runs)
        figures["ratio_p50_to_reference"] = round(figures["p50_ms"] / reference["p50_ms"], 1)
        results[url] = figures
        print(f"{figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} {figures['max_ms']:8.1f}  {url}")
    out = {
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "database": connection.vendor,
        "events": Event.objects.count(),
        "runs": args.runs,
        "reference": {REFERENCE: reference},
        "urls": results,
        "slowest_p95_ms": max(r["p95_ms"] for r in results.values()),
    }
    target = ROOT / "bench" / "results" / "finder.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"reference {REFERENCE}: p50 {reference['p50_ms']} ms; written {target}")


if __name__ == "__main__":
    main()
