"""Project-wide test settings."""

import pytest


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
