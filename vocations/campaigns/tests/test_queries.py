"""The campaign team's list pages cost a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.campaigns.models import BranchMessage, TrackedLink
from vocations.careers.models import Branch, Trade

from .conftest import PASSWORD, make_campaign

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_links(campaign, placement, geo, start, stop):
    for i in range(start, stop):
        TrackedLink.objects.create(
            code=f"code{i:03d}",
            campaign=campaign,
            target_kind="placement",
            placement=placement,
            landing_path="/",
            label=f"Affiche {i}",
            commune=geo["lyon"] if i % 2 else geo["avignon"],
        )


def add_messages(campaign, start, stop):
    for i in range(start, stop):
        branch = Branch.objects.create(slug=f"branche-{i}", name=f"Branche {i}", short_name=f"B{i}")
        message = BranchMessage.objects.create(
            campaign=campaign, branch=branch, title=f"Déclinaison {i}", text="Texte"
        )
        trade = Trade.objects.create(rome_code=f"H{i:04d}", title=f"Métier {i}", slug=f"m-{i}")
        message.trades.add(trade)


def test_campaign_list(client, users, team, django_assert_num_queries):
    login(client, users["editor"])
    make_campaign(team, slug="c-0")
    with_one = count_queries(client, "/organisateur/campagnes/")
    for i in range(1, 8):
        make_campaign(team, slug=f"c-{i}")
    # Expected queries:
    #  1. session        2. user
    #  3. the user's campaigns with their organization, placement count and committed sum
    #     (campaign_list_for_user: one annotated query)
    #  4. may the user create a campaign (an organization where they may change: EXISTS)
    with django_assert_num_queries(4):
        response = client.get("/organisateur/campagnes/")
    assert response.content.decode().count("/organisateur/campagnes/") >= 8
    assert count_queries(client, "/organisateur/campagnes/") == with_one


def test_campaign_links(
    client, users, campaign, waves, add_placement, geo, django_assert_num_queries
):
    login(client, users["editor"])
    placement = add_placement(waves[0])
    add_links(campaign, placement, geo, 0, 1)
    url = f"/organisateur/campagnes/{campaign.pk}/liens/"
    with_one = count_queries(client, url)
    add_links(campaign, placement, geo, 1, 9)
    # Expected queries:
    #  1. session        2. user
    #  3. the campaign, in the user's scope
    #  4. its links with placement, wave, commune, event and branch joined (link_list)
    #  5. may the user change the campaign (membership EXISTS)
    #  6. the campaign's waves        7. its placements (the "new link" selects)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("/l/code") >= 9
    assert count_queries(client, url) == with_one


def test_campaign_variants(client, users, campaign, django_assert_num_queries):
    login(client, users["editor"])
    add_messages(campaign, 0, 1)
    url = f"/organisateur/campagnes/{campaign.pk}/declinaisons/"
    with_one = count_queries(client, url)
    add_messages(campaign, 1, 8)
    # Expected queries:
    #  1. session        2. user
    #  3. the campaign, in the scope of the user or of their branch
    #  4. the branches the user edits (ids)
    #  5. may the user change the campaign (membership EXISTS)
    #  6. the variants with their branch joined (branch_message_list)
    #  7. their audiences     8. their trades     9. their placements (three prefetches)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("Déclinaison ") >= 8
    assert count_queries(client, url) == with_one
