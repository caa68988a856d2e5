"""Territory view: access, map and table, département page, under-served list, query counts."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pytest
from django.utils import timezone

from vocations.accounts.models import Membership, Organization, User
from vocations.campaigns.models import Campaign, Placement, Wave
from vocations.careers.models import Branch, Trade
from vocations.events.models import Event, Label, Registration
from vocations.territories.models import Department, Region
from vocations.territories.services import import_hiring_needs, load_geography
from vocations.territories.tests.conftest import DATA_DIR, MINI_GEOGRAPHY, write_geography

from ..views.territories import boundaries

PASSWORD = "mot-de-passe-de-test"
MAP = "/organisateur/territoires/"


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def territory(db, tmp_path):
    """Mini geography, the real BMO 2024 extract (welders and régleurs), and one labelled
    event with two confirmed registrations in the Bouches-du-Rhône."""
    load_geography(
        path=write_geography(tmp_path / "g.json.gz", json.loads(json.dumps(MINI_GEOGRAPHY)))
    )
    import_hiring_needs(
        file=io.BytesIO((DATA_DIR / "bmo_2024_extract.csv").read_bytes()),
        filename="bmo.csv",
        valid_lines_only=True,  # bassin 1118 (77, 91) is outside the mini geography
    )
    org = Organization.objects.create(slug="forges", name="Forges")
    start = timezone.make_aware(dt.datetime(2027, 3, 4, 9))
    event = Event.objects.create(
        organization=org,
        kind="open_day",
        title="Portes ouvertes",
        slug="portes-ouvertes",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        is_published=True,
        capacity=40,
        department=Department.objects.get(code="13"),
        region=Region.objects.get(code="93"),
    )
    Label.objects.update_or_create(event=event, defaults={"state": Label.State.LABELLED})
    for i, attended in enumerate((1, None)):
        Registration.objects.create(
            event=event,
            kind="individual",
            status="confirmed",
            seats=1,
            email=f"p{i}@example.org",
            first_name="A",
            last_name="B",
            consent_at=start,
            attended=attended,
        )
    return event


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff@vocations.fr", PASSWORD, is_staff=True)


def test_anonymous_is_sent_to_sign_in(client, territory):
    response = client.get(MAP)
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_organizer_without_campaign_or_branch_gets_a_french_403(client, territory):
    user = User.objects.create_user("orga@forges.fr", PASSWORD)
    client.force_login(user)
    response = client.get(MAP)
    assert response.status_code == 403
    assert "réservée à l'équipe de campagne et aux branches" in text(response)


def test_map_colours_every_department_and_links_it_with_its_value(client, territory, staff):
    client.force_login(staff)
    response = client.get(MAP)
    body = response.content.decode()
    assert response.status_code == 200
    # One focusable link per département with a shipped shape, named with its value.
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" class="territory"', body)
    assert len(links) == 4  # 13, 2A, 69, 974 (the mini geography)
    labels = {label.split(" (")[0]: label for _href, label in links}
    # 150 welders + 41 régleurs published in the Rhône.
    assert labels["Rhône"] == "Rhône (69) : 191"
    assert labels["Bouches-du-Rhône"] == "Bouches-du-Rhône (13) : 167"
    assert ("/organisateur/territoires/69/", "Rhône (69) : 191") in links
    # The extract has no industrial line in Corse-du-Sud: said, and drawn as "no figure".
    assert labels["Corse-du-Sud"] == "Corse-du-Sud (2A) : pas de chiffre"
    fills = dict(
        re.findall(r'data-code="(\w+)"><title>[^<]*</title><path d="[^"]+" fill="(#\w+)"', body)
    )
    assert fills["2A"] == "#f0f0f0"
    # Three values, three classes: 153 (Réunion) < 167 < 191, darker for more.
    assert fills["974"] != fills["13"] != fills["69"] != "#f0f0f0"
    assert "Source : France Travail, enquête BMO 2024 (métiers industriels)." in text(response)
    # The table says the same.
    row = re.search(r'<tr id="departement-69">(.*?)</tr>', body).group(1)
    assert "<td>191</td>" in row


def test_shipped_boundaries_cover_every_department_and_region():
    shapes = boundaries()
    assert len(shapes["departments"]) == 101  # 96 metropolitan + 5 overseas
    assert {"2A", "2B", "69", "971", "976"} <= set(shapes["departments"])
    assert len(shapes["regions"]) == 18
    for shape in shapes["departments"].values():
        assert shape["d"].startswith("M") and shape["d"].endswith("Z")


def test_other_measures_per_inhabitant_and_regions(client, territory, staff):
    client.force_login(staff)
    body = client.get(MAP, {"mesure": "seats"}).content.decode()
    assert 'aria-label="Bouches-du-Rhône (13) : 40"' in body
    body = client.get(MAP, {"mesure": "registrations", "pour": "10000"}).content.decode()
    # 2 registrations for Marseille's 886,040 inhabitants (the only commune of 13 here).
    assert 'aria-label="Bouches-du-Rhône (13) : 0,0 pour 10 000 hab."' in body
    page = client.get(MAP, {"mesure": "attendance", "niveau": "region"})
    assert 'aria-label="Provence-Alpes-Côte d&#x27;Azur (93) : 1"' in page.content.decode()
    assert "la population des 15–29 ans n'est pas dans nos données" in text(
        client.get(MAP, {"mesure": "projects", "pour": "10000"})
    )
    # Nonsense choices fall back to the default measure.
    assert client.get(MAP, {"mesure": "<script>", "niveau": "x"}).status_code == 200


def test_department_page_puts_need_beside_actions_and_results(client, territory, staff):
    client.force_login(staff)
    page = text(client.get(MAP + "69/"))
    assert "Rhône (69)" in page
    assert "Projets de recrutement industriels 191" in page
    assert "3 ligne(s) BMO masquée(s)" in page
    assert "Soudeurs (D1X33) 150 91 % 3" in page
    assert "Régleurs (D0X33) 41" in page
    assert "Événements labellisés 0" in page
    marseille = text(client.get(MAP + "13/"))
    assert "Événements labellisés 1" in marseille and "Places offertes 40" in marseille
    assert "Inscriptions (places confirmées) 2" in marseille
    assert "Présents aux événements 1" in marseille
    assert client.get(MAP + "99/").status_code == 404


def test_under_served_ranks_need_without_action_with_a_reason(client, territory, staff):
    client.force_login(staff)
    page = text(client.get(MAP + "sous-dotes/"))
    # The Rhône: most industrial projects per inhabitant here, no event, no placement.
    assert "Rhône (69) — Besoin élevé : 191 projets de recrutement industriels" in page
    assert "Aucune action : ni événement labellisé, ni emplacement de campagne." in page
    # The Bouches-du-Rhône has an event and registrations: action and reach, not listed.
    assert "Bouches-du-Rhône (13) —" not in page


def test_branch_sees_its_own_trades(client, territory):
    branch = Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="UIMM")
    welder = Trade.objects.create(rome_code="H2913", title="Soudeur", slug="soudeur")
    welder.branches.add(branch)
    org = Organization.objects.create(
        slug="uimm", name="UIMM", kind=Organization.Kind.BRANCH, branch=branch
    )
    user = User.objects.create_user("branche@uimm.fr", PASSWORD)
    Membership.objects.create(user=user, organization=org, role="viewer")
    client.force_login(user)
    response = client.get(MAP)
    assert response.status_code == 200
    assert "Vous voyez les métiers de UIMM" in text(response)
    # Only the welders (ROME H2913): the régleurs (H2912) are not a trade of this branch.
    assert 'aria-label="Rhône (69) : 150"' in response.content.decode()


def test_campaign_team_member_sees_everything(client, territory):
    org = Organization.objects.create(slug="campagne", name="Campagne")
    Campaign.objects.create(
        organization=org,
        name="Vocations 2027",
        slug="vocations-2027",
        budget_cents=0,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    user = User.objects.create_user("team@campagne.fr", PASSWORD)
    Membership.objects.create(user=user, organization=org, role="viewer")
    client.force_login(user)
    response = client.get(MAP)
    assert response.status_code == 200
    assert "Vous voyez tous les métiers industriels" in text(response)


def test_placements_and_visits_count_for_their_department(client, territory, staff):
    from vocations.analytics.models import VisitDaily

    org = Organization.objects.create(slug="campagne", name="Campagne")
    campaign = Campaign.objects.create(
        organization=org,
        name="Vocations 2027",
        slug="vocations-2027",
        budget_cents=0,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    wave = Wave.objects.create(
        campaign=campaign,
        number=1,
        name="Vague 1",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 2, 1),
    )
    rhone = Department.objects.get(code="69")
    placement = Placement.objects.create(
        campaign=campaign,
        wave=wave,
        channel="billboard",
        name="Affiches Lyon",
        scope="department",
        department=rhone,
        region=rhone.region,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 1, 31),
    )
    VisitDaily.objects.create(
        day=dt.date(2027, 1, 5),
        placement=placement,
        wave=wave,
        campaign=campaign,
        channel="billboard",
        visits=12,
        unique_visitors=10,
    )
    client.force_login(staff)
    body = client.get(MAP, {"mesure": "placements"}).content.decode()
    assert 'aria-label="Rhône (69) : 1"' in body
    body = client.get(MAP, {"mesure": "visits"}).content.decode()
    assert 'aria-label="Rhône (69) : 12"' in body


def test_query_counts(client, territory, staff, django_assert_num_queries):
    client.force_login(staff)
    client.get(MAP)  # warm the session and the shipped-boundaries cache
    # 1. session, 2. user; rows: 3. départements with régions, 4. BMO totals per département
    # and year (the DepartmentNeed roll-up), 5. population (DepartmentPopulation), 6. events,
    # seats, registrations and attendance per département (the event-activity roll-up),
    # 7. placements, 8. visits (VisitDaily), 9. active collective members.
    with django_assert_num_queries(9):
        client.get(MAP)
    with django_assert_num_queries(9):
        client.get(MAP, {"mesure": "members"})
    # Régions add 10. regional placements, 11. regional visits, 12. région ids.
    with django_assert_num_queries(12):
        client.get(MAP, {"niveau": "region"})
    # The département page: the same nine, plus 10.-11. latest year and its top trades.
    with django_assert_num_queries(11):
        client.get(MAP + "69/")
    with django_assert_num_queries(9):
        client.get(MAP + "sous-dotes/")


def test_collective_members_show_where_the_collective_is_absent(client, territory, staff):
    """Active members per département (a member who left does not count), beside need and
    labelled events: the Bouches-du-Rhône has an event and a member, the Rhône needs welders
    and has none."""
    from vocations.ambassadors.models import Ambassador

    collective = Organization.objects.create(slug="collectif", name="Collectif", kind="collective")
    bdr, rhone = Department.objects.get(code="13"), Department.objects.get(code="69")
    for i, (department, status) in enumerate(
        [(bdr, "active"), (bdr, "active"), (bdr, "left"), (rhone, "left")]
    ):
        user = User.objects.create_user(f"membre{i}@example.org", PASSWORD)
        Ambassador.objects.create(
            collective=collective, user=user, display_name=f"M{i}", department=department,
            status=status,
        )  # fmt: skip
    client.force_login(staff)
    body = client.get(MAP, {"mesure": "members"}).content.decode()
    assert "Membres du collectif d&#x27;ambassadeurs" in body
    assert 'aria-label="Bouches-du-Rhône (13) : 2"' in body
    assert 'aria-label="Rhône (69) : 0"' in body
    rate = client.get(MAP, {"mesure": "members", "pour": "10000"}).content.decode()
    assert "Bouches-du-Rhône (13) : 0,0 pour 10 000 hab." in rate
    regions = client.get(MAP, {"mesure": "members", "niveau": "region"}).content.decode()
    assert "Provence-Alpes-Côte d&#x27;Azur (93) : 2" in regions
    page = text(client.get(MAP + "13/"))
    assert "Membres du collectif d'ambassadeurs 2" in page
