"""List pages cost a fixed number of queries, whatever the number of events."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.events.models import Label

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
