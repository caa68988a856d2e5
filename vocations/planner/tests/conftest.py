"""A campaign with three measured waves drawn from the known curves, a team, outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from vocations.accounts.models import Membership, Organization, User
from vocations.analytics.tests.support import make_event
from vocations.campaigns.models import Campaign, Wave
from vocations.setup.demo_planner import build_measured_waves
from vocations.territories.models import Commune, Department, EmploymentArea, HiringNeed, Region

PASSWORD = "mot-de-passe-de-test"
AMOUNTS = {"tv": 1_300_000.0, "billboard": 850_000.0, "social": 230_000.0, "events": 180_000.0}


@dataclass
class History:
    campaign: Campaign
    waves: list[Wave]
    next_wave: Wave
    truths: dict
    users: dict


@pytest.fixture
def history(db) -> History:
    return build_history()


def build_history() -> History:
    """Also used by the browser test (tests/e2e/test_planner.py)."""
    users = {
        name: User.objects.create_user(f"{name}@exemple.fr", PASSWORD, **extra)
        for name, extra in (
            ("editor", {}),
            ("viewer", {}),
            ("organizer", {}),
            ("branch", {}),
            ("staff", {"is_staff": True}),
        )
    }
    team = Organization.objects.create(name="Équipe", slug="equipe", kind="campaign_team")
    Membership.objects.create(user=users["editor"], organization=team, role="editor")
    Membership.objects.create(user=users["viewer"], organization=team, role="viewer")
    company = Organization.objects.create(name="Usine", slug="usine", kind="company")
    Membership.objects.create(user=users["organizer"], organization=company, role="owner")
    branch = Organization.objects.create(name="Branche", slug="branche", kind="branch")
    Membership.objects.create(user=users["branch"], organization=branch, role="owner")
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    for code, name, projects in (("69", "Rhône", 9000), ("01", "Ain", 3000), ("38", "Isère", 6000)):
        department = Department.objects.create(
            code=code, name=name, slug=name.lower(), region=region
        )
        area = EmploymentArea.objects.create(
            code=f"{code}01", name=f"Bassin {name}", department=department
        )
        HiringNeed.objects.create(
            year=2024,
            bmo_code="X",
            bmo_name="Métier",
            employment_area=area,
            department=department,
            projects=projects,
            difficult=projects // 2,
        )
    Commune.objects.create(
        insee_code="38185",
        name="Grenoble",
        department=Department.objects.get(code="38"),
        region=region,
        population=158_000,
    )
    Commune.objects.create(
        insee_code="69123",
        name="Lyon",
        department_id=Department.objects.get(code="69").pk,
        region=region,
        population=520_000,
    )
    start = dt.date(2025, 1, 6)
    campaign = Campaign.objects.create(
        organization=team,
        name="Avec l'industrie",
        slug="avec",
        budget_cents=15_000_000_00,
        starts_on=start,
        ends_on=dt.date(2027, 12, 31),
    )
    waves = [
        Wave.objects.create(
            campaign=campaign,
            number=i + 1,
            name=f"Vague {i + 1}",
            starts_on=start + dt.timedelta(days=150 * i),
            ends_on=start + dt.timedelta(days=150 * i + 34),
        )
        for i in range(3)
    ]
    next_wave = Wave.objects.create(
        campaign=campaign,
        number=4,
        name="Vague 4",
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 3, 7),
    )
    event = make_event(
        company,
        starts_at=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 3, 1, 17, tzinfo=dt.UTC),
        capacity=100_000,
    )
    truths = build_measured_waves(
        campaign,
        event,
        amounts=AMOUNTS,
        waves=waves,
        seed=7,
        quantities={"billboard": 1200, "events": 400},
        cities=list(Commune.objects.select_related("department")),
    )
    return History(campaign, waves, next_wave, truths, users)


def plan_data(**overrides):
    data = {
        "name": "Vague 4 — proposition",
        "budget_cents": 2_600_000_00,
        "fixed_costs_cents": 100_000_00,
        "starts_on": dt.date(2027, 2, 1),
        "ends_on": dt.date(2027, 3, 7),
        "minimums": {},
        "max_shares": {},
        "channel_weights": {},
        "difficulty_weight": 1.0,
        "must_cover": [],
        "must_not": [],
        "draws": 40,
    }
    data.update(overrides)
    return data
