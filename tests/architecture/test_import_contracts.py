"""The layering contracts of pyproject.toml catch the imports docs/architecture.md forbids.

`make test` runs `lint-imports` on the real code; these tests prove that the same contracts
fail on a forbidden import. They run the project's own pyproject.toml against a small fixture
package in a temporary directory that has the project's app names, so the real code is never
touched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# Contract id -> the name lint-imports prints.
CONTRACTS = {
    contract["id"]: contract["name"]
    for contract in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
}
APPS = (
    "core",
    "territories",
    "careers",
    "accounts",
    "events",
    "campaigns",
    "ambassadors",
    "analytics",
    "webhooks",
    "planner",
    "web",
    "backoffice",
    "api",
    "setup",
)
# What the real apps do today and may keep doing: down the layers, joins in analytics.
ALLOWED = {
    "careers/models.py": "from vocations.territories import models\n",
    "accounts/models.py": "from vocations.careers import models\nfrom vocations.core import env\n",
    "events/models.py": "from vocations.accounts import permissions\n",
    "campaigns/models.py": "from vocations.accounts import permissions\n",
    "analytics/reports.py": (
        "from vocations.events import models\nfrom vocations.campaigns import models\n"
    ),
    "api/events.py": "from vocations.events import links\n",
    "webhooks/receivers.py": "from vocations.events import models\n",
    "web/views.py": "from vocations.analytics import reports\n",
    "backoffice/views.py": "from vocations.campaigns import models\n",
    "setup/commands.py": (
        "from vocations.web import views\nfrom vocations.backoffice import views\n"
    ),
    # A test may build its objects with any app.
    "core/tests/test_things.py": "from vocations.events import models\n",
}


def _write(package: Path, path: str, text: str) -> None:
    target = package / path
    target.parent.mkdir(parents=True, exist_ok=True)
    for folder in [target.parent, *target.parent.parents]:
        if folder == package.parent:
            break
        (folder / "__init__.py").touch()
    with target.open("a") as handle:
        handle.write(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's contracts over an importable `vocations` package of stubs."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    package = tmp_path / "vocations"
    for app in APPS:
        _write(package, f"{app}/__init__.py", "")
    for module in ("core/env", "accounts/permissions", "events/links", "events/models"):
        _write(package, f"{module}.py", "")
    # The readers and services packages the "readers-do-not-write" contract names.
    for app in ("accounts", "ambassadors", "analytics", "campaigns", "careers", "events"):
        _write(package, f"{app}/services/__init__.py", "")
    for app in ("core", "webhooks"):
        _write(package, f"{app}/services.py", "")
    for module in (
        "accounts/selectors",
        "ambassadors/selectors",
        "analytics/selectors",
        "analytics/reports",
        "analytics/report_details",
        "analytics/open_data",
        "analytics/periods",
        "events/selectors",
        "careers/selectors",
        "territories/selectors",
        "webhooks/selectors",
    ):
        _write(package, f"{module}.py", "")
    for path, text in ALLOWED.items():
        _write(package, path, text)
    return tmp_path


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def broken_contracts(output: str) -> set[str]:
    return set(re.findall(r"^(.+?) BROKEN", output, flags=re.MULTILINE))


def test_the_fixture_keeps_every_contract(project):
    result = lint_imports(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("path", "text", "contract"),
    [
        (
            "core/env.py",
            "from vocations.accounts import permissions\n",
            "core-alone",
        ),
        (
            "campaigns/services/__init__.py",
            "def f():\n    from vocations.events import models  # a lazy import counts too\n",
            "events-campaigns",
        ),
        (
            "events/links.py",
            "import vocations.campaigns.models\n",
            "events-campaigns",
        ),
        (
            "events/models.py",
            "from vocations.backoffice import views\n",
            "domain-below-interfaces",
        ),
        (
            "accounts/permissions.py",
            "from vocations.events import models\n",
            "accounts-at-the-bottom",
        ),
        (
            "careers/models.py",
            "from vocations.accounts import permissions\n",
            "layers",
        ),
        (
            "api/events.py",
            "from vocations.web import views\n",
            "layers",
        ),
        (
            "web/views.py",
            "from vocations.setup import commands\n",
            "layers",
        ),
        (
            "events/tasks.py",
            "from vocations.events import services\n",
            "no-cycles",
        ),
        (
            "territories/models.py",
            "from vocations.careers import models\n",
            "no-cycles",
        ),
        (
            "analytics/reports.py",
            "from vocations.setup import commands\n",
            "domain-below-interfaces",
        ),
        (
            "events/services/__init__.py",
            "from vocations.webhooks import receivers\n",
            "webhooks-listen",
        ),
        (
            "analytics/reports.py",
            "from vocations.analytics.services import rollups\n",
            "readers-do-not-write",
        ),
        (
            "events/selectors.py",
            "def f():\n    from vocations.events.services import registrations\n",
            "readers-do-not-write",
        ),
    ],
    ids=[
        "core-imports-accounts",
        "campaigns-imports-events-lazily",
        "events-imports-campaigns",
        "domain-imports-interface",
        "accounts-imports-events",
        "reference-imports-domain",
        "api-imports-web",
        "interface-imports-setup",
        "cycle-inside-an-app",
        "cycle-between-apps",  # reference apps may import each other, one way only
        "domain-imports-setup",
        "domain-imports-webhooks",  # webhooks listen to signals; the domain never calls them
        "report-imports-a-service",  # a report that rolls up on GET (issue 13)
        "selector-imports-a-service-lazily",
    ],
)
def test_a_forbidden_import_fails(project, path, text, contract):
    if path == "events/tasks.py":
        # The other half of the cycle: a service queues a task by importing it.
        _write(
            project / "vocations",
            "events/services/__init__.py",
            "from vocations.events import tasks\n",
        )
    _write(project / "vocations", path, text)
    result = lint_imports(project)
    assert result.returncode != 0
    # An import may break more than one contract (an indirect chain counts); the one named
    # here must be among them.
    assert CONTRACTS[contract] in broken_contracts(result.stdout), result.stdout


def test_ambassadors_is_a_domain_app_like_the_others(project):
    """It may build on events and campaigns (mobilisations, personal links), never on a page."""
    _write(project / "vocations", "ambassadors/models.py", "from vocations.events import models\n")
    links = "from vocations.campaigns import models\n"
    _write(project / "vocations", "ambassadors/links.py", links)
    assert lint_imports(project).returncode == 0

    _write(project / "vocations", "ambassadors/views.py", "from vocations.web import views\n")
    result = lint_imports(project)
    assert result.returncode != 0
    assert CONTRACTS["layers"] in broken_contracts(result.stdout)


def test_make_test_and_make_lint_run_the_contracts_before_pytest():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("test", "lint"):
        recipe = re.search(rf"^{target}: .*?\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
        assert recipe is not None, target
        lines = recipe.group(1).splitlines()
        assert any("lint-imports" in line for line in lines), target
        if target == "test":
            position = {
                name: next(i for i, line in enumerate(lines) if name in line)
                for name in ("lint-imports", "pytest")
            }
            assert position["lint-imports"] < position["pytest"]
