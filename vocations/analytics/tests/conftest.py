import shutil

import pytest
from django.core.cache import cache

from .support import build_world


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    # Links, salts and visit keys live in the cache: no test may see another's.
    settings.ANALYTICS_BUFFER = "direct"
    settings.ANALYTICS_FLUSH_INTERVAL = 0
    settings.ANALYTICS_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


# The Redis buffer test needs a redis-server binary; CI installs only PostgreSQL and Chromium.
# Without one the test is not collected (never skipped), and the run says so at the end.
REDIS_AVAILABLE = shutil.which("redis-server") is not None
collect_ignore = [] if REDIS_AVAILABLE else ["test_buffer_redis.py"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not REDIS_AVAILABLE:
        terminalreporter.write_line(
            "NOTE: vocations/analytics/tests/test_buffer_redis.py not collected: no redis-server "
            "on PATH (apt-get install redis-server to run it).",
            yellow=True,
        )
