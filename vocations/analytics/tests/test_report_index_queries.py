"""The campaign results index costs a fixed number of queries, whatever the number of campaigns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.accounts.models import Organization, User
from vocations.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def add_campaigns(start, stop):
    for i in range(start, stop):
        team = Organization.objects.create(
            name=f"Équipe {i}", slug=f"equipe-{i}", kind="campaign_team"
        )
        Campaign.objects.create(
            organization=team,
            name=f"Campagne {i}",
            slug=f"campagne-{i}",
            budget_cents=1_000_000,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_results_index_queries_do_not_grow_with_campaigns(client, django_assert_num_queries):
    client.force_login(User.objects.create_user("equipe@campagne.fr", "x", is_staff=True))
    url = "/organisateur/resultats/"
    add_campaigns(0, 1)
    with_one = count_queries(client, url)
    add_campaigns(1, 9)
    # Expected queries:
    #  1. session        2. user
    #  3. the campaigns the user may read (report_campaigns; staff: all), newest first
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.content.decode().count("Campagne ") >= 9
    assert count_queries(client, url) == with_one
