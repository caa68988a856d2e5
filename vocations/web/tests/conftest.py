"""Public-site tests: each test starts with an empty page cache and connected receivers."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from vocations.web import signals


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Public pages are cached by URL (vocations/web/cache.py); the local-memory cache outlives
    # a test, so a page cached by one test must not answer in the next.
    cache.clear()
    # Idempotent; WebConfig.ready() connects them too once wired (see vocations/web/signals.py).
    signals.connect()
    yield
    cache.clear()
