"""No visit lost, none duplicated: flushers killed mid-batch or running side by side (PostgreSQL).

The "database" buffer backend (the one CI can run: no Redis there). A flusher subprocess
processes batches slowly (``--pause-in-batch``: it sleeps between a batch's INSERT and its
commit), is SIGKILLed in the middle of a batch, and another one finishes the job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from vocations.analytics.models import Visit, VisitBuffer
from vocations.analytics.services import build_visit
from vocations.analytics.tests.support import request

pytestmark = pytest.mark.postgres

BASE_DIR = Path(__file__).resolve().parents[2]
N = 600
BATCH = 50


def _database_url() -> str:
    db = settings.DATABASES["default"]  # the test database pytest-django created
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _flusher(*extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "flush_visits",
            "--buffer",
            "database",
            "--batch-size",
            str(BATCH),
            *extra,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def _push(n: int) -> set[str]:
    req = request("/")
    payloads = [build_visit(req, landing_path="/") for _ in range(n)]
    VisitBuffer.objects.bulk_create([VisitBuffer(payload=p) for p in payloads])
    return {p["visit_key"] for p in payloads}


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _finish() -> None:
    # Until the buffer is empty: PostgreSQL may need a moment to roll the killed
    # transaction back, and its locked rows are skipped meanwhile.
    for _ in range(40):
        if not VisitBuffer.objects.exists():
            return
        assert _flusher("--reclaim-after", "0").wait(120) == 0
        time.sleep(0.2)
    raise AssertionError(f"{VisitBuffer.objects.count()} items left in the buffer")


def _assert_exactly(keys: set[str]) -> None:
    stored = list(Visit.objects.values_list("visit_key", flat=True))
    assert len(stored) == len(keys), "visits lost or duplicated"
    assert set(stored) == keys


def test_a_flusher_killed_mid_batch_loses_nothing(transactional_db):
    keys = _push(N)
    slow = _flusher("--pause-in-batch", "0.6")
    try:
        _wait_for(lambda: Visit.objects.count() >= BATCH)
        time.sleep(0.3)  # inside the next batch: inserted, not committed
        assert slow.poll() is None, "the flusher finished before it could be killed"
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(10)
    finally:
        if slow.poll() is None:
            slow.kill()
    stored = Visit.objects.count()
    assert 0 < stored < N
    assert stored % BATCH == 0  # whole batches only: the killed one left nothing behind
    _finish()
    _assert_exactly(keys)


def test_parallel_flushers_share_the_work_without_duplicates(transactional_db):
    keys = _push(N)
    flushers = [_flusher("--pause-in-batch", "0.05") for _ in range(4)]
    for flusher in flushers:
        assert flusher.wait(120) == 0
    _finish()
    _assert_exactly(keys)
