import os
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
# The nginx tracked-link test needs nginx and its njs module (Debian: libnginx-mod-http-js).
NGINX_NJS_AVAILABLE = shutil.which("nginx") is not None and any(
    os.path.exists(path)
    for path in (
        "/usr/lib/nginx/modules/ngx_http_js_module.so",
        "/usr/lib64/nginx/modules/ngx_http_js_module.so",
        "/etc/nginx/modules/ngx_http_js_module.so",
    )
)
if not NGINX_NJS_AVAILABLE:
    collect_ignore.append("test_nginx_links.py")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not REDIS_AVAILABLE:
        terminalreporter.write_line(
            "NOTE: vocations/analytics/tests/test_buffer_redis.py not collected: no redis-server "
            "on PATH (apt-get install redis-server to run it).",
            yellow=True,
        )
    if not NGINX_NJS_AVAILABLE:
        terminalreporter.write_line(
            "NOTE: vocations/analytics/tests/test_nginx_links.py not collected: no nginx with "
            "the njs module (apt-get install nginx libnginx-mod-http-js to run it).",
            yellow=True,
        )
