"""Workshops "sortir de l'ombre": an event of kind workshop, registered for through the events
registration service; its attendees are invited to join the collective, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from vocations.ambassadors.models import Invitation
from vocations.ambassadors.workshops import invite_workshop_attendees, workshops_for_coordinator
from vocations.analytics.tests.support import make_event, register

pytestmark = pytest.mark.django_db


def test_workshop_attendees_are_invited_once(collective, coordinator, world, alice):
    workshop = make_event(world.campaign.organization, kind="workshop", title="Sortir de l'ombre")
    register(workshop, email="manager@usine.fr", first_name="Inès", last_name="Roux")
    register(workshop, email="Alice@Example.fr")  # already a member
    annulee = register(workshop, email="annule@usine.fr")
    annulee.status = "cancelled"
    annulee.save(update_fields=["status"])
    assert [w.pk for w in workshops_for_coordinator()] == [workshop.pk]
    invitations = invite_workshop_attendees(
        actor=coordinator, collective=collective, workshop=workshop
    )
    assert [(i.email, i.full_name, i.workshop_id) for i in invitations] == [
        ("manager@usine.fr", "Inès Roux", workshop.pk)
    ]
    assert (
        invite_workshop_attendees(actor=coordinator, collective=collective, workshop=workshop) == []
    )
    with pytest.raises(PermissionDenied):
        invite_workshop_attendees(actor=alice.user, collective=collective, workshop=workshop)
    assert Invitation.objects.filter(workshop=workshop).count() == 1
