"""The geography loader on small hand-made files: validation, updates, selectors."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import ReferenceDataset
from vocations.territories import selectors
from vocations.territories.models import Commune, Department, PostalCode, Region
from vocations.territories.services import load_geography

from .conftest import MINI_GEOGRAPHY, write_geography


def _db_counts() -> tuple[int, int, int, int]:
    return (
        Region.objects.count(),
        Department.objects.count(),
        Commune.objects.count(),
        PostalCode.objects.count(),
    )


@pytest.mark.django_db
class TestSmallFiles:
    def test_commune_pointing_to_unknown_department(self, tmp_path):
        payload = json.loads(json.dumps(MINI_GEOGRAPHY))
        payload["communes"].append(["99001", "Nulle-Part", "99", "84", ["99000"], 1])
        path = write_geography(tmp_path / "bad.json.gz", payload)
        with pytest.raises(ReferenceDataError) as excinfo:
            load_geography(path=path)
        assert "commune 99001 (Nulle-Part) : département « 99 » inconnu" in str(excinfo.value)
        assert "rien n'a été chargé" in str(excinfo.value)
        assert _db_counts() == (0, 0, 0, 0)
        assert not ReferenceDataset.objects.exists()

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"not gzip at all", "gzip corrompue"),
            (gzip.compress(b"{not json"), "JSON invalide"),
            (gzip.compress(b'{"format": 1, "regions": []}'), "clé(s) manquante(s) : departments"),
            (
                gzip.compress(b'{"format": 2, "regions": [], "departments": [], "communes": []}'),
                "format 2",
            ),
        ],
        ids=["not-gzip", "bad-json", "missing-key", "unknown-format"],
    )
    def test_unreadable_files(self, tmp_path, content, message):
        path = tmp_path / "geo.json.gz"
        path.write_bytes(content)
        with pytest.raises(ReferenceDataError, match=re.escape(message)):
            load_geography(path=path)
        assert _db_counts() == (0, 0, 0, 0)

    def test_inconsistent_region_and_bad_postal_code(self, tmp_path):
        payload = json.loads(json.dumps(MINI_GEOGRAPHY))
        payload["communes"][0][3] = "84"  # Marseille is not in Auvergne-Rhône-Alpes
        payload["communes"][1][4] = ["2000"]
        path = write_geography(tmp_path / "bad.json.gz", payload)
        with pytest.raises(ReferenceDataError) as excinfo:
            load_geography(path=path)
        message = str(excinfo.value)
        assert (
            "commune 13055 (Marseille) : région « 84 » incohérente avec le département 13"
            in message
        )
        assert "commune 2A004 (Ajaccio) : codes postaux invalides" in message
        assert _db_counts() == (0, 0, 0, 0)

    def test_missing_file(self, tmp_path):
        with pytest.raises(ReferenceDataError, match="introuvable"):
            load_geography(path=tmp_path / "absent.json.gz")

    def test_newer_file_updates_in_place(self, mini_geography, tmp_path):
        assert mini_geography.counts["communes"] == 6
        lyon_pk = Commune.objects.get(insee_code="69123").pk
        payload = json.loads(json.dumps(MINI_GEOGRAPHY))
        payload["communes"][2] = ["69123", "Lyon", "69", "84", ["69001", "69003"], 520000]
        payload["departments"][2][1] = "Rhône (nouveau nom)"
        del payload["communes"][3]  # Saint-Just-d'Avray leaves the file
        result = load_geography(path=write_geography(tmp_path / "v2.json.gz", payload))
        assert result.skipped is False
        lyon = Commune.objects.get(insee_code="69123")
        assert lyon.pk == lyon_pk
        assert lyon.population == 520000
        assert sorted(lyon.postal_codes.values_list("code", flat=True)) == ["69001", "69003"]
        assert Department.objects.get(code="69").slug == "rhone-nouveau-nom"
        # A commune gone from the file is kept (rows may point to it) but no longer found
        # by postal code.
        assert Commune.objects.filter(insee_code="69259").exists()
        assert [c.insee_code for c in selectors.communes_for_postal_code("69870")] == ["69066"]
        assert Commune.objects.count() == 6
        assert PostalCode.objects.count() == 11

    def test_same_small_file_is_skipped(self, mini_geography, mini_geography_path):
        assert load_geography(path=mini_geography_path).skipped is True
        assert load_geography(path=mini_geography_path, force=True).skipped is False
        assert _db_counts() == (4, 4, 6, 12)


@pytest.mark.django_db
class TestSelectorsOnSmallData:
    @pytest.mark.parametrize("code", ["", "6900", "690011", "69 001", "abcde", None])
    def test_bad_postal_code_gives_empty_result(self, mini_geography, code):
        result = selectors.communes_for_postal_code(code)
        assert list(result) == []

    def test_postal_code_shared_by_two_communes(self, mini_geography):
        names = [c.name for c in selectors.communes_for_postal_code(" 69870 ")]
        assert names == ["Claveisolles", "Saint-Just-d'Avray"]

    def test_unknown_insee_code(self, mini_geography):
        assert selectors.commune_by_insee("00000") is None
