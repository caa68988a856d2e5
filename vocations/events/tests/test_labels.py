"""The label state machine: every allowed transition, every refused one, who may do what."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.core.models import AuditEntry
from vocations.events.models import Label, LabelTransition
from vocations.events.selectors import public_events
from vocations.events.services import (
    event_publish,
    label_accept,
    label_conditions,
    label_refuse,
    label_request_changes,
    label_submit,
    label_withdraw,
)
from vocations.events.services.labels import TRANSITIONS

pytestmark = pytest.mark.django_db(transaction=False)

ACTIONS = {
    "submit": lambda actor, event: label_submit(actor=actor, event=event),
    "accept": lambda actor, event: label_accept(actor=actor, event=event),
    "request_changes": lambda actor, event: label_request_changes(
        actor=actor, event=event, message="Précisez l'adresse."
    ),
    "refuse": lambda actor, event: label_refuse(
        actor=actor, event=event, message="Événement payant."
    ),
    "withdraw": lambda actor, event: label_withdraw(
        actor=actor, event=event, message="Annulé par l'entreprise."
    ),
}
STAFF_ACTIONS = {"accept", "request_changes", "refuse", "withdraw"}


def put_in_state(event, state):
    Label.objects.filter(event=event).update(state=state)


@pytest.mark.parametrize("state", Label.State.values)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_transition_from_every_state(
    draft_event, users, state, action, django_capture_on_commit_callbacks
):
    put_in_state(draft_event, state)
    actor = users["staff"] if action in STAFF_ACTIONS else users["editor"]
    allowed_from, to_state = TRANSITIONS[action]
    if state in allowed_from:
        with django_capture_on_commit_callbacks(execute=True):
            ACTIONS[action](actor, draft_event)
        label = Label.objects.get(event=draft_event)
        assert label.state == to_state
        transition = LabelTransition.objects.get(label=label)
        assert (transition.from_state, transition.to_state) == (state, to_state)
        assert AuditEntry.objects.filter(
            action=f"label.{action}", target_id=str(draft_event.pk)
        ).exists()
    else:
        with pytest.raises(ValidationError, match="Action impossible"):
            ACTIONS[action](actor, draft_event)
        assert Label.objects.get(event=draft_event).state == state
        assert not LabelTransition.objects.exists()


def test_the_transition_table_is_the_documented_one():
    assert {a: (sorted(f), t) for a, (f, t) in TRANSITIONS.items()} == {
        "submit": (["changes_requested", "draft"], "submitted"),
        "accept": (["submitted"], "labelled"),
        "request_changes": (["submitted"], "changes_requested"),
        "refuse": (["submitted"], "refused"),
        "withdraw": (["labelled"], "refused"),
    }


@pytest.mark.parametrize("action", sorted(STAFF_ACTIONS))
@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "other"])
def test_only_staff_may_review(draft_event, users, action, who):
    put_in_state(draft_event, "labelled" if action == "withdraw" else "submitted")
    with pytest.raises(PermissionDenied, match="équipe de campagne"):
        ACTIONS[action](users[who], draft_event)
    assert not LabelTransition.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "other"])
def test_only_the_organizers_editors_may_submit(draft_event, users, who):
    with pytest.raises(PermissionDenied):
        label_submit(actor=users[who], event=draft_event)
    assert Label.objects.get(event=draft_event).state == "draft"


@pytest.mark.parametrize("action", ["request_changes", "refuse", "withdraw"])
def test_a_decision_against_the_organizer_needs_a_message(draft_event, users, action):
    put_in_state(draft_event, "labelled" if action == "withdraw" else "submitted")
    service = {
        "request_changes": label_request_changes,
        "refuse": label_refuse,
        "withdraw": label_withdraw,
    }[action]
    with pytest.raises(ValidationError) as exc:
        service(actor=users["staff"], event=draft_event, message="   ")
    assert "Expliquez votre décision" in str(exc.value)


def test_full_cycle_with_mail_and_history(draft_event, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        label_submit(actor=users["owner"], event=draft_event)
        label_request_changes(
            actor=users["staff"], event=draft_event, message="Ajoutez l'accès PMR."
        )
        label_submit(actor=users["editor"], event=draft_event)
        label_accept(actor=users["staff"], event=draft_event)
    history = list(
        LabelTransition.objects.filter(label__event=draft_event).values_list("to_state", flat=True)
    )
    assert history == ["submitted", "changes_requested", "submitted", "labelled"]
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Demande de label reçue : Portes ouvertes aux Forges",
        "Modifications demandées pour le label : Portes ouvertes aux Forges",
        "Demande de label reçue : Portes ouvertes aux Forges",
        "Votre événement est labellisé : Portes ouvertes aux Forges",
    ]
    # Owners and editors are told; viewers and other organizations are not.
    assert sorted(mail.outbox[1].to) == ["editor@forges.fr", "owner@forges.fr"]
    assert "Ajoutez l'accès PMR." in mail.outbox[1].body


def test_only_labelled_and_published_events_are_public(draft_event, users):
    event_publish(actor=users["owner"], event=draft_event)
    assert not public_events().filter(pk=draft_event.pk).exists()
    label_submit(actor=users["owner"], event=draft_event)
    label_accept(actor=users["staff"], event=draft_event)
    assert public_events().filter(pk=draft_event.pk).exists()
    label_withdraw(actor=users["staff"], event=draft_event, message="Retrait.")
    assert not public_events().filter(pk=draft_event.pk).exists()


def test_conditions_are_checked_for_the_reviewer(draft_event, label_period):
    conditions = {c.code: c.met for c in label_conditions(draft_event)}
    assert conditions == {
        "free": True,
        "in_period": True,
        "open_to_public": True,
        "shows_industry": True,
    }
    draft_event.is_free = False
    draft_event.price_info = "10 €"
    draft_event.is_open_to_public = False
    draft_event.save()
    draft_event.sectors.clear()
    label_period.delete()
    conditions = {c.code: c.met for c in label_conditions(draft_event)}
    assert conditions == {
        "free": False,
        "in_period": False,
        "open_to_public": False,
        "shows_industry": None,
    }
