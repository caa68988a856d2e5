"""Settings for the test suite and the servers the tests start: the project's, in development
mode, plus the test-only switches that production must never honour."""

import os

# Development mode unless a test says otherwise (the subprocess settings tests pass DEBUG=0).
os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403
from vocations.core.env import env_bool  # noqa: E402

# The race tests turn the capacity lock off to show the race happening (tests/concurrency/).
REGISTRATION_CAPACITY_LOCK = env_bool("VOCATIONS_REGISTRATION_CAPACITY_LOCK", True)

# Plans in the tests' servers (the browser test) draw fewer curves for their intervals.
PLANNER_POSTERIOR_DRAWS = 100
