"""The shipped BMO 2024 -> ROME table: coverage rule and provenance of each mapping."""

from __future__ import annotations

import gzip
import json

from vocations.careers import hiring
from vocations.territories.services import DEFAULT_LABOUR_MARKET_PATH

INDUSTRIAL_DOMAINS = ("C", "D", "E", "F", "G", "H")


def _bmo_trades() -> dict[str, list[str]]:
    with gzip.open(DEFAULT_LABOUR_MARKET_PATH, "rb") as handle:
        return json.loads(handle.read())["bmo"]["trades"]


def test_every_industrial_bmo_trade_maps_or_is_listed_unmapped_with_a_reason():
    trades = _bmo_trades()
    industrial = {
        code
        for code, (_name, family, _label) in trades.items()
        if family == "I"
        or (family in ("C", "T") and code[0] in INDUSTRIAL_DOMAINS)
        or code in ("N0X70", "N1X90")
    }
    assert len([c for c, t in trades.items() if t[1] == "I"]) == 37
    data = json.loads(hiring.MAPPING_FILE.read_text(encoding="utf-8"))
    mapped = {m["bmo_code"]: m for m in data["mappings"]}
    unmapped = {u["bmo_code"]: u for u in data["unmapped"]}
    assert set(mapped) | set(unmapped) == industrial
    assert not set(mapped) & set(unmapped)
    for code, mapping in mapped.items():
        assert mapping["rome_codes"], code
        assert mapping["kind"] in ("exact", "inferred"), code
        assert mapping["why"].strip(), code
        assert mapping["fap2009"], code
        assert mapping["bmo_name"] == trades[code][0]
    for code, entry in unmapped.items():
        assert entry["why"].strip(), code


def test_welders_map_exactly_to_h2913():
    welders = hiring.bmo_mappings()["D1X33"]
    assert welders.kind == "exact"
    assert welders.fap2009 == ("D2Z42",)
    assert welders.rome_codes == ("H2913",)
    assert [m.bmo_code for m in hiring.mappings_for_rome("H2913")] == ["D1X33"]


def test_industrial_codes_cover_family_i_and_industrial_managers():
    codes = hiring.industrial_bmo_codes()
    assert "D1X33" in codes and "H1X90" in codes and "N1X90" in codes
    assert "A0X40" not in codes  # Agriculteurs
