"""Suite-wide rules for tests under tests/.

Browser availability: the browser tests (marked ``e2e``) need Chromium at ``CHROMIUM_PATH``
(default ``/usr/bin/chromium``). Where it is missing they fail with
``VOCATIONS_REQUIRE_BROWSER=1`` (CI) and are deselected, with a closing line, otherwise
(tests/gates.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.gates import Gate

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH)


def chromium_available() -> bool:
    path = chromium_path()
    return path.is_file() and os.access(path, os.X_OK)


BROWSER = Gate(
    marker="e2e",
    what="browser test",
    available=chromium_available,
    reason=lambda: f"Chromium not found or not executable at {chromium_path()}",
    require_env="VOCATIONS_REQUIRE_BROWSER",
    hint="install it (`apt-get install chromium`) or set CHROMIUM_PATH",
)


# trylast: after tests/e2e/conftest.py has marked the browser tests and after `-m` filtering,
# so the count only covers browser tests this run would otherwise have run.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    BROWSER.collection_modifyitems(config, items)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    BROWSER.testnodedown(node)


def pytest_runtest_setup(item: pytest.Item) -> None:
    BROWSER.runtest_setup(item)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    BROWSER.terminal_summary(terminalreporter, config)
