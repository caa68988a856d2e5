"""What a registrant changes themselves: name, companions, session — under the lock, audited,
French errors when full, the waiting list moving up when seats are freed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from vocations.core.models import AuditEntry
from vocations.events.models import Registration, SessionInvitation
from vocations.events.services import (
    registration_cancel,
    registration_change_companions,
    registration_change_session,
    registration_create,
    registration_rename,
)

from .test_registrations_support import (
    confirmed_sum,
    group,
    make_department,
    make_event,
    make_session,
    person,
)

pytestmark = pytest.mark.django_db


def fresh(registration: Registration) -> Registration:
    return Registration.objects.get(pk=registration.pk)


def messages(error) -> str:
    return " ".join(error.value.messages)


# --- name --------------------------------------------------------------------------------------


def test_an_individual_corrects_their_name_audited_without_the_name():
    event = make_event()
    lea = registration_create(event=event, data=person())
    registration_rename(registration=lea, first_name="  Léa-Marie ", last_name="Martin")
    assert (fresh(lea).first_name, fresh(lea).last_name) == ("Léa-Marie", "Martin")
    entry = AuditEntry.objects.get(action="registration.rename")
    assert "Léa" not in str(entry.data)


@pytest.mark.parametrize(
    "first, last, field, message",
    [
        ("", "Martin", "first_name", "Le prénom est obligatoire."),
        ("Léa", "x" * 101, "last_name", "ne doit pas dépasser 100 caractères"),
        ("Léa\nDROP", "Martin", "first_name", "doit tenir sur une ligne"),
    ],
)
def test_a_bad_name_is_refused_in_french_and_nothing_changes(first, last, field, message):
    lea = registration_create(event=make_event(), data=person())
    with pytest.raises(ValidationError) as error:
        registration_rename(registration=lea, first_name=first, last_name=last)
    assert message in " ".join(error.value.message_dict[field])
    assert fresh(lea).first_name == "Léa"


# --- companions ---------------------------------------------------------------------------------


def test_companions_take_seats_and_freeing_them_promotes_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=4, max_companions=3)
    lea = registration_create(event=event, data=person())
    registration_change_companions(registration=lea, companions="3")
    assert fresh(lea).seats == 4 and confirmed_sum(event) == 4
    waiting = registration_create(event=event, data=person("b@example.fr"))
    assert waiting.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        registration_change_companions(registration=lea, companions="2")
    assert fresh(waiting).status == "confirmed"
    event.refresh_from_db()
    assert event.seats_confirmed == confirmed_sum(event) == 4
    assert AuditEntry.objects.filter(action="registration.change_companions").count() == 2


def test_more_companions_than_seats_left_is_refused_and_nothing_changes():
    event = make_event(capacity=3, max_companions=5)
    lea = registration_create(event=event, data=person())
    registration_create(event=event, data=person("b@example.fr"))
    with pytest.raises(ValidationError) as error:
        registration_change_companions(registration=lea, companions=2)
    assert "Il ne reste que 1 place : impossible d'ajouter 2 accompagnants" in messages(error)
    assert fresh(lea).seats == 1
    event.refresh_from_db()
    assert event.seats_confirmed == 2


@pytest.mark.parametrize(
    "max_companions, value, message",
    [
        (0, 1, "n'accepte pas d'accompagnants"),
        (2, 3, "Au plus 2 accompagnants par inscription."),
        (2, -1, "ne peut pas être négatif"),
        (2, "deux", "nombre entier"),
    ],
)
def test_companions_outside_the_events_rule_are_refused(max_companions, value, message):
    event = make_event(capacity=10, max_companions=max_companions)
    lea = registration_create(event=event, data=person())
    with pytest.raises(ValidationError) as error:
        registration_change_companions(registration=lea, companions=value)
    assert message in messages(error)
    assert fresh(lea).seats == 1


# --- session -----------------------------------------------------------------------------------


@pytest.fixture
def flagship():
    make_department("69")
    event = make_event(capacity=None, kind="flagship")
    morning = make_session(event, title="Matin", capacity=2)
    afternoon = make_session(
        event,
        title="Après-midi",
        capacity=2,
        starts_at=event.starts_at + dt.timedelta(hours=4),
        ends_at=event.starts_at + dt.timedelta(hours=5),
    )
    return event, morning, afternoon


def test_change_session_moves_the_seats_and_promotes_the_old_waiting_list(
    flagship, django_capture_on_commit_callbacks
):
    event, morning, afternoon = flagship
    lea = registration_create(event=event, session=morning, data=person())
    registration_create(event=event, session=morning, data=person("b@example.fr"))
    waiting = registration_create(event=event, session=morning, data=person("c@example.fr"))
    assert waiting.status == "waitlisted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = registration_change_session(registration=lea, session=afternoon)
    assert moved.session_id == afternoon.pk and moved.status == "confirmed"
    assert moved.ticket_code == lea.ticket_code  # same ticket
    assert fresh(waiting).status == "confirmed"
    morning.refresh_from_db(), afternoon.refresh_from_db()
    assert morning.seats_confirmed == confirmed_sum(event, morning) == 2
    assert afternoon.seats_confirmed == confirmed_sum(event, afternoon) == 1
    entry = AuditEntry.objects.get(action="registration.change_session")
    assert entry.data["session_before"] == morning.pk and entry.data["session"] == afternoon.pk
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["lea@example.fr"].startswith("Changement de séance enregistré")
    assert "Après-midi" in next(m.body for m in mail.outbox if m.to == ["lea@example.fr"])


def test_a_full_session_is_refused_in_french_and_nothing_moves(flagship):
    event, morning, afternoon = flagship
    lea = registration_create(event=event, session=morning, data=person())
    for email in ("b@example.fr", "c@example.fr"):
        registration_create(event=event, session=afternoon, data=person(email))
    with pytest.raises(ValidationError) as error:
        registration_change_session(registration=lea, session=afternoon)
    assert error.value.message_dict["session"] == [
        "La séance choisie est complète : il reste 0 place, votre inscription en demande 1. "
        "Votre inscription reste inchangée."
    ]
    assert fresh(lea).session_id == morning.pk
    morning.refresh_from_db(), afternoon.refresh_from_db()
    assert (morning.seats_confirmed, afternoon.seats_confirmed) == (1, 2)


def test_a_waitlisted_registration_moving_to_a_session_with_room_is_confirmed(flagship):
    event, morning, afternoon = flagship
    for email in ("a@example.fr", "b@example.fr"):
        registration_create(event=event, session=morning, data=person(email))
    lea = registration_create(event=event, session=morning, data=person())
    moved = registration_change_session(registration=lea, session=afternoon)
    assert moved.status == "confirmed" and moved.waitlisted_at is None
    morning.refresh_from_db(), afternoon.refresh_from_db()
    assert (morning.seats_confirmed, afternoon.seats_confirmed) == (2, 1)


def test_session_rules_still_hold_when_moving(flagship):
    event, morning, afternoon = flagship
    lea = registration_create(event=event, session=morning, data=person())
    registration_create(event=event, session=afternoon, data=person())  # same address there
    with pytest.raises(ValidationError, match="déjà inscrit"):
        registration_change_session(registration=lea, session=afternoon)
    vip = make_session(event, title="Visite officielle", capacity=5, invitation_only=True)
    with pytest.raises(ValidationError, match="sur invitation"):
        registration_change_session(registration=lea, session=vip)
    SessionInvitation.objects.create(session=vip, email="lea@example.fr")
    assert registration_change_session(registration=lea, session=vip).session_id == vip.pk
    other = make_session(make_event(), title="Ailleurs")
    with pytest.raises(ValidationError, match="n'appartient pas"):
        registration_change_session(registration=lea, session=other)


def test_nothing_changes_once_the_event_started_or_cancelled(flagship):
    event, morning, afternoon = flagship
    lea = registration_create(event=event, session=morning, data=person())
    with (
        time_machine.travel(event.starts_at + dt.timedelta(minutes=5)),
        pytest.raises(ValidationError, match="a commencé"),
    ):
        registration_change_session(registration=lea, session=afternoon)
    registration_cancel(registration=lea)
    with pytest.raises(ValidationError, match="annulée"):
        registration_change_session(registration=lea, session=afternoon)
    with pytest.raises(ValidationError, match="annulée"):
        registration_rename(registration=lea, first_name="A", last_name="B")


def test_a_group_moves_as_a_whole(flagship):
    event, morning, afternoon = flagship
    morning.capacity = afternoon.capacity = 30
    morning.save(), afternoon.save()
    event.accepts_groups = True
    event.save()
    klass = registration_create(event=event, session=morning, data=group(pupils=20, adults=2))
    moved = registration_change_session(registration=klass, session=afternoon)
    afternoon.refresh_from_db()
    assert moved.session_id == afternoon.pk and afternoon.seats_confirmed == 22
