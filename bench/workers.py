"""gunicorn sizing on this machine: sync workers vs threaded ones, same run, alternately.

    .venv/bin/python bench/workers.py     # with `make prod` running (its environment)

Starts two extra gunicorn servers with the stack's environment — WEB_WORKERS × WEB_THREADS of
2 × 1 (sync) and 4 × 4 (gthread) by default, `--configs 2x1,4x4,2x4` to change — and hits the
uncached event page of each with wrk, alternately, three rounds (the median). Writes
bench/results/workers.json; the default in docs/deployment.md comes from it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PROD_DIR, free_port, read_env, wait_ok  # noqa: E402
from bench.machine import Watch  # noqa: E402
from bench.stack import ROOT, Stack  # noqa: E402

PICK = """
from django.utils import timezone
from vocations.events.selectors import public_events
result = public_events().filter(starts_at__gt=timezone.now()).order_by("starts_at").first().slug
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="2x1,4x4")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = read_env()
    servers = {}
    try:
        for config in args.configs.split(","):
            workers, threads = config.split("x")
            port = free_port()
            servers[config] = (
                port,
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi", "-c",
                     "config/gunicorn.conf.py", "--workers", workers, "--threads", threads,
                     "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
                    cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                ),
            )  # fmt: skip
        for port, _ in servers.values():
            wait_ok(f"http://127.0.0.1:{port}/sante/")
        stack = Stack(env=env, nginx=env["SITE_URL"], app="", bare="", static_dir=Path(),
                      duration=args.duration, rounds=1)  # fmt: skip
        slug = stack.django(PICK)
        watch = Watch(PROD_DIR / "run").start()
        runs: dict[str, list] = {config: [] for config in servers}
        for _ in range(args.rounds):
            for config, (port, _) in servers.items():
                url = f"http://127.0.0.1:{port}/evenements/{slug}/"
                runs[config].append(stack.wrk(url, uncached=True))
        machine = watch.stop()
    finally:
        for _, process in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    result = {"machine": machine, "page": "event page, uncached", "configs": {}}
    for config, results in runs.items():
        ordered = sorted(results, key=lambda r: r["requests_per_second"])
        middle = ordered[len(ordered) // 2]
        result["configs"][config] = {
            "requests_per_second": middle["requests_per_second"],
            "p99_ms": middle["p99_ms"],
            "rounds": [r["requests_per_second"] for r in results],
            "errors": sum(r["non_2xx_3xx"] for r in results),
        }
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    path = ROOT / "bench" / "results" / "workers.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
