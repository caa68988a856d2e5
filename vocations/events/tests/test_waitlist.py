"""The waiting list (services/waitlist.py): capacity changes serve it under the lock, audited;
time-limited offers; strict first come, first served (docs/registration.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from vocations.accounts.models import Membership, User
from vocations.core.models import AuditEntry
from vocations.events import tasks
from vocations.events.models import Registration
from vocations.events.offer_links import offer_token, verify_offer_token
from vocations.events.selectors import seats_left
from vocations.events.services import (
    EventData,
    NotEnoughSeatsError,
    OfferError,
    SessionData,
    event_update,
    registration_cancel,
    registration_create,
    session_update,
    waitlist_offer_accept,
    waitlist_offers_expire,
)
from vocations.events.tickets import TicketError

from .test_registrations_support import (
    confirmed_sum,
    counter,
    group,
    make_department,
    make_event,
    make_session,
    person,
)

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


@pytest.fixture(autouse=True)
def _department():
    make_department("69")


def assert_counters_exact(event, session=None):
    assert counter(event, session) == confirmed_sum(event, session)


def owner_of(event) -> User:
    user = User.objects.create_user(f"owner{event.pk}@forges.fr", "mot-de-passe-de-test")
    Membership.objects.create(user=user, organization=event.organization, role="owner")
    return user


def fresh(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def session_data(session, **overrides) -> SessionData:
    values = dict(
        kind=session.kind,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
    )
    values.update(overrides)
    return SessionData(**values)


def test_raising_a_sessions_capacity_promotes_its_waiting_list_audited_mailed_after_commit(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=100)
    slot = make_session(event, capacity=2)
    owner = owner_of(event)
    first = [
        registration_create(event=event, session=slot, data=person(f"p{i}@ex.fr")) for i in range(2)
    ]
    waiting = [
        registration_create(event=event, session=slot, data=person(f"w{i}@ex.fr")) for i in range(3)
    ]
    assert fresh(*waiting) == [WAITLISTED] * 3
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        session_update(actor=owner, session=slot, data=session_data(slot, capacity=4))
        # Nothing is sent before the transaction commits.
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert fresh(*waiting) == [CONFIRMED, CONFIRMED, WAITLISTED]
    slot.refresh_from_db()
    assert slot.seats_confirmed == 4
    assert_counters_exact(event, slot)
    promoted = AuditEntry.objects.filter(action="registration.promote").order_by("id")
    assert [e.target_id for e in promoted] == [str(waiting[0].pk), str(waiting[1].pk)]
    update = AuditEntry.objects.get(action="event.session_updated")
    assert update.data == {"capacity_before": 2, "capacity": 4, "waitlist_served": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["w0@ex.fr", "w1@ex.fr"]
    assert all("est désormais confirmée" in m.body for m in mail.outbox)
    assert len(first) == 2


def editable(event) -> EventData:
    # The test events have no commune in the reference data: edited as online events.
    data = EventData.from_event(event)
    data.postal_code, data.is_online, data.online_url = "", True, "https://visio.example.fr/a"
    return data


def test_raising_an_events_capacity_promotes_in_order_and_is_audited():
    event = make_event(capacity=1, max_group_size=None)
    owner = owner_of(event)
    registration_create(event=event, data=person("a@ex.fr"))
    w1 = registration_create(event=event, data=person("w1@ex.fr"))
    w2 = registration_create(event=event, data=person("w2@ex.fr"))
    data = editable(event)
    data.capacity = 2
    event_update(actor=owner, event=event, data=data)
    assert fresh(w1, w2) == [CONFIRMED, WAITLISTED]
    entry = AuditEntry.objects.get(action="event.updated")
    assert entry.data["capacity_before"] == 1 and entry.data["waitlist_served"] == 1


def test_a_group_short_of_seats_must_choose_and_then_nobody_passes_it():
    event = make_event(capacity=20, max_group_size=None)
    first = registration_create(event=event, data=group(9, 1, email="first@lycee.fr"))
    # 10 seats left; the class asks 14.
    with pytest.raises(NotEnoughSeatsError) as info:
        registration_create(event=event, data=group(12, 2))
    assert info.value.seats_left == 10 and info.value.seats_asked == 14
    assert "Il reste 10 places, votre groupe en demande 14" in info.value.messages[0]
    assert Registration.objects.filter(kind="group").count() == 1

    klass = registration_create(event=event, data=group(12, 2, waitlist=True))
    assert klass.status == WAITLISTED
    event.refresh_from_db()
    # The 10 free seats are kept for the class: the public sees the event full.
    assert event.seats_held == 10 and seats_left(event) == 0
    later = registration_create(event=event, data=person("later@ex.fr"))
    assert later.status == WAITLISTED

    # The first group leaves: the class goes in first, then the individual who came later.
    registration_cancel(registration=first)
    assert fresh(klass, later) == [CONFIRMED, CONFIRMED]
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held) == (15, 0)


def offer_event(capacity=2, hours=48):
    event = make_event(capacity=capacity, waitlist_offer_hours=hours, max_group_size=None)
    held = [registration_create(event=event, data=person(f"p{i}@ex.fr")) for i in range(capacity)]
    waiting = [registration_create(event=event, data=person(f"w{i}@ex.fr")) for i in range(3)]
    return event, held, waiting


def test_a_freed_seat_is_offered_by_email_and_held_until_confirmed(
    django_capture_on_commit_callbacks,
):
    event, held, (w0, w1, w2) = offer_event()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=held[0])
    offered = Registration.objects.get(pk=w0.pk)
    assert offered.status == WAITLISTED and offered.has_pending_offer
    assert offered.offer_expires_at == offered.offered_at + dt.timedelta(hours=48)
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held, seats_left(event)) == (1, 1, 0)
    # A newcomer does not take the held seat.
    assert registration_create(event=event, data=person("new@ex.fr")).status == WAITLISTED

    message = next(m for m in mail.outbox if m.to == ["w0@ex.fr"])
    assert message.subject.startswith("Une place vous est proposée")
    assert "/inscription/place-proposee/" in message.body
    assert "jusqu'au" in message.body and "Confirmer" in message.body
    html = message.alternatives[0][0]
    assert "Confirmer ma place" in html and offer_token(offered) in html
    assert AuditEntry.objects.filter(action="registration.offer", target_id=str(w0.pk)).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_offer_accept(registration=offered)
    assert fresh(w0, w1) == [CONFIRMED, WAITLISTED]
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held) == (2, 0)
    assert [m.to for m in mail.outbox] == [["w0@ex.fr"]]
    assert "est désormais confirmée" in mail.outbox[0].body
    # Single use: the same link again says the seat is already confirmed.
    with pytest.raises(OfferError) as info:
        waitlist_offer_accept(registration=offered)
    assert info.value.reason == "used"
    assert_counters_exact(event)


def test_an_unanswered_offer_expires_and_passes_to_the_next_idempotently(
    django_capture_on_commit_callbacks,
):
    event, held, (w0, w1, w2) = offer_event(hours=24)
    registration_cancel(registration=held[0])
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23, minutes=59)):
        assert waitlist_offers_expire() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        # At the deadline the link no longer confirms, even before the task ran.
        with pytest.raises(OfferError) as info:
            waitlist_offer_accept(registration=Registration.objects.get(pk=w0.pk))
        assert info.value.reason == "expired"
        with django_capture_on_commit_callbacks(execute=True):
            assert waitlist_offers_expire() == 1
        assert waitlist_offers_expire() == 0  # idempotent
    assert fresh(w0, w1, w2) == [CANCELLED, WAITLISTED, WAITLISTED]
    assert Registration.objects.get(pk=w1.pk).has_pending_offer
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held) == (1, 1)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["w0@ex.fr"].startswith("La place proposée n'a pas été confirmée à temps")
    assert subjects["w1@ex.fr"].startswith("Une place vous est proposée")
    expired_mail = next(m for m in mail.outbox if m.to == ["w0@ex.fr"])
    assert "proposée à la personne suivante" in expired_mail.body
    assert "proposée à la personne suivante" in expired_mail.alternatives[0][0]
    assert AuditEntry.objects.filter(action="registration.offer_expire").count() == 1
    with pytest.raises(OfferError) as info:
        waitlist_offer_accept(registration=Registration.objects.get(pk=w0.pk))
    assert info.value.reason == "expired"


def test_the_beat_task_is_scheduled_and_expires_offers():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["waitlist-offers-expire"]
    assert schedule["task"] == tasks.expire_waitlist_offers.name
    event, held, (w0, *_rest) = offer_event(hours=24)
    registration_cancel(registration=held[0])
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert tasks.expire_waitlist_offers.apply().get() == 1
    assert fresh(w0) == [CANCELLED]


def test_capacity_cannot_drop_below_confirmed_and_offered_seats():
    event, held, waiting = offer_event(capacity=3)
    owner = owner_of(event)
    registration_cancel(registration=held[0])  # w0 offered: 2 confirmed + 1 offered
    data = editable(event)
    data.capacity = 2
    with pytest.raises(ValidationError) as info:
        event_update(actor=owner, event=event, data=data)
    assert "3 places" in info.value.message_dict["capacity"][0]
    data.capacity = 4
    data.waitlist_offer_hours = 12
    with pytest.raises(ValidationError) as info:
        event_update(actor=owner, event=event, data=data)
    assert "24, 48, 72" in info.value.message_dict["waitlist_offer_hours"][0]


def test_offer_links_are_signed_and_bound_to_the_offer():
    event, held, (w0, *_rest) = offer_event()
    registration_cancel(registration=held[0])
    offered = Registration.objects.get(pk=w0.pk)
    token = offer_token(offered)
    assert verify_offer_token(token).pk == offered.pk
    for bad in (token[:-2] + "xx", "garbage", "", token.replace(str(offered.pk), "999", 1)):
        with pytest.raises(TicketError, match="Ce lien n'est pas valide"):
            verify_offer_token(bad)


def test_the_waiting_list_mail_of_an_offer_event_announces_the_offer(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=1, waitlist_offer_hours=72, max_group_size=None)
    registration_create(event=event, data=person("a@ex.fr"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, data=person("b@ex.fr"))
    (message,) = mail.outbox
    assert message.subject.startswith("Liste d'attente")
    for part in (message.body, message.alternatives[0][0]):
        assert "proposée par e-mail et vous aurez 72 heures pour la confirmer" in part
        assert "confirmée automatiquement" not in part


def test_the_management_command_expires_offers(capsys):
    from django.core.management import call_command

    event, held, (w0, *_rest) = offer_event(hours=24)
    registration_cancel(registration=held[0])
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        call_command("expire_waitlist_offers")
    assert "Propositions expirées et passées aux suivants : 1." in capsys.readouterr().out
    assert fresh(w0) == [CANCELLED]


def test_an_offer_never_outlives_the_events_start():
    event, held, (w0, *_rest) = offer_event(hours=72)
    with time_machine.travel(event.starts_at - dt.timedelta(hours=10)):
        registration_cancel(registration=held[0])
    assert Registration.objects.get(pk=w0.pk).offer_expires_at == event.starts_at
