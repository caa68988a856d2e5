"""Register then attribute: one sequence for the public form and the API.

vocations/analytics/registrations.py; the form's side is in web/tests/test_registration_form.py.
"""

from __future__ import annotations

import pytest

from vocations.analytics import services as analytics_services
from vocations.analytics.registrations import registration_create_from_visit
from vocations.events.models import Registration
from vocations.events.tests.test_registrations_support import make_department, make_event, person

pytestmark = pytest.mark.django_db

VISIT_KEY = "AbCdEfGhIjKlMnOpQrStUv"  # the shape of a visit key: 22 url-safe characters


@pytest.fixture
def calls(monkeypatch):
    made = []
    monkeypatch.setattr(
        analytics_services,
        "attribute_registration",
        lambda *, registration, visit_key: made.append((registration.pk, visit_key)),
    )
    return made


@pytest.fixture
def broken_attribution(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("analytics down")

    monkeypatch.setattr(analytics_services, "attribute_registration", broken)


def create(event, key="k1", visit_key=VISIT_KEY):
    return registration_create_from_visit(
        event=event,
        session=None,
        data=person(),
        idempotency_key=key,
        idempotency_scope="test",
        visit_key=visit_key,
    )


def test_a_new_registration_is_attributed_once_and_a_replay_is_not(calls):
    event = make_event()
    first = create(event)
    replay = create(event)
    assert replay.pk == first.pk and not replay.created_now
    assert calls == [(first.pk, VISIT_KEY)]


def test_no_visit_key_no_attribution(calls):
    create(make_event(), visit_key="")
    assert calls == []


def test_an_attribution_error_never_costs_the_registration(broken_attribution, caplog):
    registration = create(make_event())
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert f"registration {registration.pk} not attributed" in caplog.text


def test_the_api_keeps_a_registration_whose_attribution_failed(client, broken_attribution):
    # The API used to let this error escape: a saved registration answered with a 500.
    make_department("69")
    event = make_event()
    body = {
        "kind": "individual",
        "email": "lea@example.fr",
        "first_name": "Léa",
        "last_name": "Martin",
        "audience": "young_people",
        "consent": True,
        "visit_key": VISIT_KEY,
    }
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert Registration.objects.filter(event=event).count() == 1


def test_the_api_and_the_form_attribute_through_the_same_function(client, calls):
    make_department("69")
    event = make_event()
    body = {
        "kind": "individual",
        "email": "api@example.fr",
        "first_name": "Léa",
        "last_name": "Martin",
        "audience": "young_people",
        "consent": True,
        "visit_key": VISIT_KEY,
    }
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert calls == [(Registration.objects.get(email="api@example.fr").pk, VISIT_KEY)]
