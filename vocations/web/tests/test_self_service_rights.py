"""Data-subject rights on the self-service page (issue 15, point 7): "télécharger mes données"
(JSON) and "m'effacer maintenant" (cancels, anonymizes, audited). Neither existed."""

from __future__ import annotations

import json
from html import unescape

import pytest

from vocations.core.models import AuditEntry
from vocations.events.models import Registration
from vocations.events.services import registration_create
from vocations.events.tickets import self_service_token

from .registration_support import group_data, make_world, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_world()[1]


def url(registration: Registration, suffix: str = "") -> str:
    return f"/inscription/{self_service_token(registration)}/{suffix}"


def text(response) -> str:
    return unescape(response.content.decode())


def test_download_my_data(client, event):
    klass = registration_create(event=event, data=group_data(pupils=20, adults=2))
    page = text(client.get(url(klass)))
    assert "Télécharger mes données" in page and url(klass, "mes-donnees.json") in page

    response = client.get(url(klass, "mes-donnees.json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    data = json.loads(response.content)
    assert data["personne"]["adresse_email"] == "prof@college.fr"
    assert data["personne"]["nom"] == "Durand"
    assert data["groupe"]["eleves"] == 20 and data["groupe"]["etablissement"]
    assert data["evenement"]["titre"] == event.title
    assert data["inscription"]["statut"] == "Confirmée"


def test_a_forged_link_gets_no_data(client, event):
    response = client.get("/inscription/faux/mes-donnees.json")
    assert response.status_code == 403
    assert "prof@college.fr" not in text(response)


def test_erase_me_now_cancels_anonymizes_and_audits(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    person = registration_create(event=event, data=person_data("lea@example.fr"))
    page = text(client.get(url(person)))
    assert "M'effacer maintenant…" in page
    confirm = text(client.get(url(person) + "?effacer=1"))
    assert "Voulez-vous vraiment effacer vos données maintenant ?" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(person), {"action": "erase"})

    assert response.status_code == 200
    assert "Les données de cette inscription ont été effacées" in text(response)
    person.refresh_from_db()
    assert person.status == Registration.Status.CANCELLED
    assert (person.email, person.first_name, person.last_name) == (
        f"inscription-{person.pk}@anonyme.invalid",
        "",
        "",
    )
    event.refresh_from_db()
    assert event.seats_confirmed == 0  # the seat went back
    assert mailoutbox == []  # no cancellation mail to an address being erased
    entry = AuditEntry.objects.get(action="registration.erased")
    assert "lea" not in json.dumps(entry.data)
    # The link now says what happened, and gives nothing.
    again = client.get(url(person))
    assert again.status_code == 410
    assert "effacées à votre demande" in text(again)
    assert client.get(url(person, "mes-donnees.json")).status_code == 410


def test_erasing_frees_the_seat_for_the_waiting_list(client, event):
    event.capacity = 1
    event.save()
    first = registration_create(event=event, data=person_data("a@example.fr"))
    waiting = registration_create(event=event, data=person_data("b@example.fr"))
    assert waiting.status == "waitlisted"

    client.post(url(first), {"action": "erase"})

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
