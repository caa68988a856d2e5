"""The registration API: POST /api/v1/events/{id}/registrations and the self-service link."""

from __future__ import annotations

import pytest
from django.utils import timezone

from vocations.events.models import Registration
from vocations.events.services import registration_create
from vocations.events.tickets import self_service_token

from .test_registrations_support import counter, make_department, make_event, make_session
from .test_registrations_support import group as group_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _department(db):
    make_department("69")


def individual(email="lea@example.fr", **extra):
    body = {
        "kind": "individual",
        "email": email,
        "first_name": "Léa",
        "last_name": "Martin",
        "audience": "young_people",
        "consent": True,
    }
    body.update(extra)
    return body


def group(pupils=20, adults=2, **extra):
    body = {
        "kind": "group",
        "email": "prof@college.fr",
        "first_name": "Paul",
        "last_name": "Durand",
        "consent": True,
        "school_name": "Collège Jean Moulin",
        "uai": "0691234A",
        "class_level": "4e",
        "pupils": pupils,
        "adults": adults,
        "origin_department": "69",
    }
    body.update(extra)
    return body


def post(client, event, body, **headers):
    return client.post(
        f"/api/v1/events/{event.pk}/registrations",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_register_individual_then_group_then_waitlist(client):
    event = make_event(capacity=5)
    response = post(client, event, individual())
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "status": "confirmed",
        "kind": "individual",
        "seats": 1,
        "waitlist_position": None,
    }
    # 4 seats left for a group of 5: no silent waiting list, the truth and the two choices.
    response = post(client, event, group(pupils=4, adults=1))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "seats_short"
    assert (body["seats_left"], body["seats_asked"]) == (4, 5)
    assert body["errors"]["pupils"][0].startswith("Il reste 4 places, votre groupe en demande 5")
    assert Registration.objects.filter(kind="group").count() == 0
    # The explicit choice: the whole group waits, and the 4 seats are kept for it.
    response = post(client, event, group(pupils=4, adults=1, waitlist=True))
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1
    assert counter(event) == 1
    # Nobody passes it: a later individual waits behind, although 4 seats are "free".
    response = post(client, event, individual(email="apres@example.fr"))
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 2
    # The other choice: a group that fits (reduced) in a pool nobody waits for is confirmed.
    other = make_event(capacity=5)
    post(client, other, individual())
    response = post(client, other, group(pupils=3, adults=1))
    assert response.status_code == 201 and response.json()["status"] == "confirmed"


