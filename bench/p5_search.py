"""Search: the trade search and the finder's text search, one request at a time, uncached
(a new query string each), p50/p95 beside the bare Django view's in the same run."""

from __future__ import annotations

from urllib.parse import quote

from .stack import Stack, row

TITLE = "Search latency (ms)"
WORDS = (
    "soudeur", "chaudronnier", "maintenance", "usinage", "electricien", "robot", "qualite",
    "logistique", "chimie", "conducteur de ligne", "technicien", "mecanique",
)  # fmt: skip


def run(stack: Stack) -> dict:
    count = 1 if stack.quick else 4
    bare = stack.latencies([f"{stack.bare}/banc/nu/?nc={i}" for i in range(len(WORDS) * count)])
    rows, raw = [], {"bare_django_view": bare}
    for name, path in (("trade search", "/metiers/?q="), ("finder text", "/evenements/?q=")):
        urls = [f"{stack.app}{path}{quote(w)}&nc={i}" for i in range(count) for w in WORDS]
        figures = stack.latencies(urls)
        raw[name] = figures
        for stat in ("p50_ms", "p95_ms"):
            rows.append(
                row(f"{name} {stat[:3]}", figures[stat], "ms", f"bare Django view {stat[:3]}",
                    bare[stat])
            )  # fmt: skip
    return {"rows": rows, "raw": raw}
