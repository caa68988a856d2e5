"""The visit pipeline under a TV spike: 2,000 visits/s for a minute, how far behind the reports are.

    .venv/bin/python bench/pipeline.py [--rate 2000] [--duration 60]

Starts a private redis-server (the production buffer), then in this run: a producer writing
``--rate`` visits per second for ``--duration`` seconds either as nginx's visit log lines
(``--source log``, the default: what tracked links answered by nginx write,
deploy/nginx/tracked-links-http.conf) or to the Redis buffer (``--source redis``: what the
Django view pushes), and the flusher (``manage.py flush_visits --loop``,
as the analytics Celery worker runs it: incremental roll-ups, batches of ``--batch-size``).
Every second the roll-ups are read (the visits the reports show) and compared with what was
pushed: the lag is how old the newest visit already pushed but not yet in the roll-ups is. At
the end every pushed visit must be in the roll-ups.

Database: DATABASE_URL (PostgreSQL; use a throw-away database), else a fresh SQLite file.
Writes bench/results/pipeline.json. ``run(rate=…, duration=…) -> dict`` for a harness.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.redirects import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pipeline.json"


def _redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return proc, f"redis://127.0.0.1:{port}/0"


def run(
    *, rate: int = 2000, duration: int = 60, batch_size: int = 2000, source: str = "log"
) -> dict:
    if not shutil.which("redis-server"):
        sys.exit("missing: redis-server (apt-get install -y redis-server)")
    tmp = Path(tempfile.mkdtemp(prefix="vocations-bench-pipeline-"))
    redis_proc, redis_url = _redis(tmp)
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "ANALYTICS_BUFFER": "redis",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if not env.get("DATABASE_URL"):
        env["VOCATIONS_VAR_DIR"] = str(tmp / "var")
    log_file = tmp / "nginx" / "log" / "visits.log"
    if source == "log":
        log_file.parent.mkdir(parents=True)
        env["ANALYTICS_NGINX_DIR"] = str(tmp / "nginx")
    os.environ.update({k: env[k] for k in ("REDIS_URL", "ANALYTICS_BUFFER", "DEBUG", "SECRET_KEY",
                                            "ALLOWED_HOSTS", "LOG_LEVEL")})  # fmt: skip
    if "VOCATIONS_VAR_DIR" in env:
        os.environ["VOCATIONS_VAR_DIR"] = env["VOCATIONS_VAR_DIR"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from bench.fixtures import bench_link
    from vocations.analytics.models import VisitHourly
    from vocations.analytics.privacy import new_visit_key
    from vocations.analytics.services.buffer import RedisBuffer
    from vocations.campaigns.models import TrackedLink

    link = TrackedLink.objects.select_related("placement").get(pk=bench_link())

    def rolled() -> int:
        value = VisitHourly.objects.filter(link_id=link.pk).aggregate(n=Sum("visits"))["n"]
        connection.close()  # a fresh snapshot each time
        return value or 0

    before = rolled()
    buffer = RedisBuffer(url=redis_url)
    pushed_at: list[tuple[float, int]] = []  # (monotonic time, visits pushed so far)
    pushed = 0

    entry = "|".join(
        str(v) for v in (link.pk, link.placement_id, link.placement.wave_id, link.campaign_id,
                         link.placement.channel, "/evenements/?")
    )  # fmt: skip

    def log_line(i: int) -> str:
        """One visit as nginx's access log writes it (v2), a third of visitors coming back."""
        return (
            f"v2\t{secrets.token_hex(16)}\t{time.time():.3f}\t{entry}\t{('qr', 'click')[i % 2]}"
            f"\t{('mobile', 'desktop', 'tablet')[i % 3]}\t0"
            f"\t{(i * 2654435761) % max(1, rate * duration * 2 // 3):016x}\tnone\n"
        )

    def produce() -> None:
        nonlocal pushed
        started = time.monotonic()
        tick = 0.1
        for step in range(int(duration / tick)):
            target = int(rate * tick * (step + 1))
            now = dt.datetime.now(dt.UTC).isoformat()
            if source == "log":
                with log_file.open("a") as log:
                    log.write("".join(log_line(i) for i in range(pushed, target)))
                pushed = target
                pushed_at.append((time.monotonic(), pushed))
                delay = started + tick * (step + 1) - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                continue
            pipe = buffer.redis.pipeline(transaction=False)
            for i in range(pushed, target):
                payload = {
                    "visit_key": new_visit_key(), "at": now, "landing_path": "/evenements/",
                    "source": "qr", "link_id": link.pk, "placement_id": link.placement_id,
                    "wave_id": link.placement.wave_id, "campaign_id": link.campaign_id,
                    "channel": link.placement.channel, "referrer": "none",
                    "device": ("mobile", "desktop", "tablet")[i % 3], "is_bot": False,
                    # About one visitor in three comes back within the minute.
                    "visitor_hash": f"{(i * 2654435761) % max(1, rate * duration * 2 // 3):016x}",
                }  # fmt: skip
                pipe.rpush(buffer.QUEUE, json.dumps(payload, separators=(",", ":")))
            pipe.execute()
            pushed = target
            pushed_at.append((time.monotonic(), pushed))
            delay = started + tick * (step + 1) - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    flusher = subprocess.Popen(
        [*manage, "flush_visits", "--loop", "--buffer", "redis", "--batch-size", str(batch_size)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    samples = []
    try:
        producer = threading.Thread(target=produce)
        t0 = time.monotonic()
        producer.start()
        deadline = t0 + duration + 300
        while time.monotonic() < deadline:
            time.sleep(1)
            done = rolled() - before
            now = time.monotonic()
            # Lag: age of the oldest pushed visit not yet rolled up (0 when all are).
            waiting = [t for t, n in pushed_at if n > done]
            lag = now - waiting[0] + 0.1 if waiting else 0.0
            samples.append({"t": round(now - t0, 1), "pushed": pushed, "rolled": done,
                            "lag_s": round(lag, 1)})  # fmt: skip
            if not producer.is_alive() and done >= pushed:
                break
            if flusher.poll() is not None:
                break  # the flusher died: reported as visits not rolled up
        producer.join()
    finally:
        flusher.terminate()
        flusher.wait(30)
        redis_proc.terminate()
        redis_proc.wait(10)
    final = rolled() - before
    max_lag = max(s["lag_s"] for s in samples)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_end": os.getloadavg(),
        },
        "settings": {
            "database": connection.vendor,
            "rate_per_second": rate,
            "duration_s": duration,
            "batch_size": batch_size,
            "source": source,
        },
        "pushed": pushed,
        "rolled_up": final,
        "every_visit_rolled_up": final == pushed,
        "max_lag_s": max_lag,
        "caught_up_after_s": samples[-1]["t"] if final == pushed else None,
        "goal_max_lag_s": 60,
        "absorbed_within_goal": final == pushed and max_lag <= 60,
        "samples": samples,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--source", choices=["log", "redis"], default="log")
    args = parser.parse_args()
    result = run(
        rate=args.rate, duration=args.duration, batch_size=args.batch_size, source=args.source
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
