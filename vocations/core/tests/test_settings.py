"""Settings come from the environment and stop start-up loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vocations.core import env

ROOT = Path(__file__).resolve().parents[3]
STRONG_SECRET = "x" * 20 + "-strong-secret-for-tests-only-" + "y" * 20


def run_check(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with exactly this environment (plus PATH)."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "VOCATIONS_VAR_DIR": "/tmp/vocations-settings-test",
    }
    clean.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_environment_means_debug_off_and_start_up_asks_for_a_secret():
    # Safe by default (issue 15, point 9): a forgotten DEBUG never ships debug pages.
    result = run_check({})
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr


def test_development_mode_is_opted_into_with_debug_1():
    result = run_check({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def read_setting(extra_env: dict[str, str], name: str, module: str = "config.settings") -> str:
    """A setting's value as a fresh process with exactly this environment computes it."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "VOCATIONS_VAR_DIR": "/tmp/vocations-settings-test",
        "DJANGO_SETTINGS_MODULE": module,
        **extra_env,
    }
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRODUCTION = {"SECRET_KEY": STRONG_SECRET, "ALLOWED_HOSTS": "vocations.example.fr"}


def test_debug_is_off_unless_set():
    assert read_setting(PRODUCTION, "DEBUG") == "False"
    assert read_setting({**PRODUCTION, "DEBUG": "1"}, "DEBUG") == "True"


def test_development_targets_set_debug_and_production_targets_do_not():
    result = subprocess.run(
        ["make", "-n", "serve", "demo", "serve-prod"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", "")},
    )
    lines = [line for line in result.stdout.splitlines() if "manage.py" in line]
    runservers = [line for line in lines if "runserver" in line]
    assert len(runservers) == 2 and all(line.startswith("DEBUG=1 ") for line in runservers)
    assert any("check --deploy" in line and "DEBUG" not in line for line in lines)


@pytest.mark.parametrize("extra", [PRODUCTION, {"DEBUG": "1"}])
def test_capacity_lock_cannot_be_switched_off_outside_tests(extra):
    off = {**extra, "VOCATIONS_REGISTRATION_CAPACITY_LOCK": "0"}
    assert read_setting(off, "REGISTRATION_CAPACITY_LOCK") == "True"


def test_only_the_test_settings_honour_the_lock_switch():
    off = {"VOCATIONS_REGISTRATION_CAPACITY_LOCK": "0"}
    assert read_setting(off, "REGISTRATION_CAPACITY_LOCK", "config.test_settings") == "False"
    assert read_setting({}, "REGISTRATION_CAPACITY_LOCK", "config.test_settings") == "True"


def test_production_mode_passes_deploy_checks_without_warning():
    result = run_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": STRONG_SECRET,
            "DATABASE_URL": "postgres://vocations:pw@db.internal:5432/vocations",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "ALLOWED_HOSTS": "vocations.example.fr",
            # Required since issue 14 (vocations/core/checks.py, test_deploy_checks).
            "SITE_URL": "https://vocations.example.fr",
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_HOST": "smtp.example.fr",
            # Required since issue 15, point 7 (vocations/core/checks.py, test_legal_identity).
            "SITE_PUBLISHER": "Opco 2i",
            "SITE_CONTACT_EMAIL": "contact@opco2i.fr",
            "SITE_DPO_EMAIL": "dpo@opco2i.fr",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "x.fr"}, "SECRET_KEY (or SECRET_KEY_FILE) must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x.fr"}, "too weak"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://u:p@h/db"}, "unsupported database"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL is not a valid database URL"),
        ({"DATABASE_URL": "postgres://u:p@h:5432"}, "has no database name"),
        ({"REDIS_URL": "http://cache"}, "REDIS_URL='http://cache' must start with redis://"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT=70000 is above the maximum"),
        (
            {"SECRET_KEY_FILE": "/nonexistent/secret"},
            "SECRET_KEY_FILE='/nonexistent/secret' cannot be read",
        ),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(extra, message):
    result = run_check({"DEBUG": "1", **extra})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_read_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(STRONG_SECRET + "\n")
    assert env.env_secret("SECRET_KEY", env={"SECRET_KEY_FILE": str(secret_file)}) == STRONG_SECRET
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("SECRET_KEY", env={"SECRET_KEY": "a", "SECRET_KEY_FILE": str(secret_file)})


def test_typed_helpers():
    assert env.env_bool("X", False, env={"X": "Yes"}) is True
    assert env.env_bool("X", True, env={"X": "off"}) is False
    assert env.env_bool("X", True, env={}) is True
    assert env.env_int("X", 3, env={"X": " 42 "}) == 42
    assert env.env_list("X", ["a"], env={"X": "a.fr, b.fr,,"}) == ["a.fr", "b.fr"]
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env.env_int("X", 1, minimum=1, env={"X": "0"})


def test_database_url_parsing(tmp_path):
    pg = env.env_database(
        "DATABASE_URL",
        tmp_path / "db.sqlite3",
        env={"DATABASE_URL": "postgres://u:p@h:5433/vocations"},
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["HOST"], pg["PORT"]) == ("vocations", "h", 5433)
    default = env.env_database("DATABASE_URL", tmp_path / "sub" / "db.sqlite3", env={})
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "sub").is_dir()
