"""The next-wave planner's cost on a demo database: reading the measured history, fitting the
curves (grid posterior, per-territory levels), optimising, the backtest; memory peak; and the
backtest's error. Not a test.

    make bench-planner                          # the dev database, then the large demo if built
    DATABASE_URL=… .venv/bin/python bench/planner.py [--draws 400] [--label demo]

Reported beside a reference measured in the same run on the same machine: a plain NumPy
least-squares fit (``numpy.linalg.lstsq``) of each channel's daily registrations on its
spend, its adstocked spend and a constant — a linear fit of the same data, the floor of "a
fit of this size" — once per channel for the plan and once per channel for the backtest. The
ratio says what the non-linear curves, their intervals and the optimizer cost on top.
The fitted-curve cache is not used (a first plan on this history). Figures go to
bench/results/planner.json.
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
    parser.add_argument("--draws", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3, help="plans timed (the median is kept)")
    parser.add_argument("--label", default="demo")
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np

    from vocations.campaigns.demo import SLUG
    from vocations.campaigns.models import Campaign, Wave
    from vocations.planner.model import adstock
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
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = make_plan(inputs)
        times.append(time.perf_counter() - start)
    plan_s = float(np.median(times))
    tracemalloc.start()
    make_plan(inputs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    days = sum(s.days for s in inputs.history.values())
    channels = len(inputs.history)
    designs = []
    for series in inputs.history.values():
        spend = np.concatenate(series.spend)
        stock = np.concatenate([adstock(s, 0.5) for s in series.spend])
        designs.append(
            (
                np.column_stack([spend, stock, np.ones_like(spend)]),
                np.concatenate(series.registrations),
            )
        )
    references = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for design, target in designs + designs:  # the plan's fits, then the backtest's
            np.linalg.lstsq(design, target, rcond=None)
        references.append(time.perf_counter() - start)
    reference_s = float(np.median(references))
    backtest = result.get("backtest") or {}
    errors = {
        channel: {
            "predicted": round(row["predicted"]),
            "interval": [round(row["low"]), round(row["high"])],
            "measured": round(row["measured"]),
            "relative_error": round(row["relative"], 3) if row["relative"] is not None else None,
            "inside": row["inside"],
        }
        for channel, row in backtest.items()
    }
    relative = [abs(r["relative"]) for r in backtest.values() if r["relative"] is not None]
    inside = sum(r["inside"] for r in backtest.values())

    figures = {
        "label": args.label,
        "database": os.environ.get("DATABASE_URL", "default"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "channels": channels,
        "measured_days": days,
        "draws": args.draws,
        "read_history_s": round(read_s, 3),
        "fit_optimize_backtest_s": round(plan_s, 3),
        "repeat": args.repeat,
        "memory_peak_mib": round(peak / 2**20, 1),
        "reference_numpy_lstsq_per_channel_s": round(reference_s, 5),
        "ratio_plan_to_reference": round(plan_s / reference_s, 1) if reference_s else None,
        "expected_registrations": round(result["plan"]["registrations"]),
        "territory_levels": len(result["territories"].get("levels", {})),
        "backtest_mean_abs_relative_error": round(float(np.mean(relative)), 3)
        if relative
        else None,
        "backtest_inside_interval": f"{inside}/{len(backtest)}",
        "backtest": errors,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[args.label] = figures
    RESULTS.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
