"""P4 the campaign dashboard and territory pages on the large demo, beside DuckDB scanning the
raw rows (bench/territories.py, on the large demo's own SQLite file built by
`make bench-territories`)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from .stack import ROOT, Stack, row

TITLE = "P4 campaign dashboard on the large demo vs DuckDB (p50)"
DATABASE = ROOT / "var" / "bench-territories.sqlite3"


def large_demo_built() -> bool:
    """The file exists and the demo command finished (it marks the data set at the end)."""
    if not DATABASE.exists():
        return False
    try:
        with sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True) as connection:
            return bool(
                connection.execute(
                    "SELECT 1 FROM core_referencedataset WHERE name = 'demo:large'"
                ).fetchone()
            )
    except sqlite3.Error:
        return False


def run(stack: Stack) -> dict:
    if not large_demo_built():
        return {"absent": "no large demo: run `make bench-territories` once (10-15 min)"}
    output = ROOT / "bench" / "results" / "territories-harness.json"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}", "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "bench/territories.py", "--runs", "3" if stack.quick else "15",
         "--output", str(output)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    result = json.loads(output.read_text())
    pages = result["pages"]
    rows = [
        row(f"{label} page", pages[name]["django"]["p50_ms"], "ms",
            f"DuckDB {label} figures on raw rows", pages[name]["duckdb"]["p50_ms"])
        for name, label in (("campaign_dashboard", "campaign dashboard"),
                            ("territory_map", "territory map"))
    ]  # fmt: skip
    return {
        "rows": rows,
        "checks": {"same figures as DuckDB": bool(result["same_figures"]["all_equal"])},
        "raw": result,
    }
