"""The gate in front of a django-ninja endpoint: the same order as in the back-office (401,
404 out of scope, 403 without the right, the object injected), in the API's JSON shape, and the
schema shows the URL key, not the injected object. Mounted on a test-only API."""

from __future__ import annotations

import pytest
from django.urls import path
from ninja import NinjaAPI, Router

from vocations.accounts.models import Membership, Organization, User
from vocations.analytics.tests.support import make_event
from vocations.api.gate import Lookup, api_gate
from vocations.events.models import Event
from vocations.events.selectors import event_for_user

pytestmark = pytest.mark.django_db

EVENT = Lookup("event", "event_id", event_for_user, "Événement introuvable.", scoped_for="view")
router = Router()


@router.get("/events/{event_id}/title")
@api_gate("view", EVENT)
def event_title(request, event: Event, shout: bool = False):
    return {"title": event.title.upper() if shout else event.title}


@router.post("/events/{event_id}/rename")
@api_gate("change", EVENT, denied="Lecture seule.")
def event_rename(request, event: Event):
    return {"renamed": event.pk}


test_api = NinjaAPI(urls_namespace="gate_test_api")
test_api.add_router("/", router)
urlpatterns = [path("gate-api/", test_api.urls)]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def people(db):
    forges = Organization.objects.create(name="Forges", slug="forges", kind="company")
    other = Organization.objects.create(name="Autre", slug="autre", kind="company")
    users = {
        role: User.objects.create_user(f"{role}@exemple.fr", "mot-de-passe-test")
        for role in ("owner", "viewer", "stranger")
    }
    Membership.objects.create(user=users["owner"], organization=forges, role="owner")
    Membership.objects.create(user=users["viewer"], organization=forges, role="viewer")
    Membership.objects.create(user=users["stranger"], organization=other, role="owner")
    return users, make_event(forges, title="Portes ouvertes")


def test_signed_out_is_a_json_401(client, people):
    _users, event = people
    response = client.get(f"/gate-api/events/{event.pk}/title")
    assert response.status_code == 401
    assert "connectez-vous" in response.json()["detail"]


def test_out_of_scope_is_a_404_and_in_scope_without_the_right_a_403(client, people):
    users, event = people
    client.force_login(users["stranger"])
    response = client.get(f"/gate-api/events/{event.pk}/title")
    assert (response.status_code, response.json()["detail"]) == (404, "Événement introuvable.")
    client.force_login(users["viewer"])
    assert client.get(f"/gate-api/events/{event.pk}/title").status_code == 200
    response = client.post(f"/gate-api/events/{event.pk}/rename")
    assert (response.status_code, response.json()["detail"]) == (403, "Lecture seule.")


def test_the_endpoint_gets_the_object_and_its_own_parameters(client, people):
    users, event = people
    client.force_login(users["owner"])
    response = client.get(f"/gate-api/events/{event.pk}/title?shout=true")
    assert response.json() == {"title": "PORTES OUVERTES"}
    assert client.post(f"/gate-api/events/{event.pk}/rename").json() == {"renamed": event.pk}


def test_the_schema_shows_the_url_key_not_the_object():
    schema = test_api.get_openapi_schema()
    parameters = schema["paths"]["/gate-api/events/{event_id}/title"]["get"]["parameters"]
    assert {(p["name"], p["in"]) for p in parameters} == {("event_id", "path"), ("shout", "query")}
    assert event_title.gate.action == "view"
