"""Mails the pages promise: the journalist's acknowledgement and answer, the organizer's notices
(at once or as a daily digest), and the mail of a class that shrank to fit."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vocations.accounts.models import Membership, User
from vocations.accounts.services import membership_notifications_set
from vocations.events.models import NoticeDigest, OrganizerNotice, PressAccreditation
from vocations.events.notices import queue_notice_digests
from vocations.events.services import (
    accreditation_accept,
    accreditation_refuse,
    accreditation_request,
    registration_change_group,
    registration_create,
)

from .test_registrations_support import group, make_department, make_event, person

pytestmark = pytest.mark.django_db

JOURNALIST = {
    "full_name": "Camille Presse",
    "email": "camille@journal.fr",
    "outlet": "L'Usine Nouvelle",
    "role": "Journaliste",
}


@pytest.fixture
def event():
    make_department("69")
    return make_event(title="Portes ouvertes aux Forges", capacity=30)


@pytest.fixture
def team(event):
    """The organizer's owner wants every notice at once; the editor a daily digest."""

    def member(email, role, notifications):
        user = User.objects.create_user(email, "x")
        Membership.objects.create(
            user=user, organization=event.organization, role=role, notifications=notifications
        )
        return user

    return {
        "owner": member("direction@forges.fr", "owner", "immediate"),
        "editor": member("com@forges.fr", "editor", "daily"),
        "quiet": member("rh@forges.fr", "viewer", "none"),
    }


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_press_request_acknowledges_the_journalist_and_tells_the_organizer(
    event, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_request(event=event, **JOURNALIST)
    (ack,) = to("camille@journal.fr")
    assert ack.subject == "Demande d'accréditation reçue : Portes ouvertes aux Forges"
    assert "vous répondra par e-mail" in ack.body and "L'Usine Nouvelle" in ack.body
    assert "vous répondra par e-mail" in ack.alternatives[0][0]
    (notice,) = to("direction@forges.fr")
    assert "Demande d'accréditation presse : L'Usine Nouvelle" in notice.body
    assert f"/organisateur/evenements/{event.pk}/presse/" in notice.body
    assert notice.alternatives[0][1] == "text/html"
    # The daily and the silent members get nothing now.
    assert not to("com@forges.fr") and not to("rh@forges.fr")


def test_acceptance_and_refusal_are_mailed_to_the_journalist(
    event, team, django_capture_on_commit_callbacks
):
    first = accreditation_request(event=event, **JOURNALIST)
    other = accreditation_request(event=event, **{**JOURNALIST, "email": "dom@radio.fr"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_accept(
            actor=team["owner"], accreditation=first, message="Badge à l'entrée B."
        )
        accreditation_refuse(actor=team["owner"], accreditation=other, message="Salle comble.")
    (accepted,) = to("camille@journal.fr")
    assert accepted.subject.startswith("Accréditation presse acceptée")
    assert "acceptée" in accepted.body and "Badge à l'entrée B." in accepted.body
    (refused,) = to("dom@radio.fr")
    assert refused.subject.startswith("Accréditation presse refusée")
    assert "Motif : Salle comble." in refused.body
    assert "Salle comble." in refused.alternatives[0][0]


def test_nothing_is_sent_nor_noticed_when_the_transaction_rolls_back(
    event, team, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        accreditation_request(event=event, **JOURNALIST)
        registration_create(event=event, data=person())
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []
    assert not OrganizerNotice.objects.exists() and not PressAccreditation.objects.exists()


def test_a_failed_press_mail_is_recorded_then_cleared_by_a_retry(
    event, team, django_capture_on_commit_callbacks
):
    from vocations.events.press_mails import send_accreditation_email

    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        accreditation = accreditation_request(event=event, **JOURNALIST)
    accreditation.refresh_from_db()
    assert accreditation.mail_failed_kind == "received" and accreditation.mail_failed_at
    send_accreditation_email.apply(args=(accreditation.pk, "received"))
    accreditation.refresh_from_db()
    assert accreditation.mail_failed_at is None
    assert len(to("camille@journal.fr")) == 1


def test_registrations_and_waitlist_moves_reach_the_immediate_member_at_once(
    event, team, django_capture_on_commit_callbacks
):
    small = make_event(organization=event.organization, title="Visite", capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, data=group(pupils=20, adults=2))
        first = registration_create(event=small, data=person("a@example.fr"))
        registration_create(event=small, data=person("b@example.fr"))
    bodies = [m.body for m in to("direction@forges.fr")]
    assert len(bodies) == 3
    assert "Nouvelle inscription confirmée : groupe de 22 places (Collège Jean Moulin)" in bodies[0]
    assert "Nouvelle inscription en liste d'attente : individuelle, 1 place" in bodies[2]
    # No registrant's name nor address in the organizer's mail.
    assert not any("a@example.fr" in b or "Léa" in b for b in bodies)
    mail.outbox.clear()
    from vocations.events.services import registration_cancel

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    (moved,) = to("direction@forges.fr")
    assert "Liste d'attente : inscription confirmée, individuelle, 1 place" in moved.body


def test_daily_digest_gathers_yesterday_once_per_member(
    event, team, django_capture_on_commit_callbacks
):
    other = make_event(title="Ailleurs", capacity=5)  # another organization's event
    Membership.objects.create(
        user=User.objects.create_user("x@ailleurs.fr", "x"),
        organization=other.organization,
        notifications="daily",
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, data=person("a@example.fr"))
        accreditation_request(event=event, **JOURNALIST)
    with time_machine.travel(dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            registration_create(event=event, data=person("today@example.fr"))  # not in it
        mail.outbox.clear()
        assert queue_notice_digests() == 1
        (digest,) = mail.outbox
        assert digest.to == ["com@forges.fr"]
        assert digest.subject == "Résumé du 1/12 : 2 avis sur vos événements"
        assert "Nouvelle inscription confirmée : individuelle, 1 place" in digest.body
        assert "Demande d'accréditation presse : L'Usine Nouvelle" in digest.body
        assert "Portes ouvertes aux Forges" in digest.alternatives[0][0]
        # The beat firing again (or a retry) sends nothing more.
        assert queue_notice_digests() == 1
        assert len(mail.outbox) == 1
    assert NoticeDigest.objects.get().notices == 2


def test_a_member_chooses_only_their_own_notices(event, team):
    mine = Membership.objects.get(user=team["editor"])
    membership_notifications_set(actor=team["editor"], membership=mine, notifications="immediate")
    mine.refresh_from_db()
    assert mine.notifications == "immediate"
    with pytest.raises(PermissionDenied):
        membership_notifications_set(actor=team["owner"], membership=mine, notifications="none")
    with pytest.raises(ValidationError) as error:
        membership_notifications_set(actor=team["editor"], membership=mine, notifications="x")
    assert "résumé par jour" in error.value.message_dict["notifications"][0]


def test_a_waitlisted_class_that_shrinks_to_fit_is_not_told_a_seat_freed(
    event, django_capture_on_commit_callbacks
):
    registration_create(event=event, data=group(pupils=18, adults=2, email="a@college.fr"))
    # 10 seats left, 14 asked: the teacher chose the waiting list for the whole class.
    klass = registration_create(
        event=event, data=group(pupils=12, adults=2, school_name="Lycée", waitlist=True)
    )
    assert klass.status == "waitlisted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_change_group(registration=klass, pupils=8, adults=2)
    (message,) = to("prof@college.fr")
    assert "Une place s'est libérée" not in message.subject + message.body
    assert "Une place s'est libérée" not in message.alternatives[0][0]
    assert message.subject.startswith("Avec le nouvel effectif, votre inscription est confirmée")
    assert "nouvel effectif" in message.body and message.attachments  # with its ticket
