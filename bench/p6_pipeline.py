"""P6 the visit pipeline under a TV spike: 2,000 visits/s written as nginx's visit log lines, the
reports (roll-ups) at most a minute behind (issue 14, point 5).

Runs bench/pipeline.py in its own process on the stack's PostgreSQL (a private Redis of its own,
the flusher as the analytics worker runs it), for a minute (BENCH_QUICK: 15 s), and reads its
result. The reference is the spike itself: the rate folded in against the rate pushed."""

from __future__ import annotations

import json
import subprocess
import sys

from .stack import ROOT, Stack, row

TITLE = "P6 visit pipeline, a spike of 2,000 visits/s (roll-ups behind by, s)"
RATE = 2000


def run(stack: Stack) -> dict:
    duration = 15 if stack.quick else 60
    subprocess.run(
        [sys.executable, "bench/pipeline.py", "--rate", str(RATE), "--duration", str(duration)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": stack.env["DATABASE_URL"],
             "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    result = json.loads((ROOT / "bench" / "results" / "pipeline.json").read_text())
    caught = result["caught_up_after_s"] or 0.0
    folded = result["rolled_up"] / caught if caught else 0.0
    return {
        "rows": [
            row(
                "visits folded into the roll-ups per second",
                folded,
                "visits/s",
                "visits pushed per second",
                RATE,
            ),
            row("largest lag of the roll-ups", result["max_lag_s"], "s", "goal", 60),
        ],  # fmt: skip
        "checks": {"every pushed visit rolled up": result["every_visit_rolled_up"]},
        "goals": {"spike absorbed with the reports ≤ 60 s behind": result["absorbed_within_goal"]},
        "raw": {k: v for k, v in result.items() if k != "samples"},
    }
