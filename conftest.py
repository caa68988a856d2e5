"""Project-wide test settings."""

import datetime as dt

import pytest
import time_machine

# Every test runs on the same clock: Tuesday 1 December 2026, 11:00 in Paris, ticking from there.
# Visitor hashes, "today", "tomorrow" and working days change at local midnight: a suite that
# read the wall clock passed or failed depending on the hour it ran (00:00–02:00 Paris broke
# first-touch attribution). Race tests that serve from a subprocess opt out
# (tests/concurrency/conftest.py): both sides of their HTTP exchange must read the same clock.
FIXED_NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~0.3 s a hash; tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached public pages and link lookups must not leak from one test into another.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_visit_measurement_by_default(settings):
    # Visit recording adds writes to every public page; the analytics tests switch it on.
    settings.ANALYTICS_ENABLED = False
