"""Campaigns, waves and placements, under the budget rule.

The budget rule: the committed total of a campaign never exceeds its budget. It is a locked
invariant, not a check-then-insert: every write that changes committed money (or the budget)
first locks the Campaign row with select_for_update, then sums, then writes, in one
transaction. Planned money may exceed the budget: that is a warning (see selectors), not a
refusal, because plans are drafts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.accounts.permissions import require
from vocations.campaigns.formats import format_date, format_euros
from vocations.campaigns.models import BranchMessage, Campaign, Channel, Placement, Wave
from vocations.campaigns.services.links import validate_landing_path
from vocations.core.services import audit_log

MAX_BUDGET_CENTS = 10**13  # 100 billion euros: anything above is a typing error
MAX_QUANTITY = 10**9
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
Scope = Placement.Scope


def over_budget_message(committed_cents: int, budget_cents: int) -> str:
    excess = committed_cents - budget_cents
    return (
        f"Engagé {format_euros(committed_cents)} > budget {format_euros(budget_cents)} : "
        f"dépassement de {format_euros(excess)}"
    )


def lock_campaign(campaign: Campaign) -> Campaign:
    """Lock the campaign row: every writer of committed money queues here, in this order."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def committed_total(campaign: Campaign, *, excluding: int | None = None) -> int:
    placements = Placement.objects.filter(campaign=campaign)
    if excluding is not None:
        placements = placements.exclude(pk=excluding)
    return placements.aggregate(total=Sum("committed_cents"))["total"] or 0


def check_budget(campaign: Campaign, committed_cents: int) -> None:
    if committed_cents > campaign.budget_cents:
        raise ValidationError(
            {"committed_cents": over_budget_message(committed_cents, campaign.budget_cents)},
            code="over_budget",
        )


# --- campaigns -------------------------------------------------------------------------------


@dataclasses.dataclass
class CampaignData:
    name: str
    budget_cents: int
    starts_on: dt.date
    ends_on: dt.date
    signature: str = ""
    banner_colour: str = "#000091"
    attribution_window_days: int = 30

    @classmethod
    def from_campaign(cls, campaign: Campaign) -> CampaignData:
        return cls(**{f.name: getattr(campaign, f.name) for f in dataclasses.fields(cls)})


def _validate_campaign(data: CampaignData) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Donnez un nom à la campagne."
    if data.budget_cents < 0:
        errors["budget_cents"] = "Le budget ne peut pas être négatif."
    elif data.budget_cents > MAX_BUDGET_CENTS:
        errors["budget_cents"] = "Ce budget est invraisemblable : vérifiez le montant."
    if data.ends_on < data.starts_on:
        errors["ends_on"] = "La fin de la campagne doit suivre son début."
    if not COLOUR.match(data.banner_colour or ""):
        errors["banner_colour"] = "Couleur attendue au format #RRVVBB, par exemple #000091."
    if not 1 <= data.attribution_window_days <= 365:
        errors["attribution_window_days"] = "La fenêtre d'attribution va de 1 à 365 jours."
    if errors:
        raise ValidationError(errors)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "campagne"
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


CAMPAIGN_TEAM_ONLY = "Seule l'équipe de campagne peut créer une campagne."


@transaction.atomic
def campaign_create(*, actor, organization, data: CampaignData) -> Campaign:
    # Campaigns belong to the campaign team: an event organizer cannot open one (and reach
    # the media-plan imports) for their company (issue 15, point 4; docs/security.md).
    require(actor, "change", organization)
    if organization.kind != Organization.Kind.CAMPAIGN_TEAM:
        raise PermissionDenied(CAMPAIGN_TEAM_ONLY)
    _validate_campaign(data)
    campaign = Campaign(organization=organization, slug=_unique_slug(data.name))
    for field in dataclasses.fields(data):
        setattr(campaign, field.name, getattr(data, field.name))
    campaign.save()
    audit_log(actor=actor, action="campaign.created", target=campaign, organization=organization)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: CampaignData) -> Campaign:
    require(actor, "change", campaign)
    campaign = lock_campaign(campaign)
    _validate_campaign(data)
    committed = committed_total(campaign)
    if data.budget_cents < committed:
        raise ValidationError(
            {
                "budget_cents": (
                    f"Le budget ({format_euros(data.budget_cents)}) ne peut pas être inférieur "
                    f"au total déjà engagé ({format_euros(committed)})."
                )
            },
            code="budget_below_committed",
        )
    outside = Wave.objects.filter(campaign=campaign).exclude(
        starts_on__gte=data.starts_on, ends_on__lte=data.ends_on
    )
    if outside.exists():
        names = ", ".join(w.name for w in outside)
        raise ValidationError(
            {"starts_on": f"Ces vagues sortiraient de la période de la campagne : {names}."}
        )
    if (
        Placement.objects.filter(campaign=campaign)
        .exclude(starts_on__gte=data.starts_on, ends_on__lte=data.ends_on)
        .exists()
    ):
        raise ValidationError(
            {"starts_on": "Des emplacements sortiraient de la période de la campagne."}
        )
    before = {f.name: str(getattr(campaign, f.name)) for f in dataclasses.fields(data)}
    for field in dataclasses.fields(data):
        setattr(campaign, field.name, getattr(data, field.name))
    campaign.save()
    audit_log(
        actor=actor,
        action="campaign.updated",
        target=campaign,
        organization=campaign.organization,
        data={"before": before},
    )
    return campaign


