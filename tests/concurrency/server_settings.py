"""Settings of the gunicorn server the race tests start: the project's (its real URLconf,
config/urls.py), plus test-only knobs.

The capacity lock is read by config/test_settings.py from VOCATIONS_REGISTRATION_CAPACITY_LOCK;
config/settings.py ignores that variable, so production cannot turn the lock off.
"""

import os

from config.test_settings import *  # noqa: F403

# No mail leaves the machine; the tasks still run, inline, after each commit.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Test-only: seconds slept between reading a pool's counter and writing it, to widen the race
# window so the unlocked run overbooks every time (vocations.events.services.registrations).
REGISTRATION_TEST_RACE_DELAY = float(os.environ.get("VOCATIONS_TEST_REGISTRATION_RACE_DELAY", "0"))
# Quiet: only errors (a 5xx would show here), not every task and every 422.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
# Hundreds of requests from one address on purpose: the rate limits (tested in
# vocations/web/tests/test_abuse.py) would answer 429 to most of them.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "1000000/h")  # noqa: F405
