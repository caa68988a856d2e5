"""Open data: aggregate figures per département and per wave, JSON and CSV, under the Licence
Ouverte 2.0; the event feed states its licence; OpenAPI documents it all."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from vocations.analytics.links import resolve_link
from vocations.analytics.models import Attribution
from vocations.analytics.reports import campaign_report
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.analytics.services.rollups import rollup_visits
from vocations.analytics.tests.support import TEST_UA, build_world, register, register_group
from vocations.analytics.tests.support import request as fake_request
from vocations.campaigns.models import MediaFigure
from vocations.events.models import Registration
from vocations.territories.models import Department

pytestmark = pytest.mark.django_db
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@pytest.fixture
def world(settings):
    settings.ANALYTICS_BUFFER = "direct"
    settings.ANALYTICS_FLUSH_INTERVAL = 0
    world = build_world()
    rhone = Department.objects.get(code="69")
    type(world.event).objects.filter(pk=world.event.pk).update(department=rhone)
    now = timezone.now()
    visit = build_visit(
        fake_request(ua=TEST_UA),
        landing_path="/",
        source="qr",
        link=resolve_link(world.billboard_link.code),
        now=now,
    )
    record_visit(visit=visit)
    lea = register(world.event)
    attribute_registration(registration=lea, visit_key=visit["visit_key"])
    classe = register_group(world.event, pupils=20, adults=2)
    Registration.objects.filter(pk=classe.pk).update(attended=21)
    MediaFigure.objects.create(
        placement=world.tv,
        period_start=world.wave1.starts_on,
        period_end=world.wave1.starts_on,
        metric="spend_cents",
        value_milli=1_000_00 * 1000,
    )
    rollup_visits(since=now - dt.timedelta(hours=1))
    return world


def test_departments_json(client, world):
    response = client.get("/api/v1/donnees/departements/")
    assert response.status_code == 200
    body = response.json()
    assert body["licence"]["url"] == LICENCE_URL
    assert "Licence Ouverte" in body["licence"]["name"]
    rhone = next(row for row in body["results"] if row["code"] == "69")
    assert rhone == {
        "code": "69",
        "name": "Rhône",
        "region": "84",
        "events": 1,
        "seats_offered": 500,
        "registrations": 2,
        "people_registered": 1 + 22,
        "pupils": 20,
        "attendance": 21,
    }


def test_departments_csv_adds_up_to_the_json(client, world):
    response = client.get("/api/v1/donnees/departements.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    json_rows = client.get("/api/v1/donnees/departements/").json()["results"]
    assert [r["code"] for r in rows] == [r["code"] for r in json_rows]
    assert sum(int(r["registrations"]) for r in rows) == Registration.objects.count()


def test_waves_json_and_csv_are_the_dashboard_figures(client, world):
    body = client.get("/api/v1/donnees/vagues/").json()
    assert body["licence"]["url"] == LICENCE_URL
    first = body["results"][0]
    report = campaign_report(campaign=world.campaign)
    wave = report.waves[0].figures
    assert (first["wave"], first["name"]) == (1, "Vague 1")
    assert first["visits"] == wave.visits == 1
    assert first["registrations_last_touch"] == wave.registrations == Attribution.objects.count()
    assert first["committed_cents"] == 1_300_000_00
    assert first["reported_spend_cents"] == 1_000_00
    second = body["results"][1]
    assert second["reported_spend_cents"] is None  # not declared: null, never 0
    response = client.get("/api/v1/donnees/vagues.csv")
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["visits"] == "1" and rows[1]["reported_spend_cents"] == ""


def test_open_data_query_counts(client, world, django_assert_num_queries):
    # Départements: events by département, registrations by département, départements.
    with django_assert_num_queries(3):
        client.get("/api/v1/donnees/departements/")
    # Waves: campaigns, then per campaign the dashboard's six queries and its waves.
    with django_assert_num_queries(1 + 7):
        client.get("/api/v1/donnees/vagues/")
    build_world()
    with django_assert_num_queries(1 + 7 * 2):
        client.get("/api/v1/donnees/vagues/")


def test_event_feed_states_its_licence(client, world):
    response = client.get("/api/v1/events/")
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    assert response.json()["licence"]["url"] == LICENCE_URL


def test_openapi_documents_open_data_and_the_licence(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["license"]["url"] == LICENCE_URL
    for path in ("departements/", "departements.csv", "vagues/", "vagues.csv"):
        assert f"/api/v1/donnees/{path}" in spec["paths"]
    csv_doc = spec["paths"]["/api/v1/donnees/vagues.csv"]["get"]["responses"]["200"]
    assert "text/csv" in csv_doc["content"]
    assert "Licence Ouverte" in spec["info"]["description"]
