"""The BMO importer, its management command and the hiring-need selectors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from vocations.core.exceptions import ImportFileError
from vocations.core.models import AuditEntry
from vocations.territories import selectors
from vocations.territories.models import EmploymentArea, HiringNeed
from vocations.territories.services import import_hiring_needs

from .conftest import BMO_SAMPLE

SAMPLE_TEXT = BMO_SAMPLE.read_text(encoding="utf-8")
HEADER, *SAMPLE_LINES = SAMPLE_TEXT.splitlines()
# From bmo_sample.csv: masked "*" counts are left out of the totals.
EXPECTED_TOTALS = {
    "69": (530, 430, 10),
    "13": (500, 350, 40),
    "974": (70, 20, 30),
    "2A": (30, 10, 20),
}


def _import(content: bytes, filename: str = "bmo.csv", **kwargs):
    return import_hiring_needs(file=io.BytesIO(content), filename=filename, **kwargs)


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def _snapshot():
    return sorted(
        HiringNeed.objects.values_list(
            "year",
            "bmo_code",
            "employment_area__code",
            "projects",
            "difficult",
            "seasonal",
            "bmo_name",
        )
    )


def _totals_by_department():
    return {
        row["department_code"]: (row["projects"], row["difficult"], row["seasonal"])
        for row in selectors.hiring_need_by_department()
    }


@pytest.mark.django_db
class TestImportGoodFiles:
    def test_sample_file(self, mini_geography):
        with BMO_SAMPLE.open("rb") as handle:
            result = import_hiring_needs(file=handle, filename=BMO_SAMPLE.name)
        assert result.written is True
        assert result.errors == []
        assert (result.lines, result.created, result.updated, result.unchanged) == (12, 12, 0, 0)
        assert result.areas_created == 7
        assert HiringNeed.objects.count() == 12
        lyon = EmploymentArea.objects.get(code="8421")
        assert (lyon.name, lyon.department.code) == ("Lyon", "69")
        assert EmploymentArea.objects.get(code="0401").department.code == "974"
        welders = HiringNeed.objects.get(year=2024, bmo_code="D2Z41", employment_area=lyon)
        assert (welders.bmo_name, welders.family_code) == ("Soudeurs", "I")
        assert welders.family_name == "Ouvriers des secteurs de l'industrie"
        assert (welders.projects, welders.difficult, welders.seasonal) == (180, 150, 10)
        assert AuditEntry.objects.filter(action="territories.hiring_needs_imported").count() == 1

    def test_masked_counts_become_none(self, mini_geography):
        _import(BMO_SAMPLE.read_bytes())
        masked = HiringNeed.objects.get(bmo_code="D2Z40", employment_area__code="8422")
        assert (masked.projects, masked.difficult, masked.seasonal) == (None, None, None)
        partly = HiringNeed.objects.get(bmo_code="D2Z40", employment_area__code="8421")
        assert (partly.projects, partly.difficult, partly.seasonal) == (310, 250, None)

    def test_reimport_changes_nothing(self, mini_geography):
        _import(BMO_SAMPLE.read_bytes())
        before = _snapshot()
        ids = sorted(HiringNeed.objects.values_list("pk", flat=True))
        result = _import(BMO_SAMPLE.read_bytes())
        assert (result.created, result.updated, result.unchanged) == (0, 0, 12)
        assert result.areas_created == 0
        assert _snapshot() == before
        assert sorted(HiringNeed.objects.values_list("pk", flat=True)) == ids
        assert EmploymentArea.objects.count() == 7

    def test_corrected_figures_update_in_place(self, mini_geography):
        _import(BMO_SAMPLE.read_bytes())
        corrected = SAMPLE_TEXT.replace("Lyon;310;250;*", "Lyon;320;250;*").encode()
        result = _import(corrected)
        assert (result.created, result.updated, result.unchanged) == (0, 1, 11)
        need = HiringNeed.objects.get(bmo_code="D2Z40", employment_area__code="8421")
        assert need.projects == 320
        assert HiringNeed.objects.count() == 12

    def test_utf8_bom_and_windows_1252(self, mini_geography):
        _import(b"\xef\xbb\xbf" + BMO_SAMPLE.read_bytes())
        expected = _snapshot()
        HiringNeed.objects.all().delete()
        result = _import(SAMPLE_TEXT.encode("cp1252"))
        assert result.errors == []
        assert _snapshot() == expected
        assert HiringNeed.objects.filter(bmo_name__startswith="Chaudronniers, tôliers").exists()
        assert EmploymentArea.objects.get(code="8422").name == "Villefranche-sur-Saône"

    def test_xlsx_with_numbers_title_row_and_other_year(self, mini_geography):
        workbook = Workbook()
        notes = workbook.active
        notes.title = "Notes"
        notes.append(["Enquête Besoins en Main-d'Œuvre 2023"])
        sheet = workbook.create_sheet("BMO_2023_open_data")
        sheet.append(["Enquête BMO 2023 — données ouvertes"])  # a title above the header
        sheet.append(HEADER.replace("BE24", "BE23").split(";"))
        for line in SAMPLE_LINES:
            cells: list[object] = line.replace("2024;", "2023;", 1).split(";")
            # Spreadsheets store codes and counts as numbers and drop leading zeros.
            cells[0] = 2023
            for index in (5, 7, 9):
                if cells[index].isdigit():
                    cells[index] = int(cells[index])
            for index in (11, 12, 13):
                if cells[index] != "*":
                    cells[index] = float(cells[index])
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)

        result = _import(buffer.getvalue(), filename="BMO_2023.xlsx")

        assert result.errors == []
        assert result.created == 12
        assert EmploymentArea.objects.get(code="0401").department.code == "974"
        assert set(HiringNeed.objects.values_list("year", flat=True)) == {2023}
        welders = HiringNeed.objects.get(bmo_code="D2Z41", employment_area__code="8421")
        assert (welders.projects, welders.difficult, welders.seasonal) == (180, 150, 10)
        assert _totals_by_department() == EXPECTED_TOTALS

    def test_management_command(self, mini_geography, capsys):
        call_command("import_bmo", str(BMO_SAMPLE))
        assert "12 créée(s)" in capsys.readouterr().out
        assert HiringNeed.objects.count() == 12


@pytest.mark.django_db
class TestImportBadFiles:
    def test_missing_columns_are_named(self, mini_geography):
        header = HEADER.replace(";met;", ";projets;").replace("NOMBE24", "NOM_BASSIN")
        with pytest.raises(ImportFileError) as excinfo:
            _import(_csv(*SAMPLE_LINES, header=header))
        message = str(excinfo.value)
        assert "Colonne(s) manquante(s) : met, NOMBEaa" in message
        assert HiringNeed.objects.count() == 0

    def test_not_a_bmo_file(self, mini_geography):
        with pytest.raises(ImportFileError, match="Code métier BMO"):
            _import(b"nom;prenom\nDupont;Jean\n")

    def test_two_bassin_years(self, mini_geography):
        with pytest.raises(ImportFileError, match="BE23, BE24"):
            _import(_csv(header="BE23;" + HEADER))

    def test_corrupt_xlsx_and_xls(self, mini_geography):
        with pytest.raises(ImportFileError, match="illisible ou corrompu"):
            _import(b"PK\x03\x04 not really a zip", filename="bmo.xlsx")
        with pytest.raises(ImportFileError, match=r"\.xls"):
            _import(b"\xd0\xcf\x11\xe0", filename="bmo.xls")

    def test_empty_file_and_missing_geography(self, db):
        with pytest.raises(ImportFileError, match="vide"):
            _import(b"")
        with pytest.raises(ImportFileError, match="load_reference_data"):
            _import(BMO_SAMPLE.read_bytes())

    def test_bad_lines_block_the_whole_import(self, mini_geography):
        bad = [
            SAMPLE_LINES[0],
            SAMPLE_LINES[1].replace(";180;150;10", ";beaucoup;150;10"),
            SAMPLE_LINES[2].replace(";69;Rhône;", ";99;Inconnu;"),
            SAMPLE_LINES[3],
            SAMPLE_LINES[0],  # the same year, trade and bassin again
            SAMPLE_LINES[4].replace("2024;", ";", 1),
            SAMPLE_LINES[5].replace(";93;", ";84;", 1),
        ]
        result = _import(_csv(*bad))
        assert result.written is False
        assert HiringNeed.objects.count() == 0
        assert EmploymentArea.objects.count() == 0
        messages = {error.line: error.message for error in result.errors}
        # Line 8's REG (84) differs from the département's région: accepted, as in the real
        # file, where REG is the bassin's région.
        assert sorted(messages) == [3, 4, 6, 7]
        assert "projets de recrutement (met) : nombre entier positif" in messages[3]
        assert "« beaucoup »" in messages[3]
        assert messages[4] == "département « 99 » inconnu"
        assert messages[6].startswith("doublon de la ligne 2")
        assert messages[7] == "année manquante"
        assert str(result.errors[0]).startswith("Ligne 3 : ")

    def test_valid_lines_only(self, mini_geography):
        lines = list(SAMPLE_LINES)
        lines[1] = lines[1].replace(";180;150;10", ";-5;150;10")
        result = _import(_csv(*lines), valid_lines_only=True)
        assert result.written is True
        assert [error.line for error in result.errors] == [3]
        assert result.created == 11
        assert not HiringNeed.objects.filter(
            bmo_code="D2Z41", employment_area__code="8421"
        ).exists()

    def test_year_argument(self, mini_geography):
        result = _import(BMO_SAMPLE.read_bytes(), year=2025)
        assert result.written is False
        assert len(result.errors) == 12
        assert result.errors[0].message == "année 2024 alors que l'import porte sur 2025"
        blank_year = _csv(SAMPLE_LINES[0].replace("2024;", ";", 1))
        assert _import(blank_year, year=2025).created == 1
        assert HiringNeed.objects.get().year == 2025

    def test_management_command_refuses_bad_file(self, mini_geography, tmp_path, capsys):
        path = tmp_path / "bmo.csv"
        path.write_bytes(_csv(SAMPLE_LINES[0], SAMPLE_LINES[1].replace("2024;", "20x4;", 1)))
        with pytest.raises(CommandError, match="rien n'a été importé"):
            call_command("import_bmo", str(path))
        assert "Ligne 3 : année invalide (« 20x4 »)" in capsys.readouterr().err
        assert HiringNeed.objects.count() == 0
        call_command("import_bmo", str(path), "--valid-lines-only")
        assert HiringNeed.objects.count() == 1
        with pytest.raises(CommandError, match="Colonne"):
            path.write_bytes(b"a;b\n1;2\n")
            call_command("import_bmo", str(path))


@pytest.mark.django_db
class TestHiringNeedSelectors:
    def test_totals_by_department(self, mini_geography, django_assert_num_queries):
        _import(BMO_SAMPLE.read_bytes())
        with django_assert_num_queries(2):  # latest year, then one grouped query
            rows = selectors.hiring_need_by_department()
        assert [row["department_code"] for row in rows] == ["69", "13", "974", "2A"]
        assert rows[0]["department_name"] == "Rhône"
        assert rows[0]["region_name"] == "Auvergne-Rhône-Alpes"
        assert rows[0]["year"] == 2024
        assert _totals_by_department() == EXPECTED_TOTALS

    def test_years_are_kept_apart(self, mini_geography):
        _import(BMO_SAMPLE.read_bytes())
        older = SAMPLE_TEXT.replace("2024;", "2023;").replace("BE24", "BE23")
        _import(older.replace("Lyon;310;250;*", "Lyon;100;50;*").encode())
        assert selectors.hiring_need_for_department("69") == {
            "year": 2024,
            "projects": 530,
            "difficult": 430,
            "seasonal": 10,
        }
        assert selectors.hiring_need_for_department("69", year=2023)["projects"] == 320
        assert {row["year"] for row in selectors.hiring_need_by_department(2023)} == {2023}

    def test_no_data(self, mini_geography):
        assert selectors.hiring_need_by_department() == []
        assert selectors.hiring_need_for_department("69") == {
            "year": None,
            "projects": 0,
            "difficult": 0,
            "seasonal": 0,
        }
        _import(BMO_SAMPLE.read_bytes())
        assert selectors.hiring_need_for_department("2A", year=2019)["projects"] == 0
