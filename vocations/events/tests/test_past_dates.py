"""Events cannot be created, moved or published into the past (issue 15, point 8).

Before: an organizer could create an event that started last year and publish it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vocations.events.models import Event
from vocations.events.services import event_create, event_publish, event_update
from vocations.events.services.events import EventData

pytestmark = pytest.mark.django_db

PAST_START = "La date de début est passée : choisissez une date à venir."


@pytest.fixture
def moment():
    # Relative to now: these tests must hold whatever day they run.
    return timezone.now().replace(microsecond=0)


def test_a_new_event_cannot_start_in_the_past(org, users, event_data, moment):
    data = event_data(
        starts_at=moment - dt.timedelta(days=1), ends_at=moment + dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        event_create(actor=users["owner"], organization=org, data=data)
    assert error.value.message_dict["starts_at"] == [PAST_START]
    assert not Event.objects.exists()


def test_an_event_cannot_be_moved_into_the_past(draft_event, users, moment):
    data = EventData.from_event(draft_event)
    data.starts_at, data.ends_at = moment - dt.timedelta(days=2), moment - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        event_update(actor=users["owner"], event=draft_event, data=data)
    assert error.value.message_dict["starts_at"] == [PAST_START]


def test_an_event_under_way_keeps_its_dates_when_other_fields_are_edited(
    draft_event, users, moment
):
    Event.objects.filter(pk=draft_event.pk).update(
        starts_at=moment - dt.timedelta(hours=2), ends_at=moment + dt.timedelta(hours=6)
    )
    draft_event.refresh_from_db()
    data = EventData.from_event(draft_event)
    data.summary = "Corrigé pendant l'événement"
    event_update(actor=users["owner"], event=draft_event, data=data)
    draft_event.refresh_from_db()
    assert draft_event.summary == "Corrigé pendant l'événement"


def test_an_event_that_is_over_cannot_be_published(draft_event, users, moment):
    Event.objects.filter(pk=draft_event.pk).update(
        starts_at=moment - dt.timedelta(days=2), ends_at=moment - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        event_publish(actor=users["owner"], event=draft_event)
    assert error.value.messages == ["L'événement est terminé : il ne peut plus être publié."]
    draft_event.refresh_from_db()
    assert not draft_event.is_published
