"""Two web nodes, one database: no overbooking across nodes (docs/scaling.md).

Two gunicorn processes on two ports — two machines behind one nginx, as far as the application
can tell — share the PostgreSQL test database and one Redis (cache, rate limits, Celery broker).
Registrations for a small event are sent to both nodes at the same moment: the capacity lock is
a row lock in PostgreSQL, so the nodes queue on it like two workers of one node, and exactly the
capacity is confirmed. The control run, lock switched off (test-only setting), overbooks across
the same two nodes: the test can fail.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from vocations.events.tests.test_registrations_support import make_department, make_event

from .test_registration_race import (
    RACE_DELAY,
    _confirmed_seats,
    _individual_body,
    _request,
)

pytestmark = pytest.mark.postgres

CAPACITY = 30
ATTEMPTS = 120


@pytest.fixture
def shared_redis(tmp_path):
    """A private Redis for the two nodes (installed with the stack: `make prod`, CI)."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (apt-get install -y redis-server)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def _race_on_two_nodes(race_server, redis_url: str, *, lock: bool):
    make_department("69")
    event = make_event(capacity=CAPACITY, max_group_size=None)
    path = f"/api/v1/events/{event.pk}/registrations"
    with ExitStack() as nodes:
        first, second = (
            nodes.enter_context(
                race_server(lock=lock, race_delay=RACE_DELAY, workers=2, threads=4,
                            redis_url=redis_url)
            )
            for _ in range(2)
        )  # fmt: skip
        assert first != second
        # Both nodes answer, from the same database and the same Redis.
        for node in (first, second):
            status, body = _request(node, "GET", "/sante/")
            assert (status, body["redis"]) == (200, "ok"), body
        calls = [(first if n % 2 else second, _individual_body(n)) for n in range(ATTEMPTS)]
        results = _together_on(calls, path)
    event.refresh_from_db()
    by_node = {first: [], second: []}
    for (node, _), (status, _) in zip(calls, results, strict=True):
        by_node[node].append(status)
    return event, results, by_node


def _together_on(calls, path):
    """Each call to its own node, all released at once (one barrier for both nodes)."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        node, body = call
        barrier.wait()
        return _request(node, "POST", path, body)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def test_two_nodes_sharing_the_database_never_overbook(race_server, shared_redis):
    event, results, by_node = _race_on_two_nodes(race_server, shared_redis, lock=True)

    statuses = [status for status, _ in results]
    assert not [s for s in statuses if s >= 500], results
    assert statuses == [201] * ATTEMPTS, [r for r in results if r[0] != 201][:5]
    # Each node took its half of the rush.
    assert [len(s) for s in by_node.values()] == [ATTEMPTS // 2, ATTEMPTS // 2]
    assert _confirmed_seats(event) == CAPACITY
    assert event.seats_confirmed == CAPACITY
    confirmed = [body for _, body in results if body["status"] == "confirmed"]
    waiting = sorted(
        body["waitlist_position"] for _, body in results if body["status"] != "confirmed"
    )
    assert len(confirmed) == CAPACITY
    # One waiting list for both nodes: positions 1…n, none given twice.
    assert waiting == list(range(1, ATTEMPTS - CAPACITY + 1))


def test_without_the_lock_two_nodes_overbook(race_server, shared_redis):
    event, results, _ = _race_on_two_nodes(race_server, shared_redis, lock=False)
    assert not [s for s, _ in results if s >= 500], results
    # The proof the test can fail: without the row lock, the nodes sell the same seats.
    assert _confirmed_seats(event) > CAPACITY
