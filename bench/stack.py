"""What a benchmark part gets from the harness (bench/harness.py): the running production stack
of `make prod` and the tools to measure it side by side.

The plugin interface (docs/benchmarks.md): a module ``bench/p<N>_<name>.py`` defines

    TITLE = "P1 public pages"          # the heading of its table
    def run(stack: Stack) -> dict:     # the part's figures

and returns ``{"rows": [row, …], "checks": {name: bool, …}, "notes": [str, …], …}`` where each
row is ``{"measure": str, "value": float, "unit": str, "reference": str, "reference_value":
float, "ratio": float}``: every figure beside the reference measured in the same run (never a
lone time). ``checks`` are facts the run must hold (no visit lost, no 5xx…): one false check
fails the harness. Anything else in the dict is kept in latest.json as is.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
# Each request gets its own query string: past every cache (nginx's and Django's).
UNCACHED_LUA = """
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. (string.find(wrk.path, "?") and "&" or "?") .. "nc=" .. n)
end
"""


def ratio(value: float, reference: float) -> float:
    return round(value / reference, 4) if reference else 0.0


def row(measure: str, value: float, unit: str, reference: str, reference_value: float) -> dict:
    return {
        "measure": measure,
        "value": round(value, 1),
        "unit": unit,
        "reference": reference,
        "reference_value": round(reference_value, 1),
        "ratio": ratio(value, reference_value),
    }


@dataclass
class Stack:
    """The stack started by deploy/local/prod.py, and the measuring tools."""

    env: dict[str, str]
    nginx: str  # http://127.0.0.1:8180
    app: str  # gunicorn, straight
    bare: str  # a gunicorn with the same settings serving bench/bare_urls.py too
    static_dir: Path  # served by the stack's nginx under /static/
    quick: bool = False
    duration: int = 8
    rounds: int = 3
    connections: int = 64
    extra: dict = field(default_factory=dict)

    def wrk(self, url: str, *, uncached: bool = False, duration: int | None = None) -> dict:
        """wrk, ``rounds`` times: the median requests/s, its p50/p99, errors summed."""
        results = [self._wrk_once(url, uncached, duration) for _ in range(self.rounds)]
        best = sorted(results, key=lambda r: r["requests_per_second"])[len(results) // 2]
        return {
            **best,
            "rounds": [r["requests_per_second"] for r in results],
            "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in results),
            "requests_total": sum(r["requests"] for r in results),
        }

    def _wrk_once(self, url: str, uncached: bool, duration: int | None) -> dict:
        seconds = duration or self.duration
        command = [
            "wrk", "-t2", f"-c{self.connections}", f"-d{seconds}s", "--latency",
            "--timeout", "10s", "-H", f"User-Agent: {BROWSER_UA}",
        ]  # fmt: skip
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(UNCACHED_LUA)
        if uncached:
            command += ["-s", script.name]
        try:
            output = subprocess.run(
                [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 60
            ).stdout
        finally:
            os.unlink(script.name)
        return parse_wrk(output)

    def django(self, code: str) -> object:
        """Run ``code`` (setting ``result``) in the project with the stack's environment."""
        script = (
            "import json, django\ndjango.setup()\n"
            + code
            + "\nprint('RESULT=' + json.dumps(result))"
        )
        output = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **self.env,
                 "PYTHONPATH": str(ROOT), "LOG_LEVEL": "ERROR"},
        ).stdout  # fmt: skip
        line = next(x for x in output.splitlines() if x.startswith("RESULT="))
        return json.loads(line[len("RESULT=") :])

    def get(self, url: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)

    def latencies(self, urls: list[str]) -> dict:
        """One request at a time: p50/p95 in ms."""
        times = []
        for url in urls:
            started = time.perf_counter()
            self.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 2),
            "requests": len(times),
        }


def parse_wrk(output: str) -> dict:
    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output).groups()
        return round(float(value) * _UNITS[unit], 3)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50%"),
        "p99_ms": latency("99%"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sockets.group(1) if sockets else "",
    }
