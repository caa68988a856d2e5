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
    #  4. how many links (the page count)
    #  5. a page of links with placement, wave, commune, event and branch joined (link_list)
    #  6. their visits (daily roll-ups)  7-8. their registrations, last and first touch
    #  9. how fresh the roll-ups are
    # 10. may the user change the campaign (membership EXISTS)
    # 11. the campaign's waves        12. its placements (the "new link" selects)
    with django_assert_num_queries(12):
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


def test_campaign_links_page_pages_searches_and_shows_figures(
    client, users, campaign, waves, add_placement, geo
):
    from vocations.analytics.models import Attribution, VisitDaily
    from vocations.api.tests.factories import make_event, make_organization, moment
    from vocations.events.models import Registration

    login(client, users["editor"])
    tv = add_placement(waves[0])
    billboard = add_placement(waves[0], channel="billboard", name="Affichage Rhône")
    add_links(campaign, tv, geo, 0, 60)
    add_links(campaign, billboard, geo, 60, 62)
    url = f"/organisateur/campagnes/{campaign.pk}/liens/"
    page = client.get(url).content.decode()
    assert "Page 1 sur 2 (62 liens)" in page and page.count("/l/code0") == 50
    assert f"/organisateur/resultats/{campaign.pk}/" in page
    assert client.get(url + "?page=2").content.decode().count("/l/code0") == 12

    # Search by channel name (in French, without accents), label, code or placement.
    for query, found in (("affichage", 2), ("Affiche 7", 1), ("code061", 1), ("Spot TV", 60)):
        body = client.get(url, {"q": query}).content.decode()
        assert f"Liens ({found} pour « {query} »)" in body, query
    assert "Aucun lien ne correspond" in client.get(url, {"q": "zzz"}).content.decode()

    # Figures from the roll-ups and the attributions.
    link = TrackedLink.objects.get(code="code060")
    VisitDaily.objects.create(
        day=waves[0].starts_on, link_id=link.pk, placement_id=billboard.pk,
        wave_id=waves[0].pk, campaign_id=campaign.pk, channel="billboard",
        visits=1234, unique_visitors=1000,
    )  # fmt: skip
    event = make_event(organization=make_organization())  # online: no postal code needed
    for n in range(3):
        registration = Registration.objects.create(
            event=event, kind="individual", status="confirmed", seats=1,
            email=f"p{n}@example.org", first_name="A", last_name="B", consent_at=moment(0),
        )  # fmt: skip
        touch = {"link_id": link.pk, "placement_id": billboard.pk, "wave_id": waves[0].pk}
        Attribution.objects.create(
            registration=registration, campaign_id=campaign.pk,
            first_visit_key=f"k{n}", first_at=moment(0), last_visit_key=f"k{n}",
            last_at=moment(0), **{f"first_{k}": v for k, v in touch.items()},
            **{f"last_{k}": v for k, v in touch.items()},
        )  # fmt: skip
    row = client.get(url, {"q": "code060"}).content.decode()
    assert '<td class="num">1\u202f234</td>' in row and '<td class="num">3</td>' in row
