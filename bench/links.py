"""Tracked links answered by nginx (njs + link map) next to nginx's bare 302, same run.

    .venv/bin/python bench/links.py [--duration 10] [--connections 64] [--rounds 3]

Starts, on this machine and in this run, one nginx (the project's own snippets,
deploy/nginx/tracked-links*.conf, and the files ``manage.py export_nginx_links`` writes) with
two servers: the tracked links, and a bare ``return 302 /evenements/;``. A gunicorn behind it
answers what nginx hands to Django (unknown codes). wrk hits each for the same time with the same
connections, alternately, ``--rounds`` times (the median is kept). Then a last run of the
tracked links during which an nginx worker is killed with SIGKILL; the visit log is ingested
(``manage.py flush_visits``) and the stored visits are counted: every redirect wrk received, in
every run, must be a stored visit.

Database: DATABASE_URL if set (a throw-away PostgreSQL database), else a fresh SQLite file.
Writes bench/results/links.json. Needs nginx with njs (libnginx-mod-http-js) and wrk.
``run(duration=…, connections=…, rounds=…) -> dict`` is what a harness calls.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.local_nginx import nginx_config, start_nginx, stop_processes  # noqa: E402
from bench.redirects import BARE_302, LINK_CODE, free_port, run_wrk, wait_http  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "links.json"
NJS_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_js_module.so",
    "/usr/lib64/nginx/modules/ngx_http_js_module.so",
)

HTTP = """  upstream vocations_app {{ server 127.0.0.1:{django_port}; keepalive 16; }}
{http_part}
  server {{
    listen 127.0.0.1:{links_port};
    proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host;
{server_part}
  }}
{bare}"""


def _nginx_conf(tmp: Path, files: Path, *, workers: int, ports: dict) -> str:
    snippets = ROOT / "deploy" / "nginx"
    http_part = (snippets / "tracked-links-http.conf").read_text()
    server_part = (snippets / "tracked-links.conf").read_text()
    http_part = http_part.replace("/srv/vocations/var/nginx", str(files))
    server_part = server_part.replace("/srv/vocations/var/nginx", str(files))
    module = next((p for p in NJS_MODULES if Path(p).exists()), None)
    if module is None:
        sys.exit("nginx's njs module is missing (apt-get install -y libnginx-mod-http-js)")
    user = "user root;\n" if os.geteuid() == 0 else ""
    http = HTTP.format(
        http_part=http_part,
        server_part=server_part,
        bare=BARE_302.format(port=ports["bare_port"]),
        **ports,
    )
    return nginx_config(
        tmp, workers=workers, http=http, main=f"{user}load_module {module};\n", errors="error"
    )


def _worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def run(*, duration: int = 10, connections: int = 64, rounds: int = 3, workers: int = 2) -> dict:
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"missing: {tool} (apt-get install -y nginx libnginx-mod-http-js wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="vocations-bench-links-"))
    files = tmp / "files"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "BENCH_ANALYTICS_BUFFER": "database",
        "ANALYTICS_NGINX_DIR": str(files),
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

    def django(code: str) -> str:
        script = f"import django; django.setup()\n{code}\n"
        return subprocess.run(
            [python, "-c", script], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    link_id = int(django("from bench.fixtures import bench_link; print(bench_link())"))
    # Visits of an earlier run on the same database are not this run's.
    before = int(django(f"from bench.fixtures import counts; print(counts({link_id}).split()[0])"))
    subprocess.run([*manage, "export_nginx_links", "--no-reload"], env=env, check=True, cwd=ROOT)

    ports = {"django_port": free_port(), "links_port": free_port(), "bare_port": free_port()}
    config = _nginx_conf(tmp, files, workers=workers, ports=ports)
    processes = []
    links_url = f"http://127.0.0.1:{ports['links_port']}/l/{LINK_CODE}?s=qr"
    bare_url = f"http://127.0.0.1:{ports['bare_port']}/l/{LINK_CODE}?s=qr"
    answered = 0
    results: dict[str, list] = {"links": [], "bare": []}
    try:
        # Only the fallback (unknown codes): DEBUG so that pages render without collectstatic.
        gunicorn = subprocess.Popen(
            [python, "-m", "gunicorn", "config.wsgi:application", "--workers=1",
             f"--bind=127.0.0.1:{ports['django_port']}", "--log-level=warning"],
            env={**env, "DEBUG": "1"}, cwd=ROOT,
        )  # fmt: skip
        processes.append(gunicorn)
        nginx = start_nginx(tmp, config)
        processes.append(nginx)
        wait_http(links_url)
        wait_http(bare_url)
        wait_http(f"http://127.0.0.1:{ports['django_port']}/l/inconnu")
        threads = min(2, connections)
        for _ in range(rounds):
            for name, url in (("bare", bare_url), ("links", links_url)):
                print(f"wrk → {name}…", flush=True)
                result = run_wrk(url, duration=duration, connections=connections, threads=threads)
                results[name].append(result)
                if name == "links":
                    answered += result["requests"] - result["non_2xx_3xx"]

        # SIGKILL an nginx worker in the middle of a run: what was answered must be on disk.
        def kill_a_worker() -> None:
            time.sleep(duration / 2)
            pids = _worker_pids(nginx.pid)
            if pids:
                os.kill(pids[0], signal.SIGKILL)

        killer = threading.Thread(target=kill_a_worker)
        killer.start()
        print("wrk → links, an nginx worker killed halfway…", flush=True)
        killed_run = run_wrk(links_url, duration=duration, connections=connections, threads=threads)
        killer.join()
        answered += killed_run["requests"] - killed_run["non_2xx_3xx"]
        print("unknown code through nginx → Django…", flush=True)
        unknown = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
             f"http://127.0.0.1:{ports['links_port']}/l/inconnu9"],
            capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        stop_processes(processes)

    started = time.monotonic()
    subprocess.run(
        [*manage, "flush_visits"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    ingest_seconds = time.monotonic() - started
    stored = int(django(f"from bench.fixtures import counts; print(counts({link_id}).split()[0])"))
    stored -= before
    log_bytes = sum(p.stat().st_size for p in (files / "log").glob("visits.log*"))

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    links_rps, bare_rps = (
        median("links", "requests_per_second"),
        median("bare", "requests_per_second"),
    )
    # wrk counts the answers it received; a few more may have been answered as it stopped.
    ok = answered <= stored <= answered + connections * 2 * (rounds + 1)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": os.getloadavg(),
        },
        "settings": {
            "database": database,
            "nginx_workers": workers,
            "duration_s": duration,
            "connections": connections,
            "rounds": rounds,
        },
        "nginx_tracked_links": {
            "requests_per_second_median": links_rps,
            "p99_ms_median": median("links", "p99_ms"),
            "runs": results["links"],
        },
        "nginx_bare_302": {
            "requests_per_second_median": bare_rps,
            "p99_ms_median": median("bare", "p99_ms"),
            "runs": results["bare"],
        },
        "ratio_links_to_bare_302": round(links_rps / bare_rps, 4),
        "goal_ratio": 0.25,
        "run_with_a_worker_killed": killed_run,
        "unknown_code_status_through_nginx": unknown,
        "visits": {
            "answered_by_wrk": answered,
            "stored": stored,
            "ingest_seconds": round(ingest_seconds, 2),
            "ingest_visits_per_second": round(stored / ingest_seconds) if ingest_seconds else None,
            "log_bytes_per_visit": round(log_bytes / stored, 1) if stored else None,
        },
        "every_visit_stored": ok,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=min(4, max(2, os.cpu_count() or 2)))
    args = parser.parse_args()
    result = run(
        duration=args.duration,
        connections=args.connections,
        rounds=args.rounds,
        workers=args.workers,
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not result["every_visit_stored"]:
        sys.exit("visits lost or miscounted: see visits in the result")


if __name__ == "__main__":
    main()
