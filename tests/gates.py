"""One rule for tests that need something a developer machine may lack (a browser, PostgreSQL).

Where it is missing:

- with the gate's environment variable set to 1 (CI sets them), each such test FAILS with a
  clear message, so a run can never pass without them;
- otherwise they are deselected, not skipped, and the run ends with one line saying how many
  were not run and why.

A conftest declares a ``Gate`` and forwards four pytest hooks to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest


@dataclass
class Gate:
    marker: str  # tests carrying this marker need the thing
    what: str  # "browser test", "PostgreSQL race test"
    available: Callable[[], bool]
    reason: Callable[[], str]  # why it is missing, for the messages
    require_env: str  # e.g. VOCATIONS_REQUIRE_BROWSER
    hint: str  # how to get it
    _key: pytest.StashKey[int] = field(default_factory=pytest.StashKey)

    @property
    def _worker_key(self) -> str:
        return f"vocations_deselected_{self.marker}"

    def required(self) -> bool:
        return os.environ.get(self.require_env, "").strip() == "1"

    def collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if self.available() or self.required():
            return
        gated = [item for item in items if item.get_closest_marker(self.marker)]
        if not gated:
            return
        items[:] = [item for item in items if not item.get_closest_marker(self.marker)]
        config.hook.pytest_deselected(items=gated)
        config.stash[self._key] = config.stash.get(self._key, 0) + len(gated)
        if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
            config.workeroutput[self._worker_key] = config.stash[self._key]

    def testnodedown(self, node) -> None:
        # pytest-xdist controller: every worker deselects the same tests, keep the largest count.
        config = node.config
        count = getattr(node, "workeroutput", {}).get(self._worker_key, 0)
        config.stash[self._key] = max(config.stash.get(self._key, 0), count)

    def runtest_setup(self, item: pytest.Item) -> None:
        # Only reached without the thing when it is required (otherwise deselected above).
        if item.get_closest_marker(self.marker) and not self.available():
            pytest.fail(
                f"{self.reason()}, and {self.require_env}=1 requires the {self.what}s: "
                f"{self.hint}.",
                pytrace=False,
            )

    def terminal_summary(self, terminalreporter, config: pytest.Config) -> None:
        count = config.stash.get(self._key, 0)
        if count:
            terminalreporter.write_line(
                f"WARNING: {count} {self.what}{'s' if count != 1 else ''} not run: "
                f"{self.reason()} ({self.hint}, or {self.require_env}=1 to make this an error).",
                yellow=True,
                bold=True,
            )
