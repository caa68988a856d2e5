"""Outcome figures with known numbers: per event, per session, départements, audiences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.accounts.models import User
from vocations.events.models import Registration
from vocations.events.outcomes import checkin_counts, event_outcomes
from vocations.events.services import (
    registration_cancel,
    registration_check_in,
    registration_create,
)

from .test_registrations_support import group, make_department, make_event, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """An event (capacity 100) with a workshop session (capacity 12) and a dinner (1 seat).

    event pool: class A (25 + 2, Rhône, 26 came), class B (18 + 2, Finistère, no one scanned),
                Léa and Hugo (young people; Léa came), a parent (cancelled);
    workshop:   class C (10 + 1, Rhône, 11 came);
    dinner:     Inès (confirmed, came), Jules (waitlisted).
    """
    make_department("69")
    make_department("29")
    event = make_event(capacity=100, title="Usine ouverte")
    workshop = make_session(event, title="Atelier soudure", capacity=12)
    dinner = make_session(
        event,
        title="Dîner",
        capacity=1,
        starts_at=event.starts_at + dt.timedelta(hours=6),
        ends_at=event.starts_at + dt.timedelta(hours=7),
    )
    team = User.objects.create_user("equipe@campagne.fr", "x", is_staff=True)

    def check_in(registration, attended=None):
        registration_check_in(
            actor=team, event=event, ticket=registration.ticket_code, attended=attended
        )

    a = registration_create(event=event, data=group(25, 2, email="a@college.fr"))
    registration_create(event=event, data=group(18, 2, email="b@lycee.fr", origin_department="29"))
    lea = registration_create(event=event, data=person("lea@example.fr"))
    registration_create(event=event, data=person("hugo@example.fr"))
    parent = registration_create(event=event, data=person("parent@example.fr", audience="parents"))
    registration_cancel(registration=parent)
    c = registration_create(event=event, session=workshop, data=group(10, 1, email="c@cfa.fr"))
    ines = registration_create(
        event=event, session=dinner, data=person("ines@example.fr", audience="advisers")
    )
    jules = registration_create(
        event=event, session=dinner, data=person("jules@example.fr", audience="parents")
    )
    assert jules.status == Registration.Status.WAITLISTED
    check_in(a, 26)
    check_in(lea)
    check_in(c)
    check_in(ines)
    return {"event": event, "workshop": workshop, "dinner": dinner}


def test_event_totals(scene):
    event = scene["event"]
    outcomes = event_outcomes(event, now=event.starts_at - dt.timedelta(days=1))
    t = outcomes.total
    assert t.registrations == 6  # A, B, Léa, Hugo, C, Inès
    assert t.registered == 27 + 20 + 1 + 1 + 11 + 1
    assert (t.individuals, t.groups, t.pupils, t.adults) == (3, 3, 53, 5)
    assert (t.checked_in, t.attended) == (4, 26 + 1 + 11 + 1)
    assert (t.waitlisted, t.waitlisted_seats, t.cancelled) == (1, 1, 1)
    # Before the event the door is still open: no no-show rate yet.
    assert t.no_show_rate is None


def test_no_show_rate_once_ended(scene):
    event = scene["event"]
    after = event.ends_at + dt.timedelta(hours=1)
    outcomes = event_outcomes(event, now=after)
    assert outcomes.total.no_show_rate == pytest.approx(1 - 39 / 61)
    pools = {pool.label: pool for pool in outcomes.pools}
    assert list(pools) == ["Événement (hors séances)", "Atelier soudure", "Dîner"]
    assert pools["Événement (hors séances)"].no_show_rate == pytest.approx(1 - 27 / 49)
    assert pools["Atelier soudure"].no_show_rate == 0
    assert pools["Dîner"].no_show_rate == 0


def test_per_session(scene):
    event = scene["event"]
    # The workshop (first hour) is over, the dinner is not.
    during = scene["workshop"].ends_at + dt.timedelta(minutes=5)
    pools = {pool.label: pool for pool in event_outcomes(event, now=during).pools}
    own = pools["Événement (hors séances)"]
    assert (own.registrations, own.registered, own.groups, own.pupils) == (4, 49, 2, 43)
    assert (own.attended, own.cancelled, own.no_show_rate) == (27, 1, None)
    workshop = pools["Atelier soudure"]
    assert workshop.session == scene["workshop"]
    assert (workshop.registered, workshop.groups, workshop.pupils, workshop.adults) == (
        11,
        1,
        10,
        1,
    )
    assert (workshop.attended, workshop.no_show_rate) == (11, 0)
    dinner = pools["Dîner"]
    assert (dinner.registered, dinner.individuals, dinner.waitlisted) == (1, 1, 1)
    assert dinner.no_show_rate is None


def test_departments_and_audiences(scene):
    outcomes = event_outcomes(scene["event"])
    departments = [(d.code, d.groups, d.pupils, d.attended) for d in outcomes.departments]
    # Top list: most pupils first.
    assert departments == [("69", 2, 35, 37), ("29", 1, 18, 0)]
    audiences = [(a.code, a.label, a.individuals, a.attended) for a in outcomes.audiences]
    # Confirmed individuals only: the cancelled parent and the waitlisted one are not there.
    assert audiences == [
        ("young_people", "Jeune", 2, 1),
        ("advisers", "Enseignant, conseiller ou prescripteur", 1, 1),
    ]


def test_empty_event_and_query_count():
    event = make_event()
    with CaptureQueriesContext(connection) as queries:
        outcomes = event_outcomes(event, now=event.ends_at + dt.timedelta(days=1))
    # pools, sessions, départements, audiences
    assert len(queries) == 4
    assert outcomes.total.registered == 0
    assert outcomes.total.no_show_rate is None
    assert [pool.label for pool in outcomes.pools] == ["Événement (hors séances)"]
    assert outcomes.departments == [] and outcomes.audiences == []


def test_checkin_counts(scene):
    counts = checkin_counts(scene["event"])
    assert (counts.arrived, counts.expected, counts.checked_in, counts.confirmed) == (
        39,
        61,
        4,
        6,
    )
