import shutil
from pathlib import Path

import pytest

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
    monkeypatch.setattr(services, "DATA_DIR", directory)
    return directory
