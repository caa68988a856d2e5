"""One function per rule: has the event ended, is registration closed (vocations/events/rules.py).

The services enforce these rules and the pages show them; both ask the same function, so a
page can never say "open" while the service refuses, nor word a date differently.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from vocations.events.rules import (
    EVENT_ENDED,
    REGISTRATION_CLOSED,
    event_has_ended,
    event_has_started,
    registration_closed_reason,
)
from vocations.events.services import accreditation_request, registration_create

from .test_registrations_support import make_event, make_session, person

pytestmark = pytest.mark.django_db

PARIS_9H = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)  # Monday 1 March 2027, 9:00 in Paris


def test_an_event_has_ended_from_its_end_on():
    event = make_event()
    assert not event_has_ended(event, now=event.ends_at - dt.timedelta(seconds=1))
    assert event_has_ended(event, now=event.ends_at)
    assert event_has_ended(event, now=event.ends_at + dt.timedelta(days=1))


def test_an_event_has_started_from_its_start_on():
    event = make_event()
    assert not event_has_started(event, now=event.starts_at - dt.timedelta(seconds=1))
    assert event_has_started(event, now=event.starts_at)


def test_closed_reason_in_each_state():
    event = make_event(
        starts_at=PARIS_9H + dt.timedelta(days=10),
        ends_at=PARIS_9H + dt.timedelta(days=10, hours=8),
        registration_opens_at=PARIS_9H,
        registration_closes_at=None,
    )
    before = PARIS_9H - dt.timedelta(minutes=1)
    assert (
        registration_closed_reason(event, now=before)
        == "Les inscriptions ouvriront le lundi 1er mars 2027 à 9 h."
    )
    assert registration_closed_reason(event, now=PARIS_9H) == ""
    event.registration_closes_at = PARIS_9H + dt.timedelta(days=2)
    assert registration_closed_reason(event, now=event.registration_closes_at) == (
        REGISTRATION_CLOSED
    )
    assert registration_closed_reason(event, now=event.ends_at) == EVENT_ENDED


def test_a_session_that_has_ended_closes_its_registration_only():
    event = make_event()
    session = make_session(event)
    after_session = session.ends_at + dt.timedelta(minutes=1)
    assert registration_closed_reason(event, session, now=after_session) == EVENT_ENDED
    assert registration_closed_reason(event, now=after_session) == REGISTRATION_CLOSED


def test_the_service_refuses_with_the_reason_the_page_shows():
    event = make_event(registration_opens_at=timezone.now() + dt.timedelta(days=2, minutes=30))
    shown = registration_closed_reason(event)
    assert shown.startswith("Les inscriptions ouvriront le ")

    with pytest.raises(ValidationError) as refused:
        registration_create(event=event, data=person())

    assert refused.value.messages == [shown]


def test_at_the_last_instant_registration_and_press_agree_the_event_has_ended():
    event = make_event(registration_closes_at=None)
    with time_machine.travel(event.ends_at, tick=False):
        assert event_has_ended(event)
        with pytest.raises(ValidationError) as registration:
            registration_create(event=event, data=person())
        with pytest.raises(ValidationError) as press:
            accreditation_request(
                event=event,
                full_name="Claire Dupont",
                email="claire@journal.fr",
                outlet="Journal",
                role="Journaliste",
            )
    assert registration.value.messages == [EVENT_ENDED]
    assert press.value.messages == ["Cet événement est terminé."]
