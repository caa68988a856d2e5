"""Settings of the benchmark's gunicorn: the project's, plus the visit buffer chosen by the run."""

import os

from config.settings import *  # noqa: F403

ANALYTICS_BUFFER = os.environ.get("BENCH_ANALYTICS_BUFFER", "database")
# The flusher runs as its own process during the run (as a Celery worker would in production).
ANALYTICS_FLUSH_INTERVAL = 0
LOGGING = {"version": 1, "disable_existing_loggers": False}
