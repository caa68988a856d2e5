"""The open data feed: GET /api/v1/events/, /api/v1/events/{id}/ and the OpenAPI spec."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from vocations.events.models import Label

from .factories import (
    make_event,
    make_geography,
    make_organization,
    make_sector,
    make_trade,
    moment,
)

URL = "/api/v1/events/"


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def org(db):
    return make_organization()


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


# A small validator for the subset of JSON Schema that django-ninja emits (jsonschema is not
# a dependency): $ref, anyOf, type, properties, required, items, format date-time.
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def validate(value, schema: dict, spec: dict, path: str = "$") -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return validate(value, spec["components"]["schemas"][name], spec, path)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                validate(value, option, spec, path)
                return None
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: no anyOf option matches: {errors}")
    expected = schema.get("type")
    if expected:
        python_type = _TYPES[expected]
        assert isinstance(value, python_type), f"{path}: {value!r} is not {expected}"
        if expected in ("integer", "number"):
            assert not isinstance(value, bool), f"{path}: boolean for {expected}"
    if schema.get("format") == "date-time":
        dt.datetime.fromisoformat(value)
    if expected == "object" and "properties" in schema:
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        for key, item in value.items():
            assert key in schema["properties"], f"{path}: unexpected key {key}"
            validate(item, schema["properties"][key], spec, f"{path}.{key}")
    if expected == "array" and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], spec, f"{path}[{i}]")
    return None


def response_schema(spec: dict, path: str, status: str = "200") -> dict:
    return spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


@pytest.mark.django_db
def test_openapi_lists_the_endpoints_and_their_filters(spec):
    assert "/api/v1/events/" in spec["paths"]
    assert "/api/v1/events/{event_id}/" in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert names == {
        "region",
        "departement",
        "commune",
        "code_postal",
        "rayon",
        "du",
        "au",
        "type",
        "public",
        "filiere",
        "metier",
        "places",
        "en_ligne",
        "q",
        "limit",
        "offset",
    }
    for parameter in spec["paths"]["/api/v1/events/"]["get"]["parameters"]:
        assert parameter["description"], parameter["name"]
    event = spec["components"]["schemas"]["EventOut"]
    assert set(event["required"]) >= {"id", "slug", "url", "title", "starts_at", "place"}


@pytest.mark.django_db
def test_list_matches_the_openapi_schema(client, spec, geo, org):
    make_event(
        organization=org,
        title="Forum Lyon",
        commune=geo["Lyon"],
        capacity=30,
        audiences=("parents", "young_people"),
        sectors=(make_sector(),),
        trades=(make_trade(),),
    )
    make_event(organization=org, title="Webinaire")

    body = client.get(URL).json()

    validate(body, response_schema(spec, "/api/v1/events/"), spec)
    assert body["count"] == 2
    assert body["warnings"] == []
    assert body["next"] is None and body["previous"] is None
    forum = next(e for e in body["results"] if e["title"] == "Forum Lyon")
    assert forum["place"] == {
        "commune": "Lyon",
        "insee_code": "69123",
        "postal_code": "69001",
        "department": "69",
        "region": "84",
        "latitude": 45.7578,
        "longitude": 4.832,
        "address": "Usine des Forges, 12 rue de l'Industrie",
    }
    assert forum["audiences"] == ["young_people", "parents"]
    assert forum["sectors"] == [{"slug": "metallurgie", "name": "Métallurgie"}]
    assert forum["trades"] == [{"rome_code": "H2913", "title": "Soudeur / Soudeuse"}]
    assert forum["capacity"] == 30 and forum["seats_left"] == 30
    assert forum["label"] == "labelled"
    assert forum["organizer"] == "Forges de Lyon"
    assert forum["url"] == f"http://127.0.0.1:8000/evenements/{forum['slug']}/"
    assert forum["kind"] == "open_day" and forum["kind_label"] == "Journée portes ouvertes"
    online = next(e for e in body["results"] if e["title"] == "Webinaire")
    assert online["place"] is None and online["is_online"] is True
    assert online["seats_left"] is None and online["capacity"] is None


@pytest.mark.django_db
def test_detail_matches_the_schema_and_hides_non_public(client, spec, geo, org):
    event = make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])
    draft = make_event(organization=org, commune=geo["Lyon"], label_state=Label.State.SUBMITTED)

    response = client.get(f"/api/v1/events/{event.pk}/")
    assert response.status_code == 200
    validate(response.json(), response_schema(spec, "/api/v1/events/{event_id}/"), spec)
    assert response.json()["id"] == event.pk

    for pk in (draft.pk, 999_999):
        missing = client.get(f"/api/v1/events/{pk}/")
        assert missing.status_code == 404
        assert missing["Content-Type"].startswith("application/json")
        assert missing.json() == {"detail": "Événement introuvable (ou non publié)."}


@pytest.mark.django_db
def test_pagination_with_limit_offset_and_links(client, geo, org):
    for n in range(7):
        make_event(organization=org, title=f"E{n}", commune=geo["Lyon"], starts_at=moment(n + 1))

    first = client.get(URL, {"limit": "3", "type": "open_day"}).json()

    assert first["count"] == 7
    assert [e["title"] for e in first["results"]] == ["E0", "E1", "E2"]
    assert first["previous"] is None
    following = urlsplit(first["next"])
    assert following.path == URL
    assert parse_qs(following.query) == {"type": ["open_day"], "limit": ["3"], "offset": ["3"]}
    second = client.get(first["next"]).json()
    assert [e["title"] for e in second["results"]] == ["E3", "E4", "E5"]
    assert parse_qs(urlsplit(second["previous"]).query)["offset"] == ["0"]
    last = client.get(second["next"]).json()
    assert [e["title"] for e in last["results"]] == ["E6"]
    assert last["next"] is None
    beyond = client.get(URL, {"offset": "50"}).json()
    assert beyond["results"] == [] and beyond["count"] == 7


@pytest.mark.django_db
def test_limit_is_capped_and_bad_paging_warns(client, geo, org):
    make_event(organization=org, commune=geo["Lyon"])

    capped = client.get(URL, {"limit": "500"})
    assert capped.status_code == 200
    assert capped.json()["warnings"] == ["Limite ramenée à 100 événements par page."]
    bad = client.get(URL, {"limit": "beaucoup", "offset": "-4"}).json()
    assert bad["warnings"] == [
        "Limite ignorée : « beaucoup » n'est pas un nombre entre 1 et 100.",
        "Décalage ignoré : « -4 » n'est pas un entier positif.",
    ]
    assert bad["count"] == 1


@pytest.mark.django_db
def test_filters_are_the_finders(client, geo, org):
    make_event(organization=org, title="Forum Villeurbanne", commune=geo["Villeurbanne"])
    make_event(organization=org, title="Forum Vienne", commune=geo["Vienne"])
    make_event(organization=org, title="Forum Grenoble", commune=geo["Grenoble"])

    near = client.get(URL, {"code_postal": "69002", "rayon": "30"}).json()
    assert [e["title"] for e in near["results"]] == ["Forum Villeurbanne", "Forum Vienne"]
    isere = client.get(URL, {"departement": "38"}).json()
    # Same start time: ties are broken by id, so the order is stable between pages.
    assert [e["title"] for e in isere["results"]] == ["Forum Vienne", "Forum Grenoble"]
    both = client.get(URL + "?departement=38&q=grenoble").json()
    assert [e["title"] for e in both["results"]] == ["Forum Grenoble"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"du": "31/02"},
        {"type": "barbecue", "public": "martiens"},
        {"rayon": "loin", "code_postal": "69002"},
        {"q": "x" * 10_000},
        {"metier": "🏭" * 1000},
        {"region": "\x00zz"},
        {"limit": "1e9", "offset": "🏭"},
    ],
)
def test_nonsense_filters_return_200_with_warnings(client, geo, org, query):
    make_event(organization=org, commune=geo["Lyon"])

    response = client.get(URL, query)

    assert response.status_code == 200
    body = response.json()
    assert body["warnings"], query
    assert all(isinstance(w, str) and len(w) < 200 for w in body["warnings"])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_list_query_count_does_not_grow_with_events(
    client, geo, org, count, django_assert_max_num_queries
):
    sector, trade = make_sector(), make_trade()
    for n in range(count):
        make_event(
            organization=org,
            commune=geo["Lyon"],
            starts_at=moment(n + 1),
            audiences=("young_people", "parents"),
            sectors=(sector,),
            trades=(trade,),
        )
    # Count (1); the page's events with commune, department, region, organization joined (1);
    # their audiences (1), sectors (1), trades (1).
    with django_assert_max_num_queries(5):
        body = client.get(URL).json()
    assert len(body["results"]) == min(count, 20)
    # With a radius: the postal code's communes (1), the candidates (1), the same four.
    with django_assert_max_num_queries(6):
        body = client.get(URL, {"code_postal": "69002", "limit": "100"}).json()
    assert body["count"] == count


@pytest.mark.django_db
def test_datetimes_carry_their_offset(client, geo, org):
    make_event(organization=org, commune=geo["Lyon"])

    event = client.get(URL).json()["results"][0]

    for name in ("starts_at", "ends_at", "updated_at"):
        assert re.search(r"(Z|[+-]\d\d:\d\d)$", event[name]), event[name]
