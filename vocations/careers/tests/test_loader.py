import io
import json
import re

import pytest

from vocations.careers import services
from vocations.careers.models import (
    Appellation,
    Branch,
    NafDivision,
    QualificationLevel,
    Sector,
    Trade,
)
from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import AuditEntry, ReferenceDataset

ROME_CODE = re.compile(r"^[A-N]\d{4}$")
CAMPAIGN_SECTORS = {
    "energie": "Énergie et énergies renouvelables",
    "sante-pharmacie": "Santé et pharmacie",
    "infrastructures": "Infrastructures",
    "textile-habillement": "Textile, habillement, cuir",
    "cosmetique": "Cosmétique",
    "aeronautique-spatial": "Aéronautique et spatial",
    "automobile-mobilites": "Automobile et mobilités",
    "agroalimentaire": "Agroalimentaire",
    "chimie": "Chimie",
    "metallurgie": "Métallurgie",
    "plasturgie-composites": "Plasturgie, caoutchouc et composites",
    "electronique": "Électronique et équipements électriques",
    "papier-carton": "Papier-carton",
    "ferroviaire": "Ferroviaire",
    "naval": "Naval",
}


def _source_codes() -> set[str]:
    data = json.loads((services.DATA_DIR / services.ROME_FILE).read_text(encoding="utf-8"))
    return {trade["code"] for trade in data["trades"]}


def _snapshot() -> dict:
    return {
        "trades": sorted(
            Trade.objects.values_list("rome_code", "title", "slug", "is_featured", "description")
        ),
        "sectors": sorted(Sector.objects.values_list("slug", "name")),
        "branches": sorted(Branch.objects.values_list("slug", "name", "federation")),
        "trade_sectors": sorted(Trade.sectors.through.objects.values_list("trade_id", "sector_id")),
        "trade_levels": Trade.qualification_levels.through.objects.count(),
        "datasets": sorted(ReferenceDataset.objects.values_list("name", "checksum")),
    }


def test_loads_every_industrial_trade(careers):
    assert careers.skipped is False
    codes = set(Trade.objects.values_list("rome_code", flat=True))
    assert len(codes) >= 400
    assert len(codes) == 404 == len(_source_codes())
    assert codes == _source_codes()
    assert all(ROME_CODE.match(code) for code in codes)
    assert careers.counts["métiers"] == 404
    assert NafDivision.objects.count() == 34
    assert NafDivision.objects.get(code="24").label == "Métallurgie"
    assert list(QualificationLevel.objects.values_list("level", flat=True)) == [3, 4, 5, 6, 7]
    assert Appellation.objects.count() == 0


def test_welder_is_in_metallurgy(careers):
    welder = Trade.objects.get(rome_code="H2913")
    assert welder.title == "Soudeur / Soudeuse"
    assert welder.slug == "soudeur-soudeuse"
    assert welder.is_featured
    assert set(welder.naf_divisions.values_list("code", flat=True)) == {"25", "28", "29"}
    sectors = set(welder.sectors.values_list("slug", flat=True))
    assert {"metallurgie", "mecanique", "automobile-mobilites"} <= sectors
    assert "chimie" not in sectors
    assert welder.branches.filter(federation__startswith="UIMM").exists()
    assert set(welder.qualification_levels.values_list("level", flat=True)) == {3, 4}


def test_slug_keeps_ligatures(careers):
    assert Trade.objects.get(rome_code="A1423").slug == "oenologue"


def test_every_campaign_sector_has_trades(careers):
    for slug, name in CAMPAIGN_SECTORS.items():
        sector = Sector.objects.get(slug=slug)
        assert sector.name == name
        assert sector.description
        assert sector.trades.exists(), slug
    assert set(
        Sector.objects.get(slug="agroalimentaire").naf_divisions.values_list("code", flat=True)
    ) == {"10", "11"}
    pharma = Trade.objects.get(rome_code="H2303")
    assert list(pharma.sectors.values_list("slug", flat=True)) == ["sante-pharmacie"]


def test_featured_trades_have_description_and_levels(careers):
    featured = Trade.objects.filter(is_featured=True)
    assert featured.count() >= 80
    for trade in featured.prefetch_related("qualification_levels"):
        assert len(trade.description) > 80, trade.rome_code
        assert len(trade.qualification_levels.all()) >= 1, trade.rome_code
    assert not Trade.objects.filter(is_featured=False).exclude(description="").exists()
    assert Trade.objects.get(rome_code="I1102").qualification_levels.get().level == 7


