"""Press accreditations in the back-office: list, accept, refuse with a reason, export."""

from __future__ import annotations

import csv
import io

import pytest

from vocations.events.models import PressAccreditation
from vocations.events.services import accreditation_request
from vocations.events.tests.test_registrations_support import make_event

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    return make_event(org, title="L'Usine extraordinaire")


@pytest.fixture
def requests_(event):
    def ask(name, email, outlet, **extra):
        return accreditation_request(
            event=event, full_name=name, email=email, outlet=outlet, role="Journaliste", **extra
        )

    return {
        "claire": ask(
            "Claire Dupont",
            "claire@ouest.fr",
            "Ouest-France",
            phone="0612345678",
            press_card_number="12345",
        ),
        "marc": ask("Marc Petit", "marc@radio.fr", "Radio Industrie"),
    }


def url(event, suffix=""):
    return f"/organisateur/evenements/{event.pk}/presse/{suffix}"


def status(accreditation) -> str:
    accreditation.refresh_from_db()
    return accreditation.status


def test_list_shows_requests_with_decisions(login, users, event, requests_):
    response = login(users["owner"]).get(url(event))
    body = text(response)
    assert response.status_code == 200
    assert "Claire Dupont — Ouest-France" in body and "Marc Petit — Radio Industrie" in body
    assert "2 demandes à traiter" in body
    assert "Accepter" in body and "Raison du refus" in body


def test_accept_then_export_lists_accepted_only(login, users, event, requests_):
    client = login(users["owner"])
    response = client.post(url(event, f"{requests_['claire'].pk}/accepter/"))
    assert response.status_code == 302
    assert status(requests_["claire"]) == "accepted"
    assert requests_["claire"].decided_by == users["owner"]
    response = client.get(url(event, "accreditations.csv"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:6] == [
        "Nom et prénom",
        "Média",
        "Fonction",
        "Carte de presse",
        "E-mail",
        "Téléphone",
    ]
    assert [row[:6] for row in rows[1:]] == [
        ["Claire Dupont", "Ouest-France", "Journaliste", "12345", "claire@ouest.fr", "0612345678"]
    ]


def test_refuse_needs_a_reason(login, users, event, requests_):
    client = login(users["owner"])
    response = client.post(
        url(event, f"{requests_['marc'].pk}/refuser/"), {"message": "  "}, follow=True
    )
    assert "Indiquez la raison du refus" in text(response)
    assert status(requests_["marc"]) == "requested"
    client.post(url(event, f"{requests_['marc'].pk}/refuser/"), {"message": "Salle complète."})
    assert status(requests_["marc"]) == "refused"
    assert requests_["marc"].decision_message == "Salle complète."


def test_deciding_twice_is_refused_in_french(login, users, event, requests_):
    client = login(users["owner"])
    client.post(url(event, f"{requests_['claire'].pk}/accepter/"))
    response = client.post(
        url(event, f"{requests_['claire'].pk}/refuser/"), {"message": "Non."}, follow=True
    )
    assert "déjà « Acceptée »" in text(response)
    assert status(requests_["claire"]) == "accepted"


def test_viewer_sees_but_cannot_decide(login, users, event, requests_):
    client = login(users["viewer"])
    body = text(client.get(url(event)))
    assert "Claire Dupont" in body and "Raison du refus" not in body
    assert client.get(url(event, "accreditations.csv")).status_code == 200
    response = client.post(url(event, f"{requests_['claire'].pk}/accepter/"))
    assert response.status_code == 403
    assert "lecteur" in text(response)
    assert status(requests_["claire"]) == "requested"


def test_other_organization_gets_404(login, users, event, requests_, other_org):
    client = login(users["other"])
    for suffix in ("", "accreditations.csv"):
        assert client.get(url(event, suffix)).status_code == 404
    response = client.post(url(event, f"{requests_['claire'].pk}/accepter/"))
    assert response.status_code == 404
    assert status(requests_["claire"]) == "requested"


def test_accreditation_of_another_event_or_unknown_action_is_404(
    login, users, org, event, requests_
):
    client = login(users["owner"])
    other = make_event(org)
    assert client.post(url(other, f"{requests_['claire'].pk}/accepter/")).status_code == 404
    assert client.post(url(event, f"{requests_['claire'].pk}/supprimer/")).status_code == 404
    assert client.get(url(event, f"{requests_['claire'].pk}/accepter/")).status_code == 405
    assert PressAccreditation.objects.filter(status="requested").count() == 2


def test_status_filter(login, users, event, requests_):
    client = login(users["owner"])
    client.post(url(event, f"{requests_['claire'].pk}/accepter/"), follow=True)
    body = text(client.get(url(event), {"etat": "requested"}))
    assert "Marc Petit" in body and "Claire Dupont" not in body
