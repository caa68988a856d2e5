"""The Redis buffer against a real redis-server (collected only when one is installed:
see conftest.py, which prints a line when it is not)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from vocations.analytics.models import Visit
from vocations.analytics.services import build_visit
from vocations.analytics.services.buffer import RedisBuffer
from vocations.analytics.services.flusher import flush

from .support import request

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp()
    proc = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


def test_redis_buffer_survives_a_dead_worker(world, redis_url):
    dead = RedisBuffer(url=redis_url, worker="dead")
    dead.redis.flushdb()
    visits = [build_visit(request(), landing_path="/") for _ in range(10)]
    for visit in visits:
        dead.push(visit)
    batch = dead.claim_batch(4)  # then the worker dies: no ack, its heartbeat expires
    assert len(batch.items) == 4
    dead.redis.delete(RedisBuffer.ALIVE + "dead")
    alive = RedisBuffer(url=redis_url, worker="alive")
    assert flush(buffer=alive, batch_size=3) == 10
    assert Visit.objects.count() == 10
    assert alive.pending() == 0
    assert not list(alive.redis.scan_iter(match=RedisBuffer.PROCESSING + "*"))
