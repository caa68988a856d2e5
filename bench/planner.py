"""The next-wave planner's cost on a demo database: reading the measured history, fitting the
curves (with the bootstrap), optimising; memory peak. Not a test.

    make bench-planner                          # the dev database, then the large demo if built
    DATABASE_URL=… .venv/bin/python bench/planner.py [--draws 200] [--label demo]

Reported beside a reference measured in the same run on the same machine: a plain
``numpy.linalg.lstsq`` over a design matrix of the same size (days × channels × parameters),
repeated as many times as the fit solves least-squares problems (1 + draws per channel, plus
the backtest's) — the floor of "a least-squares fit of this size", so the ratio says what the
non-linear fit and the bootstrap cost on top. Figures go to bench/results/planner.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "planner.json"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=50)
    parser.add_argument("--label", default="demo")
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np

    from vocations.campaigns.demo import SLUG
    from vocations.campaigns.models import Campaign, Wave
    from vocations.planner.models import Plan
    from vocations.planner.planning import make_plan
    from vocations.planner.runner import gather_inputs

    campaign = Campaign.objects.filter(slug=SLUG).first()
    if campaign is None:
        sys.exit("Pas de campagne de démonstration : lancez d'abord manage.py demo_data.")
    wave = Wave.objects.filter(campaign=campaign).order_by("-number").first()
    # An unsaved plan: the benchmark writes nothing.
    plan = Plan(campaign=campaign, wave=wave, name="bench", budget_cents=3_500_000_00,
                fixed_costs_cents=100_000_00, starts_on=wave.starts_on, ends_on=wave.ends_on,
                inputs={"draws": args.draws})  # fmt: skip

    start = time.perf_counter()
    inputs = gather_inputs(plan)
    read_s = time.perf_counter() - start
    tracemalloc.start()
    start = time.perf_counter()
    result = make_plan(inputs)
    plan_s = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    days = sum(s.days for s in inputs.history.values())
    channels = len(inputs.history)
    solves = channels * (1 + args.draws) + channels * (1 + max(args.draws // 4, 20))
    rng = np.random.default_rng(0)
    design = rng.random((days // max(channels, 1), 3))
    target = rng.random(days // max(channels, 1))
    start = time.perf_counter()
    for _ in range(solves):
        np.linalg.lstsq(design, target, rcond=None)
    reference_s = time.perf_counter() - start

    figures = {
        "label": args.label,
        "database": os.environ.get("DATABASE_URL", "default"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "channels": channels,
        "measured_days": days,
        "draws": args.draws,
        "read_history_s": round(read_s, 3),
        "fit_optimize_backtest_s": round(plan_s, 3),
        "memory_peak_mib": round(peak / 2**20, 1),
        "reference_lstsq_same_size_s": round(reference_s, 4),
        "ratio_plan_to_reference": round(plan_s / reference_s, 1) if reference_s else None,
        "expected_registrations": round(result["plan"]["registrations"]),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[args.label] = figures
    RESULTS.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
