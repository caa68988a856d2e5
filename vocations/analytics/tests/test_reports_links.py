"""Reports by tracked link: a national placement's cities in the territory report, the per-link
table of a placement (selector and back-office screen, CSV, query counts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vocations.accounts.models import User
from vocations.analytics.links import resolve_link
from vocations.analytics.report_details import LINK_GONE_LABEL, link_figures
from vocations.analytics.reports import (
    NATIONAL_LABEL,
    Figures,
    campaign_report,
    territory_report,
)
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.analytics.services.rollups import rollup_visits
from vocations.campaigns.models import TrackedLink
from vocations.events.models import Registration
from vocations.territories.models import Commune, Department, Region

from .support import TEST_UA, build_world, code, register, register_group, request

pytestmark = pytest.mark.django_db


def _visit(link, *, when, ip):
    visit = build_visit(
        request(ip=ip, ua=TEST_UA),
        landing_path="/",
        source="qr",
        link=resolve_link(link.code),
        now=when,
    )
    record_visit(visit=visit)
    return visit["visit_key"]


def _marseille() -> Commune:
    region, _ = Region.objects.get_or_create(
        code="93", defaults={"name": "Provence-Alpes-Côte d'Azur", "slug": "paca"}
    )
    department, _ = Department.objects.get_or_create(
        code="13", defaults={"name": "Bouches-du-Rhône", "slug": "bdr", "region": region}
    )
    commune, _ = Commune.objects.get_or_create(
        insee_code="13055",
        defaults={"name": "Marseille", "department": department, "region": region},
    )
    return commune


def _city_link(world, placement, commune, n: int) -> TrackedLink:
    return TrackedLink.objects.create(
        code=code("v", 900 + n),
        campaign=world.campaign,
        target_kind="placement",
        placement=placement,
        landing_path="/",
        label=f"Affiche {commune.name}",
        commune=commune,
    )


@pytest.fixture
def cities(world):
    """The national TV placement gets two city links (Lyon, Marseille) beside its own link.

    Lyon: 2 visits, one group registration of 22 seats with 20 present; Marseille: 1 visit,
    no registration; the link without a commune: 3 visits, 1 registration (1 seat).
    """
    now = timezone.now()
    lyon = _city_link(world, world.tv, world.billboard.commune, 1)
    marseille = _city_link(world, world.tv, _marseille(), 2)
    lyon_keys = [_visit(lyon, when=now - dt.timedelta(minutes=i), ip=f"10.2.0.{i}") for i in (1, 2)]
    _visit(marseille, when=now, ip="10.3.0.1")
    tv_keys = [_visit(world.tv_link, when=now, ip=f"10.4.0.{i}") for i in range(3)]
    group = register_group(world.event, pupils=20, adults=2)
    attribute_registration(registration=group, visit_key=lyon_keys[0])
    Registration.objects.filter(pk=group.pk).update(attended=20)
    attribute_registration(registration=register(world.event), visit_key=tv_keys[0])
    rollup_visits(since=now - dt.timedelta(hours=1))
    return lyon, marseille


def _by_label(rows):
    return {row.label: row.figures for row in rows}


def test_national_placement_is_split_by_its_links_cities(world, cities):
    report = campaign_report(campaign=world.campaign)
    tv = report.atoms[world.tv.pk]
    assert (tv.visits, tv.registrations, tv.seats, tv.attendance) == (6, 2, 23, 20)

    rows = _by_label(territory_report(report, level="department"))
    # The regional LinkedIn placement keeps its région row.
    assert set(rows) == {
        "Auvergne-Rhône-Alpes",
        "Rhône (69)",
        "Bouches-du-Rhône (13)",
        NATIONAL_LABEL,
    }
    national = rows[NATIONAL_LABEL]
    # Spend and reach stay with the placement, with what came through the link without a
    # city; unique visitors follow their link, so they never exceed the row's visits.
    assert (national.spend_cents, national.committed_cents) == (tv.spend_cents, 900_000_00)
    assert (national.visits, national.unique_visitors) == (3, 3)
    assert (national.registrations, national.seats) == (1, 1)
    # The TV's spend is not in the same row as all its results: no cost, never "0 €".
    assert national.cost_per_registration_cents is None
    assert national.cost_gap == "non réparti"
    marseille = rows["Bouches-du-Rhône (13)"]
    assert (
        marseille.as_tuple() == Figures(visits=1, unique_visitors=1, unallocated_parts=1).as_tuple()
    )
    assert marseille.placements == 0  # its spend shows "non réparti"
    # Rhône: the Lyon billboard placement (no activity here) plus the TV's Lyon link.
    rhone = rows["Rhône (69)"]
    assert (rhone.spend_cents, rhone.visits, rhone.registrations, rhone.seats) == (
        report.atoms[world.billboard.pk].spend_cents,
        2,
        1,
        22,
    )
    assert rhone.attendance == 20

    regions = _by_label(territory_report(report, level="region"))
    assert regions["Auvergne-Rhône-Alpes"].visits == 2
    assert regions["Provence-Alpes-Côte d'Azur"].visits == 1
    assert regions[NATIONAL_LABEL].visits == 3
    for level in ("department", "region"):
        total = Figures()
        for row in territory_report(report, level=level):
            total.add(row.figures)
        assert total.add(report.unplaced).measures() == report.total.measures()
        for row in territory_report(report, level=level):
            assert row.figures.unique_visitors <= row.figures.visits


def test_first_touch_territories_follow_the_first_link(world, cities):
    lyon, _ = cities
    report = campaign_report(campaign=world.campaign)
    rows = _by_label(territory_report(report))
    assert rows["Rhône (69)"].first_registrations == 1
    assert rows[NATIONAL_LABEL].first_registrations == 1


def test_link_figures_rows_sorted_and_adding_up_to_the_placement(world, cities):
    lyon, marseille = cities
    rows = link_figures(placement=world.tv)
    # TV link and Lyon: one registration each, so visits decide (3 against 2).
    assert [row.link for row in rows] == [world.tv_link, lyon, marseille]
    first = rows[1]
    assert first.city == "Lyon (69)" and first.label == "Affiche Lyon"
    assert (first.figures.visits, first.figures.registrations, first.figures.seats) == (2, 1, 22)
    assert first.figures.attendance == 20
    # Daily distinct visitors of the link: two addresses that day.
    assert first.figures.unique_visitors == 2
    total = Figures()
    for row in rows:
        total.add(row.figures)
    atom = campaign_report(campaign=world.campaign).atoms[world.tv.pk]
    assert (total.visits, total.registrations, total.seats, total.attendance) == (
        atom.visits,
        atom.registrations,
        atom.seats,
        atom.attendance,
    )
    # A link without any figure still has its row (a city that brought nobody).
    silent = _city_link(world, world.tv, world.billboard.commune, 3)
    rows = link_figures(placement=world.tv)
    assert rows[-1].link == silent and rows[-1].figures.as_tuple() == Figures().as_tuple()


def test_link_figures_keeps_figures_of_a_deleted_link(world, cities):
    _, marseille = cities
    TrackedLink.objects.filter(pk=marseille.pk).delete()
    rows = link_figures(placement=world.tv)
    gone = [row for row in rows if row.link is None]
    assert len(gone) == 1 and gone[0].label == LINK_GONE_LABEL
    assert gone[0].figures.visits == 1


def test_link_figures_ignores_cancelled_registrations(world, cities):
    lyon, _ = cities
    Registration.objects.filter(attribution__last_link_id=world.tv_link.pk).update(
        status="cancelled"
    )
    rows = link_figures(placement=world.tv)
    # The TV link lost its registration: Lyon's registration comes before its 3 visits.
    assert [row.link for row in rows][:2] == [lyon, world.tv_link]
    assert (rows[1].figures.visits, rows[1].figures.registrations, rows[1].figures.seats) == (
        3,
        0,
        0,
    )


def test_link_figures_query_count_does_not_grow_with_links(
    world, cities, django_assert_num_queries
):
    # 4: the placement's links (communes joined), daily visits by link, last-touch and
    # first-touch attributions by link.
    with django_assert_num_queries(4):
        link_figures(placement=world.tv)
    now = timezone.now()
    for i in range(15):
        link = _city_link(world, world.tv, world.billboard.commune, 10 + i)
        _visit(link, when=now, ip=f"10.5.0.{i}")
    rollup_visits(since=now - dt.timedelta(hours=1))
    with django_assert_num_queries(4):
        rows = link_figures(placement=world.tv)
    assert len(rows) == 18


# --- screens -------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, world):
    user = User.objects.create_user("equipe@campagne.fr", "mot-de-passe-x", is_staff=True)
    client.force_login(user)
    return client


def test_placement_links_screen_and_csv(staff_client, world, cities):
    base = f"/organisateur/resultats/{world.campaign.pk}/"
    url = f"{base}emplacements/{world.tv.pk}/"
    report_page = staff_client.get(base).content.decode()
    assert f'href="{url}"' in report_page
    assert "Bouches-du-Rhône (13)" in report_page  # the TV's Marseille link in the territories
    page = staff_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("Affiche Lyon") < body.index("Affiche Marseille")
    assert "Lyon (69)" in body, body
    assert "pas réparties entre les villes" in body
    csv_response = staff_client.get(url + "export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("lien;libellé;ville;visites")
    lyon, _ = cities
    assert lines[2] == f"/l/{lyon.code};Affiche Lyon;Lyon (69);2;2;1;22;20;1;20"


def test_placement_links_screen_refuses_others(client, staff_client, world):
    other = build_world()
    # A placement of another campaign, through this campaign's address: not found.
    response = staff_client.get(
        f"/organisateur/resultats/{world.campaign.pk}/emplacements/{other.tv.pk}/"
    )
    assert response.status_code == 404
    assert "existe pas dans cette campagne" in response.content.decode()
    client.logout()
    someone = User.objects.create_user("org@usine.fr", "mot-de-passe-x")
    client.force_login(someone)
    url = f"/organisateur/resultats/{world.campaign.pk}/emplacements/{world.tv.pk}/export.csv"
    assert client.get(url).status_code == 404


def test_placement_links_screen_query_count_does_not_grow(staff_client, world, settings):
    settings.ANALYTICS_FLUSH_INTERVAL = 600
    url = f"/organisateur/resultats/{world.campaign.pk}/emplacements/{world.billboard.pk}/"
    staff_client.get(url)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    now = timezone.now()
    for i in range(12):
        link = _city_link(world, world.billboard, _marseille(), 40 + i)
        _visit(link, when=now, ip=f"10.6.0.{i}")
    rollup_visits(since=now - dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as large:
        body = staff_client.get(url).content.decode()
    # 9: session, user, the scoped campaign, the placement (its wave joined), the links
    # (communes joined), daily visits by link, last-touch and first-touch attributions by
    # link, the roll-up state (freshness). Not one per link.
    assert len(large.captured_queries) == len(small.captured_queries) == 9
    assert body.count('class="report-link"') == 13
