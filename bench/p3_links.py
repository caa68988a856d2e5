"""P3 tracked links beside nginx's bare 302, with the stored-visit count check.

Uses the tracked-links benchmark ``bench/links.py`` (links answered near nginx, issue 14) when
it is in the tree, else ``bench/redirects.py`` (links answered by Django): both start their own
nginx and gunicorn and measure the bare 302 in the same run; the harness reads their result."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

from .stack import ROOT, Stack, row

TITLE = "P3 tracked links (redirects/s)"


def run(stack: Stack) -> dict:
    try:
        links = importlib.import_module("bench.links")
    except ModuleNotFoundError:
        links = None
    if links is not None and hasattr(links, "run"):
        result = links.run(
            duration=stack.duration, connections=stack.connections, rounds=stack.rounds
        )
        value = result["nginx_tracked_links"]["requests_per_second_median"]
        reference = result["nginx_bare_302"]["requests_per_second_median"]
        measure = "tracked links (nginx + link map)"
    else:
        subprocess.run(
            [sys.executable, "bench/redirects.py", "--duration", str(stack.duration),
             "--connections", str(stack.connections), "--buffer", "database"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        result = json.loads((ROOT / "bench/results/redirects.json").read_text())
        value = result["django_redirect"]["requests_per_second"]
        reference = result["nginx_bare_302"]["requests_per_second"]
        measure = "tracked links (Django)"
    return {
        "rows": [row(measure, value, "req/s", "nginx bare 302", reference)],
        "checks": {"every answered visit stored": bool(result["every_visit_stored"])},
        "goals": {"≥ 0.25 of nginx's bare 302": value / reference >= 0.25},
        "raw": result,
    }
