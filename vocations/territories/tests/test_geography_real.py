"""The shipped geography file, loaded for real: counts, samples, idempotence, bad files."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import AuditEntry, ReferenceDataset
from vocations.territories import selectors
from vocations.territories.models import (
    Commune,
    Department,
    DepartmentPopulation,
    PostalCode,
    Region,
)
from vocations.territories.services import DEFAULT_GEOGRAPHY_PATH, geography, load_geography

from .conftest import MINI_GEOGRAPHY, write_geography

# Counted once from @etalab/decoupage-administratif 6.0.0 (data/*.json): every région and
# département, communes of type "commune-actuelle", and their (postal code, commune) pairs.
EXPECTED_REGIONS = 26
EXPECTED_DEPARTMENTS = 109
EXPECTED_COMMUNES = 34_969
EXPECTED_POSTAL_CODES = 35_493


def _db_counts() -> tuple[int, int, int, int]:
    return (
        Region.objects.count(),
        Department.objects.count(),
        Commune.objects.count(),
        PostalCode.objects.count(),
    )


@pytest.fixture(scope="module")
def full_geography(django_db_setup, django_db_blocker):
    """Load the real file once for this module and remove it afterwards.

    Each test still runs in its own rolled-back transaction, so what a test changes on top
    of the loaded data never leaks; the teardown leaves the database as it found it.
    """
    with django_db_blocker.unblock():
        result = load_geography(force=True)
        yield result
        # Plain DELETEs: the ORM's delete() would first fetch ~70,000 rows to cascade.
        with connection.cursor() as cursor:
            for model in (DepartmentPopulation, PostalCode, Commune, Department, Region):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model table name)
        ReferenceDataset.objects.filter(name=geography.DATASET_NAME).delete()
        AuditEntry.objects.filter(action="territories.geography_loaded").delete()


@pytest.mark.django_db
class TestRealFile:
    def test_counts_match_the_package(self, full_geography):
        assert full_geography.skipped is False
        assert full_geography.counts == {
            "régions": EXPECTED_REGIONS,
            "départements": EXPECTED_DEPARTMENTS,
            "communes": EXPECTED_COMMUNES,
            "codes postaux": EXPECTED_POSTAL_CODES,
        }
        assert _db_counts() == (
            EXPECTED_REGIONS,
            EXPECTED_DEPARTMENTS,
            EXPECTED_COMMUNES,
            EXPECTED_POSTAL_CODES,
        )
        # Seconds, not minutes, even on a slow CI runner.

    def test_lyon_has_exactly_its_nine_arrondissement_postal_codes(self, full_geography):
        lyon = selectors.commune_by_insee("69123")
        assert lyon.name == "Lyon"
        assert lyon.department.code == "69"
        assert lyon.region.name == "Auvergne-Rhône-Alpes"
        assert lyon.population > 400_000
        assert sorted(p.code for p in lyon.postal_codes.all()) == [f"6900{i}" for i in range(1, 10)]

    def test_marseille_ajaccio_and_a_dom_commune(self, full_geography):
        marseille = selectors.commune_by_insee("13055")
        assert (marseille.name, marseille.department.name) == ("Marseille", "Bouches-du-Rhône")
        ajaccio = selectors.commune_by_insee("2a004")  # case-insensitive lookup
        assert ajaccio.name == "Ajaccio"
        assert (ajaccio.department.code, ajaccio.department.name) == ("2A", "Corse-du-Sud")
        assert ajaccio.region.name == "Corse"
        saint_denis = selectors.commune_by_insee("97411")
        assert saint_denis.name == "Saint-Denis"
        assert (saint_denis.department.code, saint_denis.region.code) == ("974", "04")
        assert saint_denis.region.name == "La Réunion"
        assert "97400" in {p.code for p in saint_denis.postal_codes.all()}

    def test_only_current_communes_are_kept(self, full_geography):
        # 69381 is Lyon 1er arrondissement (an arrondissement municipal, not a commune).
        assert selectors.commune_by_insee("69381") is None
        assert [c.insee_code for c in selectors.communes_for_postal_code("69001")] == ["69123"]

    def test_slugs(self, full_geography):
        assert Region.objects.get(code="93").slug == "provence-alpes-cote-dazur"
        assert Department.objects.get(code="2A").slug == "corse-du-sud"

    def test_second_run_is_skipped(self, full_geography, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            result = load_geography()
        assert result.skipped is True
        assert result.counts["communes"] == EXPECTED_COMMUNES

    def test_forced_run_reloads_without_duplicates(self, full_geography):
        lyon_pk = Commune.objects.get(insee_code="69123").pk
        result = load_geography(force=True)
        assert result.skipped is False
        assert _db_counts() == (
            EXPECTED_REGIONS,
            EXPECTED_DEPARTMENTS,
            EXPECTED_COMMUNES,
            EXPECTED_POSTAL_CODES,
        )
        assert Commune.objects.get(insee_code="69123").pk == lyon_pk
        duplicated = (
            PostalCode.objects.values("code", "commune").annotate(n=Count("id")).filter(n__gt=1)
        )
        assert not duplicated.exists()

    def test_corrupt_file_leaves_database_unchanged(self, full_geography, tmp_path):
        before = _db_counts()
        checksum = ReferenceDataset.objects.get(name=geography.DATASET_NAME).checksum
        bad = tmp_path / "geography.json.gz"
        bad.write_bytes(DEFAULT_GEOGRAPHY_PATH.read_bytes()[:5000])  # truncated archive
        with pytest.raises(ReferenceDataError, match="gzip corrompue ou tronquée"):
            load_geography(force=True, path=bad)
        assert _db_counts() == before
        assert ReferenceDataset.objects.get(name=geography.DATASET_NAME).checksum == checksum

    def test_partial_default_file_is_refused(self, full_geography, tmp_path, monkeypatch):
        partial = write_geography(tmp_path / "geography.json.gz", MINI_GEOGRAPHY)
        monkeypatch.setattr(geography, "DEFAULT_GEOGRAPHY_PATH", partial)
        before = _db_counts()
        with pytest.raises(ReferenceDataError, match=r"fichier partiel : 6 communes seulement"):
            load_geography(force=True)
        assert _db_counts() == before
        assert Commune.objects.filter(insee_code="69123", postal_codes__code="69009").exists()

    def test_selectors(self, full_geography, django_assert_num_queries):
        with django_assert_num_queries(1):  # départements joined to their régions
            departments = list(selectors.departments_with_regions())
            regions_of = {d.code: d.region.name for d in departments}
        assert len(departments) == EXPECTED_DEPARTMENTS
        assert regions_of["2A"] == "Corse"
        assert regions_of["971"] == "Guadeloupe"
        assert [r.name for r in selectors.region_list()][:2] == [
            "Auvergne-Rhône-Alpes",
            "Bourgogne-Franche-Comté",
        ]
        with django_assert_num_queries(1):  # communes joined to département and région
            names = [
                (c.name, c.department.code) for c in selectors.communes_for_postal_code("20000")
            ]
        assert names == [("Ajaccio", "2A")]
