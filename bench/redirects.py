"""Tracked-link redirects per second and p99, every visit durably recorded, next to nginx.

    .venv/bin/python bench/redirects.py [--buffer database|direct|redis] [--duration 15]

Starts, on this machine and in this run: gunicorn (config.wsgi, bench/bench_settings.py) on
127.0.0.1 with the visit buffer chosen, a flusher process moving visits from the buffer into the
Visit table meanwhile (as the Celery worker does in production), and nginx as a child process
with its own configuration in a temporary folder, answering a bare ``return 302 /evenements/;``.
wrk hits each for the same duration with the same connections. Then the buffer is flushed and
the stored visits are counted: every redirect wrk saw must be a stored visit.

Database: DATABASE_URL if set (PostgreSQL — use a throw-away database), else a fresh SQLite file
in a temporary folder. Writes bench/results/redirects.json. Needs nginx and wrk
(``apt-get install -y nginx wrk``; installed here when missing and apt-get is available).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.local_nginx import nginx_config, start_nginx, stop_processes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "redirects.json"
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
LINK_CODE = "bench22"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_tools() -> None:
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing and shutil.which("apt-get"):
        print(f"installing {' '.join(missing)}…", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx", "wrk"], check=True)
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (apt-get install -y nginx wrk)")


def wait_http(url: str, timeout: float = 30) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    deadline = time.monotonic() + timeout
    while True:
        try:
            opener.open(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # answered (302 surfaces as HTTPError without redirect handling)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout} s") from None
            time.sleep(0.2)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    output = subprocess.run(
        [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
            "--timeout", "10s", "-H", f"User-Agent: {BROWSER_UA}", url,
        ],
        check=True, capture_output=True, text=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": rps,
        "p99_ms": round(float(value) * _UNITS[unit], 3),
        "requests": requests,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


BARE_302 = """  server {{
    listen 127.0.0.1:{port};
    location / {{ return 302 /evenements/; }}
  }}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buffer", choices=["database", "direct", "redis"], default="database")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=min(4, max(2, os.cpu_count() or 2)))
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    args = parser.parse_args()
    ensure_tools()
    tmp = Path(tempfile.mkdtemp(prefix="vocations-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "BENCH_ANALYTICS_BUFFER": args.buffer,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if not env.get("DATABASE_URL"):
        env["VOCATIONS_VAR_DIR"] = str(tmp / "var")
    database = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    setup = (
        "import django; django.setup()\n"
        "from bench.fixtures import bench_link; print(bench_link())\n"
    )
    link_id = int(
        subprocess.run(
            [python, "-c", setup], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    django_port, nginx_port = free_port(), free_port()
    processes = []
    try:
        gunicorn = subprocess.Popen(
            [
                python, "-m", "gunicorn", "config.wsgi:application",
                f"--workers={args.workers}", "--worker-class=gthread", f"--threads={args.threads}",
                f"--bind=127.0.0.1:{django_port}", "--log-level=warning", "--backlog=2048",
                "--keep-alive=30",
            ],
            env=env, cwd=ROOT,
        )  # fmt: skip
        processes.append(gunicorn)
        flusher = subprocess.Popen(
            [*manage, "flush_visits", "--buffer", args.buffer, "--loop", "--batch-size", "2000"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        processes.append(flusher)
        config = nginx_config(tmp, workers=args.workers, http=BARE_302.format(port=nginx_port))
        processes.append(start_nginx(tmp, config))
        link_url = f"http://127.0.0.1:{django_port}/l/{LINK_CODE}?s=qr"
        wait_http(link_url)
        wait_http(f"http://127.0.0.1:{nginx_port}/")

        threads = min(2, args.connections)
        print(f"wrk → Django /l/{LINK_CODE} ({args.buffer} buffer, {database})…", flush=True)
        django_result = run_wrk(
            link_url, duration=args.duration, connections=args.connections, threads=threads
        )
        print("wrk → nginx bare 302…", flush=True)
        nginx_result = run_wrk(
            f"http://127.0.0.1:{nginx_port}/l/{LINK_CODE}?s=qr",
            duration=args.duration, connections=args.connections, threads=threads,
        )  # fmt: skip
    finally:
        stop_processes(processes)

    # Everything still buffered goes in now; then count.
    subprocess.run(
        [*manage, "flush_visits", "--buffer", args.buffer], env=env, check=True, cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    count = (
        "import django; django.setup()\n"
        "from bench.fixtures import counts; print(counts(" + str(link_id) + "))\n"
    )
    stored, left = map(
        int,
        subprocess.run(
            [python, "-c", count], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout.split()[-2:],
    )
    answered = django_result["requests"] - django_result["non_2xx_3xx"]
    # wrk counts the answers it received; a few more may have been answered as it stopped.
    ok = left == 0 and answered <= stored <= answered + args.connections * 2
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {
            "database": database,
            "buffer": args.buffer,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "nginx_workers": args.workers,
            "duration_s": args.duration,
            "connections": args.connections,
            "wrk_threads": threads,
        },
        "django_redirect": django_result,
        "nginx_bare_302": nginx_result,
        "ratio_django_to_nginx": round(
            django_result["requests_per_second"] / nginx_result["requests_per_second"], 4
        ),
        "visits": {"answered_by_wrk": answered, "stored": stored, "left_in_buffer": left},
        "every_visit_stored": ok,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        sys.exit("visits lost or miscounted: see visits in the result")


if __name__ == "__main__":
    main()
