"""The event form refuses a start date in the past (issue 15, point 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vocations.events.models import Event

from .conftest import form_payload, text

pytestmark = pytest.mark.django_db

PAST_START = "La date de début est passée : choisissez une date à venir."


@pytest.fixture
def moment():
    return timezone.now().replace(microsecond=0)


def test_the_create_form_shows_the_past_date_error(login, users, org, places, sector, moment):
    past = timezone.localtime(moment - dt.timedelta(days=3))
    response = login(users["owner"]).post(
        "/organisateur/evenements/nouveau/",
        form_payload(
            organization=org.pk,
            starts_at=past.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(past + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            registration_opens_at=None,
            registration_closes_at=None,
        ),
    )
    assert response.status_code == 400
    assert PAST_START in text(response)
    assert not Event.objects.exists()
