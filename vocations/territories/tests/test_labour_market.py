"""Real BMO 2024 extracts through the importer, the labour-market loader and the shipped file."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import ReferenceDataset
from vocations.territories import selectors
from vocations.territories.models import (
    EmploymentArea,
    FamilyTension,
    HiringNeed,
    RomeTension,
    TradeFamilyFigure,
)
from vocations.territories.services import (
    DEFAULT_LABOUR_MARKET_PATH,
    import_hiring_needs,
    load_geography,
    load_labour_market,
)
from vocations.territories.services import labour_market as labour_market_module

from .conftest import DATA_DIR, MINI_GEOGRAPHY, write_geography

# 23 lines cut from France Travail's Base_open_data_BMO_2024.xlsx, unchanged: Soudeurs
# (D1X33) in the Rhône, Bouches-du-Rhône, Corse-du-Sud and La Réunion, Régleurs (D0X33) in the
# Rhône, and Agriculteurs in bassin 1118, which straddles Seine-et-Marne and Essonne.
EXTRACT = DATA_DIR / "bmo_2024_extract.csv"
EXTRACT_TEXT = EXTRACT.read_text(encoding="utf-8")


@pytest.fixture
def geography(db, tmp_path):
    payload = json.loads(json.dumps(MINI_GEOGRAPHY))
    payload["regions"].append(["11", "Île-de-France"])
    payload["departments"] += [["77", "Seine-et-Marne", "11"], ["91", "Essonne", "11"]]
    payload["communes"] += [
        ["77288", "Melun", "77", "11", ["77000"], 41000],
        ["91228", "Évry-Courcouronnes", "91", "11", ["91000"], 69000],
    ]
    return load_geography(path=write_geography(tmp_path / "geo.json.gz", payload))


def _import(content: bytes, filename="bmo.csv", **kwargs):
    return import_hiring_needs(file=io.BytesIO(content), filename=filename, **kwargs)


def _rhone_welders():
    return HiringNeed.objects.filter(bmo_code="D1X33", department__code="69")


@pytest.mark.django_db
class TestRealExtract:
    def test_masked_counts_are_kept_as_masked(self, geography):
        result = _import(EXTRACT_TEXT.encode())
        assert result.errors == [] and result.created == 23
        oullins = _rhone_welders().get(employment_area__code="8439")
        # "*" in met, xmet and smet: unknown, never 0 or 1.
        assert (oullins.projects, oullins.difficult, oullins.seasonal) == (None, None, None)
        assert oullins.masked is True
        rhone_est = _rhone_welders().get(employment_area__code="8430")
        assert (rhone_est.projects, rhone_est.difficult, rhone_est.seasonal) == (57, 48, None)
        assert rhone_est.masked is True
        assert HiringNeed.objects.filter(masked=False).count() == 1  # Réunion Sud: 69, 62, 15

    def test_rhone_welders_sum_and_masked_bassins(self, geography):
        _import(EXTRACT_TEXT.encode())
        need = selectors.trade_need(bmo_codes=["D1X33"], department_code="69")
        # 57 + 21 + 43 + 15 + 14, and three bassins whose count is masked.
        assert need["projects"] == 150 and need["difficult"] == 136
        assert need["masked_areas"] == 3 and need["year"] == 2024

    def test_bassin_straddling_two_departements(self, geography):
        _import(EXTRACT_TEXT.encode())
        area = EmploymentArea.objects.get(code="1118")
        rows = dict(
            HiringNeed.objects.filter(employment_area=area).values_list(
                "department__code", "projects"
            )
        )
        assert rows == {"77": 6, "91": 12}
        totals = {
            r["department_code"]: r["projects"] for r in selectors.hiring_need_by_department()
        }
        assert totals["77"] == 6 and totals["91"] == 12

    @pytest.mark.parametrize("year", ["22", "23", "24", "25"])
    def test_every_bassin_column_naming(self, geography, year):
        text = EXTRACT_TEXT.replace("BE24", f"BE{year}")
        result = _import(text.encode("utf-8"))
        assert result.errors == [] and result.created == 23

    def test_xlsx_made_from_the_extract(self, geography):
        workbook = Workbook()
        notes = workbook.active
        # As in the official file: a first sheet naming the variables one per row.
        notes.title = "Description des variables"
        for _ in range(6):
            notes.append([])
        notes.append([None, "Variables ", "Description "])
        notes.append([None, "annee", 2024])
        notes.append([None, "Code métier BMO", "Code métier BMO (FAP)"])
        notes.append([None, "BE24", "Code bassin d'emploi "])
        notes.append([None, "met", "Nombre de projet de recrutement "])
        sheet = workbook.create_sheet("BMO_2024_open_data")
        for line in EXTRACT_TEXT.splitlines():
            cells = line.split(";")
            # Excel stores counts as numbers and drops leading zeros of département codes.
            sheet.append([int(c) if c.isdigit() and i >= 11 else c for i, c in enumerate(cells)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        result = _import(buffer.getvalue(), filename="Base_open_data_BMO_2024.xlsx")
        assert result.errors == [] and result.created == 23
        assert _rhone_welders().get(employment_area__code="8439").projects is None

    def test_bassin_region_differs_from_the_departement_region(self, geography):
        # Real lines: bassin 5313 REDON is in Bretagne (REG 53) and reaches Loire-Atlantique.
        from vocations.territories.models import Department, Region

        pdl = Region.objects.create(code="52", name="Pays de la Loire", slug="pdl")
        Department.objects.create(code="44", name="Loire-Atlantique", slug="la", region=pdl)
        header = EXTRACT_TEXT.splitlines()[0]
        lines = [
            "2024;A0X40;Agriculteurs;Z;Autres métiers;53;Bretagne;44;Loire-Atlantique;5313;"
            "REDON;11;11;11",
            "2024;B1X31;Maçons qualifiés;O;Ouvriers de la construction et du bâtiment;53;"
            "Bretagne;44;Loire-Atlantique;5313;REDON;17;5;*",
        ]
        result = _import("\n".join([header, *lines]).encode())
        assert result.errors == [] and result.created == 2
        assert EmploymentArea.objects.get(code="5313").department.code == "44"

    def test_progress_is_reported(self, geography, monkeypatch):
        from vocations.territories.services import hiring_needs

        monkeypatch.setattr(hiring_needs, "PROGRESS_EVERY", 10)
        seen = []
        _import(EXTRACT_TEXT.encode(), progress=seen.append)
        assert seen == [10, 20]

    def test_command_shows_progress_and_line_errors(self, geography, tmp_path, monkeypatch):
        from vocations.territories.services import hiring_needs

        monkeypatch.setattr(hiring_needs, "PROGRESS_EVERY", 10)
        path = tmp_path / "bmo.csv"
        path.write_text(EXTRACT_TEXT, encoding="utf-8")
        out = io.StringIO()
        call_command("import_bmo", str(path), stdout=out)
        assert "… 10 lignes lues" in out.getvalue()
        assert "23 créée(s)" in out.getvalue()
        bad = EXTRACT_TEXT.replace(";57;48;*", ";57;quarante;*")
        path.write_text(bad, encoding="utf-8")
        err = io.StringIO()
        with pytest.raises(Exception, match="rien n'a été importé"):
            call_command("import_bmo", str(path), stdout=io.StringIO(), stderr=err)
        assert "Ligne 6 : projets jugés difficiles (xmet)" in err.getvalue()


def _mini_labour_market(tmp_path, **changes):
    """A labour-market file in the shipped format holding real rows for our mini geography."""
    payload = {
        "format": 1,
        "sources": {},
        "bmo": {
            "year": 2024,
            "trades": {"D1X33": ["Soudeurs", "I", "Ouvriers des secteurs de l'industrie"]},
            "areas": {"8430": ["RHONE EST", "69"], "8439": ["OULLINS", "69"]},
            "rows": [
                ["D1X33", "8430", "69", 57, 48, None],
                ["D1X33", "8439", "69", None, None, None],
            ],
        },
        "area_communes": {"8430": ["69123"], "8439": ["69259", "99999"]},
        "tension": {
            "year": 2020,
            "areas": {"8421": ["LYON", "69"]},
            "rome_labels": {"H2913": "Soudage manuel"},
            "rows": [["H2913", "8421", 40, 60, 4]],
        },
        "dares_tension": {
            "year": 2019,
            "causes": [],
            "rows": [
                ["D2Z42", "", 37100, 5, 5, 4, 2, 4, 3, 2],
                ["D2Z42", "69", 900, 5, 5, 4, 2, 3, 3, 2],
            ],
        },
        "wages": {"period": "2017-2019", "values": {"D2Z": 1756}},
        "women": {"period": "2017-2019", "values": {"D2Z": 3.9}, "labels": {}},
    }
    payload.update(changes)
    path = tmp_path / "labour_market.json.gz"
    path.write_bytes(gzip.compress(json.dumps(payload).encode(), mtime=0))
    return path


def _counts():
    return (
        HiringNeed.objects.count(),
        RomeTension.objects.count(),
        FamilyTension.objects.count(),
        TradeFamilyFigure.objects.count(),
        EmploymentArea.communes.through.objects.count(),
    )


@pytest.mark.django_db
class TestLoader:
    def test_loads_then_skips_then_reloads(self, geography, tmp_path):
        path = _mini_labour_market(tmp_path)
        result = load_labour_market(path=path)
        assert not result.skipped
        # Commune 99999 is unknown to the géographie: skipped, not an error.
        assert _counts() == (2, 1, 2, 1, 2)
        assert HiringNeed.objects.get(employment_area__code="8439").masked
        assert load_labour_market(path=path).skipped
        again = load_labour_market(path=path, force=True)
        assert not again.skipped and _counts() == (2, 1, 2, 1, 2)

    def test_other_years_imported_by_hand_stay(self, geography, tmp_path):
        _import(EXTRACT_TEXT.replace("\n2024;", "\n2023;").encode())
        load_labour_market(path=_mini_labour_market(tmp_path))
        assert HiringNeed.objects.filter(year=2023).count() == 23
        assert HiringNeed.objects.filter(year=2024).count() == 2

    def test_all_or_nothing(self, geography, tmp_path):
        load_labour_market(path=_mini_labour_market(tmp_path))
        before = _counts()
        checksum = ReferenceDataset.objects.get(name="labour_market").checksum
        bad_dir = tmp_path / "bad"
        bad_dir.mkdir()
        bad = _mini_labour_market(
            bad_dir,
            dares_tension={
                "year": 2019,
                "causes": [],
                "rows": [["D2Z42", "33", 1, 1, 1, 1, 1, 1, 1, 1]],
            },
        )
        with pytest.raises(ReferenceDataError, match="Département.*inconnu.*33"):
            load_labour_market(path=bad)
        assert _counts() == before
        assert ReferenceDataset.objects.get(name="labour_market").checksum == checksum

    def test_failure_midway_writes_nothing(self, geography, tmp_path, monkeypatch):
        def boom(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(labour_market_module, "_replace_family_figures", boom)
        with pytest.raises(RuntimeError):
            load_labour_market(path=_mini_labour_market(tmp_path))
        assert _counts() == (0, 0, 0, 0, 0)
        assert not EmploymentArea.objects.exists()

    def test_unreadable_file(self, geography, tmp_path):
        path = tmp_path / "broken.json.gz"
        path.write_bytes(b"not gzip")
        with pytest.raises(ReferenceDataError, match="illisible"):
            load_labour_market(path=path)

    def test_needs_the_geography(self, db, tmp_path):
        with pytest.raises(ReferenceDataError, match="géographie n'est pas chargée"):
            load_labour_market(path=_mini_labour_market(tmp_path))


@pytest.fixture(scope="module")
def shipped():
    with gzip.open(DEFAULT_LABOUR_MARKET_PATH, "rb") as handle:
        return json.loads(handle.read())


class TestShippedFile:
    """The committed file holds France Travail's and DARES's figures, as published."""

    def test_bmo_totals_match_the_publication(self, shipped):
        rows = shipped["bmo"]["rows"]
        trades = shipped["bmo"]["trades"]
        assert len(rows) == 53_443 and len(trades) == 217 and len(shipped["bmo"]["areas"]) == 406
        assert sum(r[3] or 0 for r in rows) == 2_751_069
        assert sum(r[3] or 0 for r in rows if trades[r[0]][1] == "I") == 245_066
        # Masked counts are null, never 0 or 1 standing in for "*".
        assert sum(r[3] is None for r in rows) == 10_891

    def test_rhone_welders(self, shipped):
        rhone = [r for r in shipped["bmo"]["rows"] if r[0] == "D1X33" and r[2] == "69"]
        assert sum(r[3] or 0 for r in rhone) == 150
        assert sum(r[3] is None for r in rhone) == 3

    def test_dares_figures_for_welders(self, shipped):
        national = [r for r in shipped["dares_tension"]["rows"] if r[0] == "D2Z42" and not r[1]]
        assert national == [["D2Z42", "", 37100, 5, 5, 4, 2, 4, 3, 2]]
        assert shipped["wages"]["values"]["D2Z"] == 1756
        assert shipped["women"]["values"]["D2Z"] == 3.9

    def test_file_is_compact(self):
        assert DEFAULT_LABOUR_MARKET_PATH.stat().st_size < 1_000_000
