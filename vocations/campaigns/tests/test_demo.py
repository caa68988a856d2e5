"""The demo campaign: 4 waves, every channel, 65 billboard cities, committed under budget."""

from __future__ import annotations

import random

import pytest
from django.db.models import Sum

from vocations.accounts.models import Organization
from vocations.campaigns.demo import build_campaigns
from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, TrackedLink
from vocations.campaigns.selectors import campaign_totals
from vocations.campaigns.services import validate_landing_path
from vocations.territories.models import Commune

pytestmark = pytest.mark.django_db


def test_demo_campaign(geo):
    rhone = geo["rhone"]
    Commune.objects.bulk_create(
        Commune(insee_code=f"69{i:03d}", name=f"Ville {i}", department=rhone,
                region=rhone.region, population=1000 + i)
        for i in range(200, 280)
    )  # fmt: skip
    Organization.objects.create(name="Équipe", slug="equipe", kind="campaign_team")
    counts = build_campaigns(random.Random(1), "small")
    campaign = Campaign.objects.get()
    # Billboards: one placement per région of the 65 cities (one région here); press: the
    # regional dailies whose région exists (Auvergne-Rhône-Alpes's here) and the trade press.
    press = Placement.objects.filter(channel="press", wave__number=1)
    assert sorted(press.values_list("scope", "region__code")) == [
        ("national", None),
        ("region", "84"),
    ]
    assert press.get(scope="region").name == "Presse régionale — Le Progrès"
    assert counts["vagues"] == 4 and counts["emplacements"] == Placement.objects.count()
    national = Placement.objects.filter(scope="national").exclude(channel="press")
    assert national.count() == 4 * (len(Channel.values) - 2)
    assert set(Placement.objects.values_list("channel", flat=True)) == set(Channel.values)
    totals = campaign_totals(campaign)
    assert totals.total.committed_cents <= campaign.budget_cents == 15_000_000 * 100
    assert totals.total.planned_cents <= campaign.budget_cents
    assert not [w for w in totals.warnings if "budget" in w]
    cinema = Placement.objects.filter(channel="cinema").first()
    assert cinema.quantity == 500 and (cinema.ends_on - cinema.starts_on).days == 20
    for wave in campaign.waves.all():
        billboards = Placement.objects.filter(channel="billboard", wave=wave)
        cities = TrackedLink.objects.filter(placement__in=billboards, commune__isnull=False)
        assert cities.count() == 65 and billboards.count() >= 1
        for billboard in billboards:
            assert billboard.scope == "region"
            assert not billboard.links.exclude(commune__region=billboard.region).exists()
    assert TrackedLink.objects.count() == counts["liens suivis"]
    codes = list(TrackedLink.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    for path in TrackedLink.objects.values_list("landing_path", flat=True).distinct():
        validate_landing_path(path)
    # Figures only for what is over, and spend never above what was committed.
    assert MediaFigure.objects.exists()
    for placement in Placement.objects.filter(figures__isnull=False).distinct():
        spend = placement.figures.filter(metric="spend_cents").aggregate(s=Sum("value_milli"))["s"]
        assert spend // 1000 <= placement.committed_cents
    # TV is reported per airing evening (so the daily series can centre on one), the rest
    # per week.
    tv = MediaFigure.objects.filter(placement__channel="tv", metric="grp")
    assert tv.exists() and all(f.period_start == f.period_end for f in tv)
    weekly = MediaFigure.objects.filter(placement__channel="cinema")
    assert all(f.period_end > f.period_start for f in weekly)
    assert build_campaigns(random.Random(1), "small") == {}  # built once
