"""`make bench`: one harness, one run, every figure beside its reference.

    .venv/bin/python bench/harness.py          # BENCH_QUICK=1 for a short run (~5 min)

Starts the production stack (deploy/local/prod.py, as `make prod`; reused when already up),
then a second gunicorn with the same workers serving a bare view too (bench/prod_settings.py),
and runs each part ``bench/p<N>_<name>.py`` in order (the plugin interface: bench/stack.py and
docs/benchmarks.md). Writes ``bench/results/latest.json`` and ``bench/results/latest.md``.

Refuses to report when the machine was busy with something else (bench/machine.py: load
average before, other processes' CPU and steal during): latest.json then says why and the
table is not written; BENCH_ALLOW_BUSY=1 writes it anyway, headed "machine busy".
Stops what it started. Needs wrk and nginx (installed with apt-get when missing, as root).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import Watch  # noqa: E402
from bench.stack import ROOT, Stack  # noqa: E402

PROD = ROOT / "deploy" / "local" / "prod.py"
PROD_DIR = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod"))
RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parts() -> list:
    """The parts, in file-name order: bench/p1_….py, bench/p2_….py, …"""
    names = sorted(p.stem for p in (ROOT / "bench").glob("p[0-9]*_*.py"))
    only = os.environ.get("BENCH_ONLY", "")
    if only:
        names = [n for n in names if n.split("_")[0] in only.split(",")]
    return [importlib.import_module(f"bench.{name}") for name in names]


def ensure_wrk() -> None:
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    if not shutil.which("wrk"):
        sys.exit("wrk introuvable (apt-get install -y wrk)")


def stack_running() -> bool:
    return (
        subprocess.run([sys.executable, str(PROD), "status"], capture_output=True).returncode == 0
    )


def read_env() -> dict[str, str]:
    lines = (PROD_DIR / "env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def wait_ok(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def table(report: dict) -> str:
    machine = report["machine"]
    lines = [
        f"# Benchmark — {report['measured_at']}",
        "",
        f"{machine['cpus']} CPUs, Python {report['python']}; "
        f"gunicorn {report['settings']['web_workers']} workers × "
        f"{report['settings']['web_threads']} threads; wrk {report['settings']['connections']} "
        f"connections, {report['settings']['duration_s']} s × {report['settings']['rounds']} "
        f"(median){' — QUICK' if report['settings']['quick'] else ''}.",
        f"Machine: load {machine['load_per_cpu_before']} per CPU before, "
        f"{machine['foreign_cpu_share_during']:.0%} CPU to other processes during, "
        f"{machine['steal_share_during']:.0%} steal"
        + (f" — **MACHINE BUSY: {'; '.join(machine['reasons'])}**" if machine["busy"] else "."),
        "",
    ]
    for part in report["parts"]:
        lines += [f"## {part['title']}", ""]
        if "absent" in part["result"]:
            lines += [f"Not measured: {part['result']['absent']}.", ""]
            continue
        if "error" in part["result"]:
            lines += [f"**Failed**: {part['result']['error']}", ""]
            continue
        lines += [
            "| measure | value | reference | reference value | ratio |",
            "|---|---:|---|---:|---:|",
        ]
        for r in part["result"].get("rows", []):
            lines.append(
                f"| {r['measure']} | {r['value']:,} {r['unit']} | {r['reference']} | "
                f"{r['reference_value']:,} {r['unit']} | {r['ratio']} |"
            )
        for kind in ("checks", "goals"):
            for name, ok in part["result"].get(kind, {}).items():
                lines.append(f"\n- {kind[:-1]}: {name}: {'yes' if ok else '**no**'}")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:  # noqa: PLR0915 - one linear run
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    ensure_wrk()
    started_here = False
    if not stack_running():
        log("starting the production stack (make prod)")
        subprocess.run([sys.executable, str(PROD), "start"], check=True)
        started_here = True
    env = read_env()
    workers = os.environ.get("WEB_WORKERS", "2")
    threads = os.environ.get("WEB_THREADS", "1")
    bare_port = free_port()
    bare = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py",
         "--workers", workers, "--threads", threads, "--bind", f"127.0.0.1:{bare_port}",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.prod_settings",
                       "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    report: dict = {"parts": []}
    failed = False
    try:
        wait_ok(f"http://127.0.0.1:{bare_port}/banc/nu/")
        app_port = os.environ.get("PROD_APP_PORT", "8181")
        stack = Stack(
            env=env,
            nginx=env["SITE_URL"],
            app=f"http://127.0.0.1:{app_port}",
            bare=f"http://127.0.0.1:{bare_port}",
            static_dir=Path(env["STATIC_ROOT"]),
            quick=quick,
            duration=3 if quick else 8,
            rounds=1 if quick else 3,
        )
        report["settings"] = {
            "quick": quick, "web_workers": workers, "web_threads": threads,
            "duration_s": stack.duration, "rounds": stack.rounds,
            "connections": stack.connections,
        }  # fmt: skip
        watch = Watch(PROD_DIR / "run").start()
        for module in parts():
            title = getattr(module, "TITLE", module.__name__)
            log(title)
            started = time.monotonic()
            try:
                result = module.run(stack)
            except Exception as error:  # a broken part is reported, the others still run
                traceback.print_exc()
                result = {"error": f"{type(error).__name__}: {error}"}
                failed = True
            if not all(result.get("checks", {}).values()):
                failed = True
            report["parts"].append(
                {"module": module.__name__, "title": title, "result": result,
                 "seconds": round(time.monotonic() - started, 1)}
            )  # fmt: skip
        report["machine"] = watch.stop()
    finally:
        bare.send_signal(signal.SIGTERM)
        bare.wait(timeout=30)
        if started_here:
            subprocess.run([sys.executable, str(PROD), "stop"], check=False)
    report["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    report["python"] = platform.python_version()
    busy = report["machine"]["busy"]
    allowed = os.environ.get("BENCH_ALLOW_BUSY", "") not in ("", "0")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if busy and not allowed:
        refusal = {"refused": report["machine"]["reasons"], "machine": report["machine"]}
        (RESULTS / "latest.json").write_text(json.dumps(refusal, indent=2) + "\n")
        (RESULTS / "latest.md").unlink(missing_ok=True)
        sys.exit(f"machine busy, no report: {'; '.join(report['machine']['reasons'])}")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "latest.md").write_text(table(report))
    print(table(report))
    if failed:
        sys.exit("a check failed or a part broke: see latest.json")


if __name__ == "__main__":
    main()
