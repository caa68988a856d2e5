"""Race tests: real concurrent HTTP clients against a multi-process server, on PostgreSQL only.

SQLite serializes every writer (transaction_mode IMMEDIATE), so a race test there proves
nothing. Tests marked ``postgres`` therefore need ``DATABASE_URL=postgres://…``. Without it:

- with ``VOCATIONS_REQUIRE_POSTGRES=1`` (CI) each of them fails with a clear message, so a run
  can never pass without them;
- otherwise they are deselected, not skipped, and the run ends with one line saying how many
  were not run and why.

The ``race_server`` fixture serves the project with gunicorn (several worker processes, each
with several threads) against the test database, in a subprocess.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.gates import Gate

BASE_DIR = Path(__file__).resolve().parents[2]


def database_is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


POSTGRES = Gate(
    marker="postgres",
    what="PostgreSQL race test",
    available=database_is_postgres,
    reason=lambda: f"the database is {settings.DATABASES['default']['ENGINE']}, not PostgreSQL",
    require_env="VOCATIONS_REQUIRE_POSTGRES",
    hint="set DATABASE_URL=postgres://user@host:port/dbname",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    POSTGRES.collection_modifyitems(config, items)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    POSTGRES.testnodedown(node)


def pytest_runtest_setup(item: pytest.Item) -> None:
    POSTGRES.runtest_setup(item)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    POSTGRES.terminal_summary(terminalreporter, config)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    # The test database pytest-django created (its NAME is already the test one).
    db = settings.DATABASES["default"]
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def _gunicorn(*, lock: bool, race_delay: float, workers: int, threads: int):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.concurrency.server_settings",
        "DATABASE_URL": _database_url(),
        "VOCATIONS_REGISTRATION_CAPACITY_LOCK": "1" if lock else "0",
        "VOCATIONS_TEST_REGISTRATION_RACE_DELAY": str(race_delay),
        "REDIS_URL": "",  # tasks inline, as in the tests
        "PYTHONPATH": str(BASE_DIR),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={BASE_DIR}",
        "--backlog=512",
        "--timeout=60",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR)
    base_url = f"http://127.0.0.1:{port}"
    try:
        # Generous: on a loaded 2-core machine gunicorn's two workers take 20-30 s to import.
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {process.returncode}")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                connection.request("GET", "/robots.txt")
                if connection.getresponse().status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 90 s")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def race_server(transactional_db):
    """Start servers on demand: ``with race_server(lock=True) as base_url: …``.

    Committed data (transactional_db) is what the server's processes see; they are stopped
    before the database is flushed."""

    def start(*, lock: bool = True, race_delay: float = 0.0, workers: int = 4, threads: int = 8):
        return _gunicorn(lock=lock, race_delay=race_delay, workers=workers, threads=threads)

    return start


@pytest.fixture(autouse=True)
def _fixed_clock():
    # The server under test is another process and reads the real clock: so does the test.
    yield None
