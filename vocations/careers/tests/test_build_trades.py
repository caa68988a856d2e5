import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def build_trades():
    spec = importlib.util.spec_from_file_location(
        "build_trades", ROOT / "scripts" / "build_trades.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOURCE = {
    "1": {"libelle": "Culture", "codes_rome": [{"code": "A1101", "libelle": "Conducteur"}]},
    "8": {
        "libelle": "Autres industries extractives",
        "codes_rome": [{"code": "F1401", "libelle": "Foreur / Foreuse"}],
    },
    "24": {
        "libelle": "Metallurgie",
        "codes_rome": [
            {"code": "H2913", "libelle": "Soudeur / Soudeuse"},
            {"code": "H2907", "libelle": "Fondeur / Fondeuse en métallurgie"},
        ],
    },
    "25": {
        "libelle": "Fabrication de produits metalliques, a l'exception des machines et des "
        "equipements",
        "codes_rome": [{"code": "H2913", "libelle": "Soudeur / Soudeuse"}],
    },
    "41": {
        "libelle": "Construction de batiments",
        "codes_rome": [{"code": "F1703", "libelle": "Maçon"}],
    },
}


def test_keeps_industrial_divisions_and_distinct_codes(build_trades):
    data = build_trades.build(SOURCE)
    assert [d["code"] for d in data["naf_divisions"]] == ["08", "24", "25"]
    assert data["naf_divisions"][1]["label"] == "Métallurgie"
    assert data["trades"] == [
        {"code": "F1401", "title": "Foreur / Foreuse", "naf_divisions": ["08"]},
        {"code": "H2907", "title": "Fondeur / Fondeuse en métallurgie", "naf_divisions": ["24"]},
        {"code": "H2913", "title": "Soudeur / Soudeuse", "naf_divisions": ["24", "25"]},
    ]
    assert json.loads(build_trades.dumps_compact(data)) == data


def test_rejects_a_label_that_does_not_match(build_trades):
    source = {"24": {"libelle": "Sidérurgie", "codes_rome": []}}
    with pytest.raises(SystemExit, match="NAF division 24"):
        build_trades.build(source)


def test_rejects_an_invalid_code(build_trades):
    source = {"24": {"libelle": "Metallurgie", "codes_rome": [{"code": "X12", "libelle": "?"}]}}
    with pytest.raises(SystemExit, match="invalid ROME code"):
        build_trades.build(source)


def test_committed_file_is_in_the_built_format(build_trades):
    path = ROOT / "vocations" / "careers" / "data" / "rome_industry.json"
    text = path.read_text(encoding="utf-8")
    assert build_trades.dumps_compact(json.loads(text)) == text
