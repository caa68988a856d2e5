from __future__ import annotations

import datetime as dt
import html

import pytest

from vocations.accounts.models import Membership, Organization, User
from vocations.campaigns.models import Campaign, Placement, Wave
from vocations.campaigns.services import PlacementData, placement_create
from vocations.careers.models import Branch
from vocations.territories.models import Commune, Department, Region

PASSWORD = "mot-de-passe-de-test"
EUR = 100


@pytest.fixture
def geo(db):
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    paca = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur", slug="paca")
    rhone = Department.objects.create(code="69", name="Rhône", slug="rhone", region=ara)
    # "84" is both a région (ARA) and a département (Vaucluse): the importer must ask which.
    vaucluse = Department.objects.create(code="84", name="Vaucluse", slug="vaucluse", region=paca)
    lyon = Commune.objects.create(
        insee_code="69123", name="Lyon", department=rhone, region=ara, population=520_000
    )
    avignon = Commune.objects.create(
        insee_code="84007", name="Avignon", department=vaucluse, region=paca, population=90_000
    )
    return {"ara": ara, "rhone": rhone, "vaucluse": vaucluse, "lyon": lyon, "avignon": avignon}


@pytest.fixture
def users(db):
    def make(email, **extra):
        return User.objects.create_user(email, PASSWORD, **extra)

    return {
        "staff": make("staff@campagne.fr", is_staff=True),
        "editor": make("editor@equipe.fr"),
        "viewer": make("viewer@equipe.fr"),
        "other": make("owner@autre.fr"),
        "branch_editor": make("editor@branche.fr"),
    }


@pytest.fixture
def team(users):
    org = Organization.objects.create(
        name="Équipe de campagne", slug="equipe", kind="campaign_team"
    )
    Membership.objects.create(user=users["editor"], organization=org, role="editor")
    Membership.objects.create(user=users["viewer"], organization=org, role="viewer")
    return org


@pytest.fixture
def other_org(users):
    org = Organization.objects.create(name="Autre", slug="autre", kind="company")
    Membership.objects.create(user=users["other"], organization=org, role="owner")
    return org


@pytest.fixture
def branch(users):
    branch = Branch.objects.create(slug="chimie", name="Branche de la chimie", short_name="Chimie")
    org = Organization.objects.create(
        name="France Chimie", slug="france-chimie", kind="branch", branch=branch
    )
    Membership.objects.create(user=users["branch_editor"], organization=org, role="editor")
    return branch


def make_campaign(organization, *, slug="avec-l-industrie", budget_euros=15_000_000):
    return Campaign.objects.create(
        organization=organization,
        name="Avec l'industrie",
        slug=slug,
        budget_cents=budget_euros * EUR,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )


@pytest.fixture
def campaign(team):
    return make_campaign(team)


@pytest.fixture
def waves(campaign):
    return [
        Wave.objects.create(
            campaign=campaign,
            number=n,
            name=f"Vague {n}",
            starts_on=dt.date(2026 + (n - 1) // 2, 3 if n % 2 else 10, 1),
            ends_on=dt.date(2026 + (n - 1) // 2, 3 if n % 2 else 10, 21),
        )
        for n in (1, 2, 3, 4)
    ]


@pytest.fixture
def other_campaign(other_org):
    campaign = make_campaign(other_org, slug="autre-campagne")
    Wave.objects.create(
        campaign=campaign,
        number=1,
        name="Vague 1",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 21),
    )
    return campaign


def placement_data(wave, **overrides) -> PlacementData:
    values = dict(
        wave=wave,
        channel="tv",
        name="Spot TV national",
        scope=Placement.Scope.NATIONAL,
        starts_on=wave.starts_on,
        ends_on=wave.ends_on,
        quantity=120,
        unit="spots",
        planned_cents=1_000_000 * EUR,
        committed_cents=1_000_000 * EUR,
    )
    values.update(overrides)
    return PlacementData(**values)


@pytest.fixture
def add_placement(users, campaign):
    def make(wave, **overrides):
        return placement_create(
            actor=users["staff"], campaign=wave.campaign, data=placement_data(wave, **overrides)
        )

    return make


def text(response) -> str:
    return html.unescape(response.content.decode())
