"""The check-in page (plain form, no JavaScript needed) and the JSON endpoint of its script."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vocations.events.models import Registration
from vocations.events.services import registration_cancel, registration_create
from vocations.events.tests.test_registrations_support import (
    group,
    make_department,
    make_event,
    person,
)
from vocations.events.tickets import ticket_payload

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    make_department("69")
    return make_event(org, title="Portes ouvertes aux Forges", capacity=60)


@pytest.fixture
def klass(event):
    return registration_create(event=event, data=group(pupils=25, adults=2))


def page(event, suffix=""):
    return f"/organisateur/evenements/{event.pk}/accueil/{suffix}"


def fresh(registration) -> Registration:
    return Registration.objects.get(pk=registration.pk)


def test_page_is_small_self_contained_and_not_cached(login, users, event, klass):
    response = login(users["owner"]).get(page(event))
    assert response.status_code == 200
    body = text(response)
    assert (
        'Arrivés : <strong id="count-arrived">0</strong> / <span id="count-expected">27</span>'
        in body
    )
    assert 'name="ticket"' in body and "Code du billet" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # No external resource: one small HTML page, one small stylesheet of this server (the CSP
    # forbids inline styles) and one deferred script.
    assert not re.search(r'(src|href)="(https?:)?//', body)
    assert re.findall(r'<script[^>]*src="([^"]+)"', body) == ["/static/backoffice/js/checkin.js"]
    assert re.findall(r'<link[^>]*href="([^"]+)"', body) == ["/static/backoffice/css/checkin.css"]
    assert len(response.content) < 12_000
    # The QR decoder is only referenced, loaded by the script when the camera needs it.
    assert 'data-jsqr="/static/vendor/jsqr-1.4.0/jsQR.js"' in body


def test_typed_code_without_javascript(login, users, event, klass):
    client = login(users["owner"])
    response = client.post(page(event), {"ticket": klass.ticket_code.upper()})
    body = text(response)
    assert response.status_code == 200
    assert "Bienvenue" in body
    assert "Collège Jean Moulin — Collège — 3e" in body
    assert "Paul Durand" in body
    assert "<strong>25</strong> élèves + <strong>2</strong> accompagnateurs" in body
    assert 'id="count-arrived">27<' in body
    # The correction form, pre-filled with the whole group.
    assert 'name="pupils_present"' in body and 'value="25"' in body
    assert fresh(klass).attended == 27

    response = client.post(page(event), {"ticket": ticket_payload(klass)})
    assert "Déjà scanné à " in text(response)
    assert re.search(r"Déjà scanné à \d{1,2} h \d\d", text(response))
    assert fresh(klass).attended == 27


def test_attendance_correction_without_javascript(login, users, event, klass):
    client = login(users["owner"])
    client.post(page(event), {"ticket": klass.ticket_code})
    response = client.post(
        page(event, f"{klass.pk}/presence/"), {"pupils_present": "24", "adults_present": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == page(event) + f"?inscription={klass.pk}"
    assert fresh(klass).attended == 26
    body = text(client.get(response["Location"]))
    assert "Présence enregistrée : 26 personnes" in body
    assert 'id="count-arrived">26<' in body


@pytest.mark.parametrize(
    "values, message",
    [
        ({"pupils_present": "26", "adults_present": "2"}, "Au plus 27 personnes"),
        ({"pupils_present": "-1", "adults_present": "2"}, "nombres entiers positifs"),
        ({"pupils_present": "vingt", "adults_present": "2"}, "nombres entiers positifs"),
    ],
)
def test_impossible_attendance_is_refused(login, users, event, klass, values, message):
    client = login(users["owner"])
    client.post(page(event), {"ticket": klass.ticket_code})
    response = client.post(page(event, f"{klass.pk}/presence/"), values)
    assert response.status_code == 400
    assert message in text(response)
    assert fresh(klass).attended == 27


@pytest.mark.parametrize(
    "ticket, message",
    [
        ("n'importe quoi", "Billet non reconnu"),
        ("AAAAAAAAAAAAAAAAAAAAAAAA", "Billet non reconnu"),
        ("forged", "Billet non reconnu"),
        ("other", "Ce billet est pour « Salon de l'orientation »"),
        ("cancelled", "Inscription annulée"),
    ],
)
def test_bad_tickets_show_a_french_message_and_change_nothing(
    login, users, org, event, klass, ticket, message
):
    if ticket == "forged":
        ticket = ticket_payload(klass)[:-3] + "abc"
    elif ticket == "other":
        other = make_event(org, title="Salon de l'orientation")
        ticket = ticket_payload(registration_create(event=other, data=person()))
    elif ticket == "cancelled":
        gone = registration_create(event=event, data=person("parti@example.fr"))
        registration_cancel(registration=gone)
        ticket = gone.ticket_code
    response = login(users["owner"]).post(page(event), {"ticket": ticket})
    assert response.status_code == 400
    assert f"✗</span> {message}" in text(response)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_viewer_cannot_check_in(login, users, event, klass):
    client = login(users["viewer"])
    response = client.get(page(event))
    assert response.status_code == 403
    assert "ne permet pas d'enregistrer les arrivées" in text(response)
    assert client.post(page(event), {"ticket": klass.ticket_code}).status_code == 403
    response = client.post(page(event, "scan/"), {"ticket": klass.ticket_code})
    assert response.status_code == 403
    assert response.json()["message"].startswith("Votre rôle de lecteur")
    assert fresh(klass).checked_in_at is None


def test_other_organization_gets_404(login, users, event, klass, other_org):
    client = login(users["other"])
    assert client.get(page(event)).status_code == 404
    assert client.post(page(event), {"ticket": klass.ticket_code}).status_code == 404
    assert client.post(page(event, "scan/"), {"ticket": klass.ticket_code}).status_code == 404
    response = client.post(page(event, f"{klass.pk}/presence/"), {"attended": "1"})
    assert response.status_code == 404
    assert fresh(klass).checked_in_at is None


def test_json_scan(login, users, event, klass):
    client = login(users["owner"])
    response = client.post(
        page(event, "scan/"),
        {"ticket": ticket_payload(klass), "scan_id": "phone-a-1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["ok"], data["status"], data["message"]) == (True, "welcome", "Bienvenue")
    assert data["counts"] == {"arrived": 27, "expected": 27, "checked_in": 1, "confirmed": 1}
    assert "Collège Jean Moulin" in data["html"] and "csrfmiddlewaretoken" in data["html"]

    # The same scan resent (its answer was lost): the original answer again.
    again = client.post(
        page(event, "scan/"), {"ticket": ticket_payload(klass), "scan_id": "phone-a-1"}
    )
    assert again.json()["status"] == "welcome"
    # Another scan of the same ticket: a warning, nothing counted.
    repeat = client.post(
        page(event, "scan/"), {"ticket": klass.ticket_code, "scan_id": "phone-b-1"}
    )
    assert repeat.json()["status"] == "already"
    assert repeat.json()["message"].startswith("Déjà scanné à ")
    assert repeat.json()["counts"]["arrived"] == 27


def test_json_errors(client, login, users, event, klass):
    response = client.post(page(event, "scan/"), {"ticket": klass.ticket_code})
    assert response.status_code == 401
    assert "reconnectez-vous" in response.json()["message"]
    client = login(users["owner"])
    response = client.post(page(event, "scan/"), {"ticket": "faux"})
    assert response.status_code == 400
    assert response.json()["message"] == "Billet non reconnu"
    assert response.json()["ok"] is False
    assert client.get(page(event, "scan/")).status_code == 405


def test_json_attendance(login, users, event, klass):
    client = login(users["owner"])
    client.post(page(event, "scan/"), {"ticket": klass.ticket_code})
    response = client.post(
        page(event, f"{klass.pk}/presence/"),
        {"pupils_present": "24", "adults_present": "2", "scan_id": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["counts"]["arrived"] == 26
    assert response.json()["message"] == "Présence enregistrée : 26 personnes"
    response = client.post(
        page(event, f"{klass.pk}/presence/"),
        {"pupils_present": "30", "adults_present": "2"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert fresh(klass).attended == 26


def test_csrf_is_required(users, event, klass):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    assert client.post(page(event, "scan/"), {"ticket": klass.ticket_code}).status_code == 403
    assert client.post(page(event), {"ticket": klass.ticket_code}).status_code == 403
    assert fresh(klass).checked_in_at is None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(client.get(page(event))))
    response = client.post(
        page(event, "scan/"), {"ticket": klass.ticket_code}, HTTP_X_CSRFTOKEN=token.group(1)
    )
    assert response.status_code == 200
    assert fresh(klass).attended == 27