def test_real_branches(careers):
    assert Branch.objects.get(slug="metallurgie").federation.startswith("UIMM")
    assert Branch.objects.get(slug="industries-chimiques").federation == "France Chimie"
    assert Branch.objects.get(slug="industrie-pharmaceutique").federation.startswith("Leem")
    assert Branch.objects.get(slug="plasturgie-composites").federation == "Polyvia"
    assert Branch.objects.get(slug="industries-textiles").federation.startswith("UIT")
    assert Branch.objects.get(slug="papier-carton").federation == "Copacel"
    assert Branch.objects.get(slug="carrieres-et-materiaux").federation.startswith("UNICEM")
    chemistry = Branch.objects.get(slug="industries-chimiques")
    assert set(chemistry.sectors.values_list("slug", flat=True)) == {"chimie", "cosmetique"}
    assert chemistry.trades.filter(rome_code="H2304").exists()


def test_second_load_is_skipped(careers):
    before = _snapshot()
    audits = AuditEntry.objects.count()
    result = services.load_careers()
    assert result.skipped is True
    assert result.counts["métiers"] == 404
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits


def test_forced_reload_updates_without_duplicates(careers):
    before = _snapshot()
    Trade.objects.filter(rome_code="H2913").update(title="Ancien intitulé", is_featured=False)
    result = services.load_careers(force=True)
    assert result.skipped is False
    assert _snapshot() == before
    assert Trade.objects.count() == 404
    assert Trade.objects.get(rome_code="H2913").title == "Soudeur / Soudeuse"


def test_changed_file_is_reloaded(db, data_copy):
    services.load_careers()
    path = data_copy / services.DETAILS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["trades"] = [t for t in data["trades"] if t["code"] != "H2913"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = services.load_careers()
    assert result.skipped is False
    welder = Trade.objects.get(rome_code="H2913")
    assert (welder.is_featured, welder.description) == (False, "")
    assert not welder.qualification_levels.exists()
    assert Trade.objects.count() == 404


def _rewrite(directory, name, change):
    path = directory / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _bad_rome_code(data):
    data["trades"][3]["code"] = "Z9999"


def _unknown_detail(data):
    data["trades"][0]["code"] = "M1805"


def _unknown_sector(data):
    data["branches"][0]["sectors"].append("spatial-lunaire")


def _wrong_title(data):
    data["trades"][0]["title"] = "Intitulé inventé"


def _bad_level(data):
    data["trades"][0]["levels"] = [2]


def _duplicate_sector(data):
    data["sectors"].append(dict(data["sectors"][0]))


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (services.ROME_FILE, _bad_rome_code, "code ROME invalide"),
        (services.DETAILS_FILE, _unknown_detail, "absent de rome_industry.json"),
        (services.BRANCHES_FILE, _unknown_sector, "filière « spatial-lunaire » inconnu"),
        (services.DETAILS_FILE, _wrong_title, "diffère"),
        (services.DETAILS_FILE, _bad_level, "niveaux invalides"),
        (services.SECTORS_FILE, _duplicate_sector, "apparaît deux fois"),
    ],
)
def test_invalid_entry_is_rejected(db, data_copy, name, change, message):
    services.load_careers()
    before = _snapshot()
    _rewrite(data_copy, name, change)
    with pytest.raises(ReferenceDataError) as error:
        services.load_careers(force=True)
    assert name in str(error.value)
    assert message in str(error.value)
    assert _snapshot() == before


def test_corrupt_json_changes_nothing(db, data_copy):
    services.load_careers()
    before = _snapshot()
    path = data_copy / services.SECTORS_FILE
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"Fichier sectors\.json : JSON invalide ligne"):
        services.load_careers()
    assert _snapshot() == before


def test_corrupt_file_on_empty_database_writes_nothing(db, data_copy):
    (data_copy / services.BRANCHES_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="branches.json"):
        services.load_careers()
    assert Trade.objects.count() == Sector.objects.count() == NafDivision.objects.count() == 0
    assert QualificationLevel.objects.count() == 0
    assert not ReferenceDataset.objects.exists()


def test_missing_file(db, data_copy):
    (data_copy / services.ROME_FILE).unlink()
    with pytest.raises(ReferenceDataError, match="rome_industry.json introuvable"):
        services.load_careers()


def test_load_reference_data_command_reports_careers(db, monkeypatch):
    from django.core.management import call_command

    from vocations.core.reference import LoadResult
    from vocations.setup.management.commands import load_reference_data

    monkeypatch.setattr(load_reference_data, "load_geography", lambda force: LoadResult(True))
    monkeypatch.setattr(
        load_reference_data, "load_commune_coordinates", lambda force: LoadResult(True)
    )
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "métiers : chargé" in out.getvalue()
    assert "404 métiers" in out.getvalue()
