"""List pages cost a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.events.models import (
    EventPartner,
    Label,
    Partner,
    Session,
    Space,
    Universe,
)
from vocations.events.services import accreditation_request

from .conftest import at

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_events(
    login, users, org, make_event, django_assert_max_num_queries
):
    client = login(users["owner"])
    for i in range(3):
        make_event(org, title=f"Événement {i}")
    with_three = count_queries(client, "/organisateur/")
    for i in range(3, 13):
        make_event(org, title=f"Événement {i}")
    # Expected queries:
    #  1. session        2. user
    #  3. organizations with the user's role (organization_list_for_user)
    #  4. count of events in scope (paginator)
    #  5. one page of events with organization, commune, département and label joined
    with django_assert_max_num_queries(5):
        response = client.get("/organisateur/")
    assert response.content.decode().count("/organisateur/evenements/") >= 13
    assert count_queries(client, "/organisateur/") == with_three


def test_review_queue_queries_do_not_grow_with_events(
    login, users, org, make_event, django_assert_max_num_queries
):
    client = login(users["staff"])
    for i in range(3):
        make_event(org, title=f"Demande {i}", state=Label.State.SUBMITTED)
    with_three = count_queries(client, "/organisateur/revue/")
    for i in range(3, 13):
        make_event(org, title=f"Demande {i}", state=Label.State.SUBMITTED)
    # Expected queries:
    #  1. session        2. user
    #  3. régions for the filter select
    #  4. submitted events with organization, commune, département, région and label joined
    with django_assert_max_num_queries(4):
        response = client.get("/organisateur/revue/")
    assert response.content.decode().count("/organisateur/revue/") >= 13
    assert count_queries(client, "/organisateur/revue/") == with_three


# --- an event's press accreditations, partners and programme ---------------------------------


def add_accreditations(event, start, stop):
    for i in range(start, stop):
        accreditation_request(
            event=event,
            full_name=f"Journaliste {i}",
            email=f"presse{i}@journal.fr",
            outlet=f"Journal {i}",
            role="Journaliste",
        )


def add_partners(event, start, stop):
    for i in range(start, stop):
        partner = Partner.objects.create(name=f"Partenaire {i}")
        EventPartner.objects.create(event=event, partner=partner, position=i)


def add_programme(event, trade, start, stop):
    # One universe with one space (a partner and a trade) and one session, per step.
    for i in range(start, stop):
        partner = Partner.objects.create(name=f"Partenaire {i}")
        universe = Universe.objects.create(event=event, name=f"Univers {i}", position=i)
        space = Space.objects.create(universe=universe, name=f"Espace {i}", partner=partner)
        space.trades.add(trade)
        Session.objects.create(
            event=event,
            space=space,
            kind="conference",
            title=f"Conférence {i}",
            starts_at=at(20, 10),
            ends_at=at(20, 11),
            capacity=30,
        )


def test_press_list_queries_do_not_grow_with_requests(
    login, users, draft_event, django_assert_num_queries
):
    client = login(users["owner"])
    url = f"/organisateur/evenements/{draft_event.pk}/presse/"
    add_accreditations(draft_event, 0, 1)
    with_one = count_queries(client, url)
    add_accreditations(draft_event, 1, 9)
    # Expected queries:
    #  1. session        2. user
    #  3. the event, in the user's scope
    #  4. the number of requests per status (one GROUP BY)
    #  5. may the user change the event (membership EXISTS)
    #  6. the requests
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("Journaliste ") >= 9
    assert count_queries(client, url) == with_one


def test_partner_list_queries_do_not_grow_with_partners(
    login, users, draft_event, django_assert_num_queries
):
    client = login(users["owner"])
    url = f"/organisateur/evenements/{draft_event.pk}/partenaires/"
    add_partners(draft_event, 0, 1)
    with_one = count_queries(client, url)
    add_partners(draft_event, 1, 9)
    # Expected queries:
    #  1. session        2. user
    #  3. the event, in the user's scope
    #  4. may the user change the event (membership EXISTS)
    #  5. the event's partners with the partner joined
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("Partenaire ") >= 9
    assert count_queries(client, url) == with_one


def test_programme_queries_do_not_grow_with_universes_spaces_and_sessions(
    login, users, draft_event, trades, django_assert_num_queries
):
    client = login(users["owner"])
    url = f"/organisateur/evenements/{draft_event.pk}/programme/"
    add_programme(draft_event, trades["welder"], 0, 1)
    with_one = count_queries(client, url)
    add_programme(draft_event, trades["welder"], 1, 6)
    # Expected queries:
    #  1. session        2. user
    #  3. the event, in the user's scope
    #  4. may the user change the event (membership EXISTS)
    #  5. universes     6. spaces with their partner joined     7. the spaces' trades
    #  8. sessions with their space joined
    with django_assert_num_queries(8):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("Conférence ") >= 6 and body.count("Espace ") >= 6
    assert count_queries(client, url) == with_one
