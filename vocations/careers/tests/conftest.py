import shutil
from pathlib import Path

import pytest
from django.conf import settings

from vocations.careers import services

SAMPLES = Path(__file__).resolve().parent / "data"
CODES_SAMPLE = SAMPLES / "unix_referentiel_code_rome_v460_utf8.csv"
APPELLATIONS_SAMPLE = SAMPLES / "unix_referentiel_appellation_v460_utf8.csv"


@pytest.fixture
def careers(db):
    """The shipped careers reference data, loaded."""
    return services.load_careers()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of the shipped data files, used by the loader instead of the real ones."""
    directory = tmp_path / "careers-data"
    shutil.copytree(services.DATA_DIR, directory)
    monkeypatch.setattr(services.loader, "DATA_DIR", directory)
    return directory


# SQLite's search index stems with snowballstemmer; test_search_postgres.py checks that its
# stems are PostgreSQL's own lexemes. It needs PostgreSQL: without it, it is not collected
# (never skipped) and the run says so. CI runs the suite on PostgreSQL too.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
collect_ignore = [] if ON_POSTGRES else ["test_search_postgres.py"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not ON_POSTGRES:
        terminalreporter.write_line(
            "NOTE: vocations/careers/tests/test_search_postgres.py not collected: the database "
            "is not PostgreSQL (set DATABASE_URL=postgres://… to run it).",
            yellow=True,
        )
