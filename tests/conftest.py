"""Suite-wide rules for tests under tests/.

Browser availability: the browser tests (marked ``e2e``) need Chromium at ``CHROMIUM_PATH``
(default ``/usr/bin/chromium``). When it is missing:

- with ``VOCATIONS_REQUIRE_BROWSER=1`` (CI) every browser test fails with a clear message, so a
  run can never pass without them;
- otherwise they are deselected, not skipped, and the run ends with one line saying how many
  browser tests were not run and why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
_DESELECTED = pytest.StashKey[int]()
_WORKER_KEY = "vocations_browser_tests_deselected"


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH)


def chromium_available() -> bool:
    path = chromium_path()
    return path.is_file() and os.access(path, os.X_OK)


def browser_required() -> bool:
    return os.environ.get("VOCATIONS_REQUIRE_BROWSER", "").strip() == "1"


def _missing_reason() -> str:
    return f"Chromium not found or not executable at {chromium_path()}"


# trylast: after tests/e2e/conftest.py has marked the browser tests and after `-m` filtering,
# so the count only covers browser tests this run would otherwise have run.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_available() or browser_required():
        return
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    if not browser_tests:
        return
    keep = [item for item in items if not item.get_closest_marker("e2e")]
    config.hook.pytest_deselected(items=browser_tests)
    items[:] = keep
    config.stash[_DESELECTED] = config.stash.get(_DESELECTED, 0) + len(browser_tests)
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
        config.workeroutput[_WORKER_KEY] = config.stash[_DESELECTED]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    # pytest-xdist controller: every worker collects (and deselects) the same tests, so keep the
    # largest count rather than the sum.
    config = node.config
    count = getattr(node, "workeroutput", {}).get(_WORKER_KEY, 0)
    config.stash[_DESELECTED] = max(config.stash.get(_DESELECTED, 0), count)


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Only reached for a browser test when the browser is required (otherwise it was deselected).
    if item.get_closest_marker("e2e") and not chromium_available():
        pytest.fail(
            f"{_missing_reason()}, and VOCATIONS_REQUIRE_BROWSER=1 requires the browser tests: "
            "install it (`apt-get install chromium`) or set CHROMIUM_PATH.",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"WARNING: {count} browser test{'s' if count != 1 else ''} not run: "
            f"{_missing_reason()} (set CHROMIUM_PATH, or VOCATIONS_REQUIRE_BROWSER=1 to make "
            "this an error).",
            yellow=True,
            bold=True,
        )
