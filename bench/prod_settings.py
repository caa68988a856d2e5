"""The stack's settings plus one bare view (bench/bare_urls.py): the floor of the framework,
served by a second gunicorn with the same workers, in the same run (bench/harness.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
