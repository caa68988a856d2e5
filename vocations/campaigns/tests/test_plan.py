"""The budget rule, territory/scope rules, dates, and permissions of the plan services."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.campaigns.formats import format_euros, parse_euros_to_cents
from vocations.campaigns.models import Placement
from vocations.campaigns.selectors import campaign_totals
from vocations.campaigns.services import (
    CampaignData,
    WaveData,
    campaign_create,
    campaign_update,
    placement_create,
    placement_delete,
    placement_update,
    tracked_link_create,
    wave_create,
)
from vocations.core.models import AuditEntry

from .conftest import EUR, placement_data

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def plain(message: str) -> str:
    return message.replace(NBSP, " ")


def test_committed_up_to_the_exact_budget_is_accepted(add_placement, campaign, waves):
    add_placement(waves[0], committed_cents=10_000_000 * EUR, planned_cents=10_000_000 * EUR)
    add_placement(waves[1], committed_cents=5_000_000 * EUR, planned_cents=5_000_000 * EUR)
    assert campaign_totals(campaign).total.committed_cents == campaign.budget_cents


def test_one_cent_over_the_budget_is_refused_with_the_figures(add_placement, campaign, waves):
    add_placement(waves[0], committed_cents=15_000_000 * EUR - 1)
    with pytest.raises(ValidationError) as caught:
        add_placement(waves[1], name="Deux centimes", committed_cents=2, planned_cents=2)
    assert plain(caught.value.message_dict["committed_cents"][0]) == (
        "Engagé 15 000 000,01 € > budget 15 000 000 € : dépassement de 0,01 €"
    )
    assert Placement.objects.count() == 1


def test_over_budget_message_matches_the_brief(add_placement, campaign, waves):
    add_placement(waves[0], committed_cents=15_000_000 * EUR)
    with pytest.raises(ValidationError) as caught:
        add_placement(waves[1], name="Affichage", committed_cents=120_000 * EUR)
    assert plain(caught.value.messages[0]) == (
        "Engagé 15 120 000 € > budget 15 000 000 € : dépassement de 120 000 €"
    )


def test_update_counts_the_placement_once(add_placement, users, campaign, waves):
    placement = add_placement(waves[0], committed_cents=15_000_000 * EUR)
    data = placement_data(waves[0], committed_cents=15_000_000 * EUR, unit="écrans")
    updated = placement_update(actor=users["staff"], placement=placement, data=data)
    assert updated.unit == "écrans"
    with pytest.raises(ValidationError, match="dépassement de 1"):
        placement_update(
            actor=users["staff"],
            placement=placement,
            data=dataclasses.replace(data, committed_cents=15_000_000 * EUR + 1 * EUR),
        )
    placement.refresh_from_db()
    assert placement.committed_cents == 15_000_000 * EUR and placement.unit == "écrans"


def test_planned_over_budget_is_allowed_with_a_warning(add_placement, campaign, waves):
    add_placement(waves[0], planned_cents=16_000_000 * EUR, committed_cents=0)
    totals = campaign_totals(campaign)
    assert totals.total.planned_cents == 16_000_000 * EUR
    assert any(
        plain(w).startswith("Prévu 16 000 000 € > budget 15 000 000 €") for w in totals.warnings
    )


def test_budget_cannot_drop_below_committed(add_placement, users, campaign, waves):
    add_placement(waves[0], committed_cents=9_000_000 * EUR)
    data = CampaignData.from_campaign(campaign)
    with pytest.raises(ValidationError) as caught:
        campaign_update(
            actor=users["staff"],
            campaign=campaign,
            data=dataclasses.replace(data, budget_cents=8_999_999 * EUR),
        )
    assert "total déjà engagé (9 000 000 €)" in plain(caught.value.messages[0])
    campaign.refresh_from_db()
    assert campaign.budget_cents == 15_000_000 * EUR
    campaign_update(
        actor=users["staff"],
        campaign=campaign,
        data=dataclasses.replace(data, budget_cents=9_000_000 * EUR),
    )
    campaign.refresh_from_db()
    assert campaign.budget_cents == 9_000_000 * EUR


@pytest.mark.parametrize(
    ("scope", "territory", "message"),
    [
        ("region", {}, "Choisissez la région"),
        ("department", {}, "Choisissez le département"),
        ("commune", {"department": "rhone"}, "ne peut pas avoir de département"),
        ("national", {"commune": "lyon"}, "ne peut pas avoir de commune"),
        ("region", {"region": "ara", "commune": "lyon"}, "ne peut pas avoir de commune"),
    ],
)
def test_territory_must_match_its_scope(add_placement, waves, geo, scope, territory, message):
    objects = {name: geo[key] for name, key in territory.items()}
    with pytest.raises(ValidationError) as caught:
        add_placement(waves[0], scope=scope, **objects)
    assert message in caught.value.message_dict["scope"][0]
    assert not Placement.objects.exists()


def test_each_scope_with_its_territory_is_accepted(add_placement, waves, geo):
    add_placement(waves[0], name="R", scope="region", region=geo["ara"], committed_cents=0)
    add_placement(
        waves[0], name="D", scope="department", department=geo["rhone"], committed_cents=0
    )
    add_placement(waves[0], name="C", scope="commune", commune=geo["lyon"], committed_cents=0)
    assert Placement.objects.count() == 3


def test_dates_outside_the_campaign_are_refused(add_placement, waves):
    with pytest.raises(ValidationError, match="sortent de la campagne"):
        add_placement(waves[0], starts_on=dt.date(2025, 12, 1))


def test_dates_outside_the_wave_are_a_warning(add_placement, campaign, waves):
    add_placement(waves[0], ends_on=dt.date(2026, 4, 30))
    warnings = campaign_totals(campaign).warnings
    assert any("sort des dates de la vague 1" in w for w in warnings)


def test_wave_of_another_campaign_is_refused(add_placement, users, campaign, other_campaign):
    foreign_wave = other_campaign.waves.get()
    with pytest.raises(ValidationError, match="autre campagne"):
        placement_create(actor=users["staff"], campaign=campaign, data=placement_data(foreign_wave))


def test_wave_must_stay_inside_the_campaign(users, campaign):
    data = WaveData(
        number=1, name="Hors", starts_on=dt.date(2028, 12, 20), ends_on=dt.date(2029, 1, 5)
    )
    with pytest.raises(ValidationError, match="pendant la campagne"):
        wave_create(actor=users["staff"], campaign=campaign, data=data)


def test_duplicate_wave_number_is_refused(users, campaign, waves):
    data = WaveData(
        number=2, name="Bis", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 9)
    )
    with pytest.raises(ValidationError, match="La vague 2 existe déjà"):
        wave_create(actor=users["staff"], campaign=campaign, data=data)


def test_only_editors_of_the_campaign_organization_may_change(users, campaign, waves):
    for name in ("viewer", "other", "branch_editor"):
        with pytest.raises(PermissionDenied):
            placement_create(actor=users[name], campaign=campaign, data=placement_data(waves[0]))
    placement = placement_create(
        actor=users["editor"], campaign=campaign, data=placement_data(waves[0])
    )
    entry = AuditEntry.objects.get(action="campaign.placement_created")
    assert entry.actor == users["editor"] and entry.target_id == str(placement.pk)


def test_campaign_create_checks_fields(users, team):
    data = CampaignData(
        name="", budget_cents=-1, starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 1, 1),
        banner_colour="bleu",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        campaign_create(actor=users["staff"], organization=team, data=data)
    assert set(caught.value.message_dict) == {"name", "budget_cents", "ends_on", "banner_colour"}
    good = dataclasses.replace(
        data,
        name="Campagne",
        budget_cents=100,
        ends_on=dt.date(2026, 3, 1),
        banner_colour="#112233",
    )
    campaign = campaign_create(actor=users["editor"], organization=team, data=good)
    assert campaign.slug == "campagne"
    with pytest.raises(PermissionDenied):
        campaign_create(actor=users["viewer"], organization=team, data=good)


def test_placement_with_links_cannot_be_deleted(add_placement, users, waves):
    placement = add_placement(waves[0])
    tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    with pytest.raises(ValidationError, match="ne peut pas être supprimé"):
        placement_delete(actor=users["staff"], placement=placement)
    bare = add_placement(waves[1], committed_cents=0)
    placement_delete(actor=users["staff"], placement=bare)
    assert not Placement.objects.filter(pk=bare.pk).exists()


@pytest.mark.parametrize(
    ("raw", "cents"),
    [("1 234,56", 123456), ("1\u202f234,5 €", 123450), ("15 000 000", 1_500_000_000),
     ("1.234,56", 123456), ("1,234.56", 123456), ("12", 1200), (12.5, 1250), ("0", 0)],
)  # fmt: skip
def test_euros_are_read_in_french_formats(raw, cents):
    assert parse_euros_to_cents(raw) == cents


def test_euros_are_written_the_french_way():
    assert format_euros(123456) == f"1{NBSP}234,56{NBSP}€"
    assert format_euros(1_500_000_000) == f"15{NBSP}000{NBSP}000{NBSP}€"
