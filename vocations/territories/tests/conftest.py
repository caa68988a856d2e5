"""Fixtures for the territories tests: small hand-made geography files and a loaded mini-France."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from vocations.territories.services import load_geography

DATA_DIR = Path(__file__).parent / "data"
BMO_SAMPLE = DATA_DIR / "bmo_sample.csv"

# Real codes and names, a handful of communes: enough for the importer and the selectors.
MINI_GEOGRAPHY = {
    "format": 1,
    "source": {"package": "tests", "version": "0"},
    "regions": [
        ["04", "La Réunion"],
        ["84", "Auvergne-Rhône-Alpes"],
        ["93", "Provence-Alpes-Côte d'Azur"],
        ["94", "Corse"],
    ],
    "departments": [
        ["13", "Bouches-du-Rhône", "93"],
        ["2A", "Corse-du-Sud", "94"],
        ["69", "Rhône", "84"],
        ["974", "La Réunion", "04"],
    ],
    "communes": [
        ["13055", "Marseille", "13", "93", ["13001", "13002"], 886040],
        ["2A004", "Ajaccio", "2A", "94", ["20000", "20090", "20167"], 76320],
        ["69123", "Lyon", "69", "84", ["69001", "69002"], 519127],
        ["69259", "Saint-Just-d'Avray", "69", "84", ["69870"], 800],
        ["69066", "Claveisolles", "69", "84", ["69870"], None],
        ["97411", "Saint-Denis", "974", "04", ["97400", "97417", "97490"], 155634],
    ],
}


def write_geography(path: Path, payload: dict) -> Path:
    raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    path.write_bytes(gzip.compress(raw, mtime=0))
    return path


@pytest.fixture
def mini_geography_path(tmp_path) -> Path:
    return write_geography(tmp_path / "mini.json.gz", json.loads(json.dumps(MINI_GEOGRAPHY)))


@pytest.fixture
def mini_geography(db, mini_geography_path):
    """A few real départements and communes, loaded through the real loader."""
    return load_geography(path=mini_geography_path)