# --- waves -----------------------------------------------------------------------------------


@dataclasses.dataclass
class WaveData:
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


def _validate_wave(campaign: Campaign, data: WaveData, *, wave: Wave | None = None) -> None:
    errors: dict[str, str] = {}
    if data.number < 1:
        errors["number"] = "Le numéro de vague commence à 1."
    elif (
        Wave.objects.filter(campaign=campaign, number=data.number)
        .exclude(pk=wave.pk if wave else None)
        .exists()
    ):
        errors["number"] = f"La vague {data.number} existe déjà dans cette campagne."
    if not data.name.strip():
        errors["name"] = "Donnez un nom à la vague."
    if data.ends_on < data.starts_on:
        errors["ends_on"] = "La fin de la vague doit suivre son début."
    elif data.starts_on < campaign.starts_on or data.ends_on > campaign.ends_on:
        errors["starts_on"] = (
            f"La vague doit se tenir pendant la campagne, du {format_date(campaign.starts_on)} "
            f"au {format_date(campaign.ends_on)}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def wave_create(*, actor, campaign: Campaign, data: WaveData) -> Wave:
    require(actor, "change", campaign)
    campaign = lock_campaign(campaign)
    _validate_wave(campaign, data)
    wave = Wave.objects.create(campaign=campaign, **dataclasses.asdict(data))
    audit_log(
        actor=actor, action="campaign.wave_created", target=wave, organization=campaign.organization
    )
    return wave


@transaction.atomic
def wave_update(*, actor, wave: Wave, data: WaveData) -> Wave:
    require(actor, "change", wave.campaign)
    campaign = lock_campaign(wave.campaign)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    _validate_wave(campaign, data, wave=wave)
    for name, value in dataclasses.asdict(data).items():
        setattr(wave, name, value)
    wave.save()
    audit_log(
        actor=actor, action="campaign.wave_updated", target=wave, organization=campaign.organization
    )
    return wave


# --- placements ------------------------------------------------------------------------------


@dataclasses.dataclass
class PlacementData:
    wave: Wave
    channel: str
    name: str
    scope: str
    starts_on: dt.date
    ends_on: dt.date
    region: object = None
    department: object = None
    commune: object = None
    quantity: int = 0
    unit: str = ""
    planned_cents: int = 0
    committed_cents: int = 0
    landing_path: str = "/"
    branch_message: BranchMessage | None = None

    @classmethod
    def from_placement(cls, placement: Placement) -> PlacementData:
        return cls(**{f.name: getattr(placement, f.name) for f in dataclasses.fields(cls)})


TERRITORY_FIELDS = {
    Scope.NATIONAL: None,
    Scope.REGION: "region",
    Scope.DEPARTMENT: "department",
    Scope.COMMUNE: "commune",
}
SCOPE_NEEDS = {
    Scope.REGION: "Choisissez la région de cet emplacement.",
    Scope.DEPARTMENT: "Choisissez le département de cet emplacement.",
    Scope.COMMUNE: "Choisissez la commune de cet emplacement.",
}


def placement_errors(campaign: Campaign, data: PlacementData) -> dict[str, str]:
    """Every rule of one media-plan line except the budget (shared with the importer)."""
    errors: dict[str, str] = {}
    if data.wave.campaign_id != campaign.pk:
        errors["wave"] = "Cette vague appartient à une autre campagne."
    if data.channel not in Channel.values:
        errors["channel"] = f"Canal inconnu ({data.channel})."
    if not data.name.strip():
        errors["name"] = "Donnez un libellé à l'emplacement."
    elif len(data.name) > 200:
        errors["name"] = "Libellé trop long (200 caractères au plus)."
    if data.scope not in TERRITORY_FIELDS:
        errors["scope"] = f"Territoire inconnu ({data.scope})."
    else:
        wanted = TERRITORY_FIELDS[data.scope]
        if wanted and getattr(data, wanted) is None:
            errors["scope"] = SCOPE_NEEDS[data.scope]
        for name in ("region", "department", "commune"):
            if name != wanted and getattr(data, name) is not None:
                errors["scope"] = (
                    "Le territoire ne correspond pas à sa portée : un emplacement "
                    f"« {Scope(data.scope).label} » ne peut pas avoir de {name_fr(name)}."
                )
    if not 0 <= data.quantity <= MAX_QUANTITY:
        errors["quantity"] = f"Quantité invraisemblable ({data.quantity})."
    if len(data.unit) > 40:
        errors["unit"] = "Unité trop longue (40 caractères au plus)."
    if data.ends_on < data.starts_on:
        errors["ends_on"] = "La fin doit suivre le début."
    elif data.starts_on < campaign.starts_on or data.ends_on > campaign.ends_on:
        errors["starts_on"] = (
            f"Les dates sortent de la campagne (du {format_date(campaign.starts_on)} au "
            f"{format_date(campaign.ends_on)})."
        )
    for name in ("planned_cents", "committed_cents"):
        value = getattr(data, name)
        if value < 0:
            errors[name] = f"Montant négatif ({format_euros(value)})."
        elif value > MAX_BUDGET_CENTS:
            errors[name] = "Montant invraisemblable."
    try:
        validate_landing_path(data.landing_path)
    except ValidationError as error:
        errors["landing_path"] = error.messages[0]
    if data.branch_message is not None and data.branch_message.campaign_id != campaign.pk:
        errors["branch_message"] = "Cette déclinaison appartient à une autre campagne."
    return errors


def name_fr(field: str) -> str:
    return {"region": "région", "department": "département", "commune": "commune"}[field]


def placement_warnings(placement: Placement | PlacementData, wave: Wave) -> list[str]:
    """What is allowed but worth a look: dates outside the wave, committed above planned."""
    warnings = []
    if placement.starts_on < wave.starts_on or placement.ends_on > wave.ends_on:
        warnings.append(
            f"« {placement.name} » sort des dates de la vague {wave.number} "
            f"({format_date(wave.starts_on)} – {format_date(wave.ends_on)})."
        )
    if placement.committed_cents > placement.planned_cents:
        warnings.append(
            f"« {placement.name} » : engagé {format_euros(placement.committed_cents)} "
            f"au-dessus du prévu {format_euros(placement.planned_cents)}."
        )
    return warnings


def _apply(placement: Placement, data: PlacementData) -> None:
    for field in dataclasses.fields(data):
        setattr(placement, field.name, getattr(data, field.name))
    placement.name = data.name.strip()


@transaction.atomic
def placement_create(*, actor, campaign: Campaign, data: PlacementData) -> Placement:
    require(actor, "change", campaign)
    campaign = lock_campaign(campaign)
    if errors := placement_errors(campaign, data):
        raise ValidationError(errors)
    check_budget(campaign, committed_total(campaign) + data.committed_cents)
    placement = Placement(campaign=campaign)
    _apply(placement, data)
    placement.save()
    audit_log(
        actor=actor,
        action="campaign.placement_created",
        target=placement,
        organization=campaign.organization,
        data={"planned_cents": data.planned_cents, "committed_cents": data.committed_cents},
    )
    return placement


@transaction.atomic
def placement_update(*, actor, placement: Placement, data: PlacementData) -> Placement:
    require(actor, "change", placement.campaign)
    campaign = lock_campaign(placement.campaign)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if errors := placement_errors(campaign, data):
        raise ValidationError(errors)
    check_budget(campaign, committed_total(campaign, excluding=placement.pk) + data.committed_cents)
    before = {
        "planned_cents": placement.planned_cents,
        "committed_cents": placement.committed_cents,
    }
    _apply(placement, data)
    placement.save()
    audit_log(
        actor=actor,
        action="campaign.placement_updated",
        target=placement,
        organization=campaign.organization,
        data={"before": before, "committed_cents": data.committed_cents},
    )
    return placement


@transaction.atomic
def placement_delete(*, actor, placement: Placement) -> None:
    require(actor, "change", placement.campaign)
    campaign = lock_campaign(placement.campaign)
    if placement.links.exists() or placement.figures.exists():
        raise ValidationError(
            "Cet emplacement a des liens suivis ou des chiffres médias : il ne peut pas être "
            "supprimé (ses visites resteraient sans origine). Désactivez plutôt ses liens."
        )
    audit_log(
        actor=actor,
        action="campaign.placement_deleted",
        target=placement,
        organization=campaign.organization,
        data={"name": placement.name, "committed_cents": placement.committed_cents},
    )
    placement.delete()
