"""Typed readers for settings taken from the environment.

Every reader fails loudly with ImproperlyConfigured naming the variable and what
was wrong, so a bad deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, env: Mapping[str, str] | None) -> str | None:
    env = os.environ if env is None else env
    return env.get(name)


def env_str(name: str, default: str = "", *, env: Mapping[str, str] | None = None) -> str:
    value = _raw(name, env)
    return default if value is None else value


def env_bool(name: str, default: bool, *, env: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, env)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, env)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_list(name: str, default: list[str], *, env: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, env)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, env: Mapping[str, str] | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd style)."""
    value = _raw(name, env)
    file_name = _raw(f"{name}_FILE", env)
    if value and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if file_name:
        path = Path(file_name)
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}."
            ) from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is empty.")
    return value or None


SUPPORTED_DB_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def env_database(
    name: str, default_sqlite_path: Path, *, env: Mapping[str, str] | None = None
) -> dict:
    value = _raw(name, env)
    if not value:
        # The embedded default: create its folder so a fresh clone just works.
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            # WAL + a busy timeout keep the embedded database usable by the dev server
            # and a management command at the same time.
            "OPTIONS": {
                # IMMEDIATE: a write transaction takes the lock when it starts, so two
                # registrations queue up instead of failing on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} is not a valid database URL ({exc}). "
            "Expected postgres://user:password@host:5432/dbname or sqlite:///path/to/file."
        ) from None
    engine = config.get("ENGINE")
    if engine not in SUPPORTED_DB_ENGINES:
        raise ImproperlyConfigured(
            f"{name} names an unsupported database ({engine}): use postgres:// or sqlite://."
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} has no database name (…/dbname at the end).")
    return config