def test_french_errors_by_field_and_nothing_written(client):
    event = make_event()
    response = post(client, event, group(pupils=0, uai="12AB", email="pas-une-adresse"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["pupils"] == ["Un groupe compte au moins un élève."]
    assert "7 chiffres" in errors["uai"][0]
    assert errors["email"] == ["Cette adresse e-mail n'est pas valide."]
    assert "élève" in response.json()["detail"]
    assert Registration.objects.count() == 0


def test_string_counts_are_read_and_wrong_ones_explained(client):
    event = make_event(capacity=50)
    assert post(client, event, group(pupils="12", adults="1")).json()["seats"] == 13
    response = post(client, event, group(pupils="douze"))
    assert response.json()["errors"]["pupils"] == ["Le nombre d'élèves doit être un nombre entier."]


def test_window_error_is_a_non_field_error(client):
    event = make_event(registration_closes_at=timezone.now())
    response = post(client, event, individual())
    assert response.status_code == 422
    assert response.json()["errors"] == {"non_field_errors": ["Les inscriptions sont closes."]}


def test_unknown_or_unpublished_event_is_404(client):
    event = make_event(is_published=False)
    assert post(client, event, individual()).status_code == 404
    response = client.post(
        "/api/v1/events/999999/registrations", individual(), content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Événement introuvable.", "errors": {}}


def test_session_must_belong_to_the_event(client):
    event = make_event()
    other = make_session(make_event())
    response = post(client, event, individual(session_id=other.pk))
    assert response.json()["errors"] == {"session_id": ["Séance introuvable pour cet événement."]}
    slot = make_session(event, school_groups_only=True)
    response = post(client, event, individual(session_id=slot.pk))
    assert response.json()["errors"]["kind"] == ["Ce créneau est réservé aux groupes scolaires."]
    assert post(client, event, group(4, 0, session_id=str(slot.pk))).status_code == 201


def test_duplicate_individual_is_409_with_the_existing_one(client):
    event = make_event()
    first = post(client, event, individual()).json()
    response = post(client, event, individual(email="LEA@example.fr"))
    assert response.status_code == 409
    body = response.json()
    assert body["id"] == first["id"] and body["status"] == "confirmed"
    assert "déjà inscrite" in body["detail"]
    assert Registration.objects.count() == 1


def test_idempotency_key_replays_the_first_answer(client):
    event = make_event(capacity=50)
    first = post(client, event, group(), **{"Idempotency-Key": "form-abc"})
    again = post(client, event, group(), **{"Idempotency-Key": "form-abc"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 1 and counter(event) == 22
    # Another key: a second class of the same teacher.
    second = post(client, event, group(class_level="3e"), **{"Idempotency-Key": "form-def"})
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]


def test_self_service_read_change_cancel(client):
    event = make_event(capacity=30)
    registration = registration_create(event=event, data=group_data(20, 2))
    waiting = post(
        client, event, group(pupils=9, adults=1, email="autre@lycee.fr", waitlist=True)
    ).json()
    assert waiting["status"] == "waitlisted"
    url = f"/api/v1/registrations/{self_service_token(registration)}"

    body = client.get(url).json()
    assert body["pupils"] == 20 and body["event_title"] == event.title
    assert "ticket_code" not in body  # the ticket travels only by e-mail

    response = client.patch(url, {"pupils": 30, "adults": 2}, content_type="application/json")
    assert response.status_code == 422
    assert "capacité totale" in response.json()["errors"]["pupils"][0]

    response = client.patch(url, {"pupils": 15, "adults": 2}, content_type="application/json")
    assert response.status_code == 200 and response.json()["seats"] == 17
    # 13 seats free: the waiting group of 10 moved up.
    assert Registration.objects.get(pk=waiting["id"]).status == "confirmed"

    response = client.delete(url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert counter(event) == 10


def test_forged_self_service_links_are_refused(client):
    event = make_event()
    registration = registration_create(event=event, data=group_data(2, 1))
    token = self_service_token(registration)
    for method in (client.get, client.delete):
        response = method(f"/api/v1/registrations/{token[:-3]}abc")
        assert response.status_code == 403
        assert response.json() == {"detail": "Ce lien n'est pas valide.", "errors": {}}
    registration.refresh_from_db()
    assert registration.status == "confirmed"


# --- issue 15, point 8 ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_number_of_pupils(client, value):
    event = make_event(capacity=30)
    registration = registration_create(event=event, data=group_data(20, 2))
    url = f"/api/v1/registrations/{self_service_token(registration)}"
    response = client.patch(url, {"pupils": value}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["pupils"] == ["Le nombre d'élèves doit être un nombre entier."]
    registration.refresh_from_db()
    assert (registration.pupils, registration.seats) == (20, 22)
    response = post(client, event, group(pupils=value, adults=True))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"pupils", "adults"}


def test_a_checked_in_registration_cannot_be_cancelled(client):
    from vocations.accounts.models import Membership, User
    from vocations.events.services import registration_check_in

    event = make_event(capacity=30)
    registration = registration_create(event=event, data=group_data(20, 2))
    door = User.objects.create_user("accueil@forges.fr", "x")
    Membership.objects.create(user=door, organization=event.organization, role="editor")
    registration_check_in(actor=door, event=event, ticket=registration.ticket_code, attended=21)
    response = client.delete(f"/api/v1/registrations/{self_service_token(registration)}")
    assert response.status_code == 422
    assert "enregistrée à l'accueil" in response.json()["errors"]["non_field_errors"][0]
    registration.refresh_from_db()
    assert (registration.status, registration.attended) == ("confirmed", 21)
    assert counter(event) == 22


def test_the_same_group_posted_again_is_a_duplicate(client):
    # Same e-mail, school and class within minutes, without a key: one group, one mail.
    event = make_event(capacity=50)
    first = post(client, event, group())
    again = post(client, event, group())
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["id"] == first.json()["id"]
    assert Registration.objects.count() == 1 and counter(event) == 22
