"""Writes of the planner: create a plan (checked, then computed by the worker), run it, export
it as the media plan CSV the campaign imports (vocations/campaigns/services/imports.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from vocations.accounts.permissions import require
from vocations.campaigns.models import Campaign, Channel, Wave
from vocations.core.services import audit_log

from . import selectors
from .models import Plan
from .optimize import Infeasible, check_channels, euros
from .runner import channel_bounds
from .tasks import run_plan

# A plan above ten times the campaign's whole budget is a typing error, not a plan.
ABSURD_FACTOR = 10
MAX_DAYS = 120
LABELS = dict(Channel.choices)


def _clean(campaign: Campaign, wave: Wave, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    budget = data["budget_cents"]
    fixed = data.get("fixed_costs_cents", 0) or 0
    if budget <= 0:
        error("budget_cents", "Le budget doit être positif.")
    elif budget > ABSURD_FACTOR * campaign.budget_cents:
        error(
            "budget_cents",
            f"Budget invraisemblable : plus de {ABSURD_FACTOR} fois celui de "
            f"la campagne ({euros(campaign.budget_cents / 100)}).",
        )
    if fixed < 0:
        error("fixed_costs_cents", "Les frais fixes ne peuvent pas être négatifs.")
    elif budget > 0 and fixed >= budget:
        error(
            "fixed_costs_cents",
            f"Le budget ({euros(budget / 100)}) ne couvre pas les frais "
            f"fixes ({euros(fixed / 100)}) : il ne reste rien à répartir.",
        )
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if ends_on < starts_on:
        error("ends_on", "La fin précède le début.")
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        error("ends_on", f"Une vague dure au plus {MAX_DAYS} jours.")
    if starts_on < campaign.starts_on or ends_on > campaign.ends_on:
        error("starts_on", "Les dates sortent de la période de la campagne.")
    if wave.campaign_id != campaign.pk:
        error("wave", "Cette vague n'appartient pas à la campagne.")
    minimums = data.get("minimums", {})
    shares = data.get("max_shares", {})
    for channel, cents in minimums.items():
        if channel not in LABELS or cents < 0:
            error("minimums", f"Minimum invalide pour {LABELS.get(channel, channel)}.")
    for channel, share in shares.items():
        if channel not in LABELS or not 0 <= share <= 1:
            error(
                "max_shares",
                f"Part maximale invalide pour {LABELS.get(channel, channel)} (entre 0 et 100 %).",
            )
    for channel, weight in data.get("channel_weights", {}).items():
        if channel not in LABELS or not 0 <= weight <= 10:
            error(
                "channel_weights",
                f"Poids invalide pour {LABELS.get(channel, channel)} (entre 0 et 10).",
            )
    if not 0 <= data.get("difficulty_weight", 1.0) <= 10:
        error("difficulty_weight", "Le poids des recrutements difficiles va de 0 à 10.")
    must, must_not = set(data.get("must_cover", [])), set(data.get("must_not", []))
    known = set(selectors.Department.objects.values_list("code", flat=True))
    for field, codes in (("must_cover", must), ("must_not", must_not)):
        unknown = sorted(codes - known)
        if unknown:
            error(field, f"Départements inconnus : {', '.join(unknown)}.")
    both = sorted(must & must_not)
    if both:
        error("must_not", f"Départements à la fois imposés et exclus : {', '.join(both)}.")
    if not errors:
        try:
            check_channels(
                (budget - fixed) / 100,
                {c: LABELS[c] for c in LABELS},
                channel_bounds(minimums, shares),
            )
        except Infeasible as blocked:
            error("__all__", str(blocked))
    if errors:
        raise ValidationError(errors)
    return data


def plan_create(*, actor, campaign: Campaign, wave: Wave, data: dict[str, Any]):
    """Check the inputs (French errors, nothing stored when refused), store the plan as
    pending and queue its computation after commit."""
    require(actor, "change", campaign)
    data = _clean(campaign, wave, data)
    with transaction.atomic():
        plan = Plan.objects.create(
            campaign=campaign,
            wave=wave,
            name=data["name"],
            budget_cents=data["budget_cents"],
            fixed_costs_cents=data.get("fixed_costs_cents", 0) or 0,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            inputs={
                k: data.get(k, default)
                for k, default in (
                    ("minimums", {}),
                    ("max_shares", {}),
                    ("channel_weights", {}),
                    ("difficulty_weight", 1.0),
                    ("must_cover", []),
                    ("must_not", []),
                    ("draws", settings.PLANNER_POSTERIOR_DRAWS),
                )
            },
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            actor=actor,
            action="planner.plan_create",
            target=plan,
            organization=campaign.organization,
            data={"budget_cents": plan.budget_cents},
        )
        transaction.on_commit(lambda: run_plan.delay(plan.pk))
    return plan


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def plan_export_csv(plan) -> bytes:
    """The plan as a media plan file (columns of campaigns.services.imports.PLAN_COLUMNS): one line
    per national channel, one per billboard city (INSEE code), one per département with
    events; planned cost only (nothing is committed by a plan)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "vague",
            "canal",
            "libellé",
            "territoire",
            "quantité",
            "unité",
            "début",
            "fin",
            "coût prévu",
            "coût engagé",
        ]
    )
    result = plan.result
    places = result.get("territories", {})
    start, end = _date(plan.starts_on), _date(plan.ends_on)
    wave = plan.wave.number

    def money(value: float) -> str:
        return f"{value:.2f}".replace(".", ",")

    for channel, amount in result.get("allocation", {}).items():
        if amount < 1:
            continue
        label = LABELS[channel]
        placed = 0.0
        if channel == "billboard" and places.get("billboards"):
            unit = places["panel_cost"]
            for insee, panels in sorted(places["billboards"].items()):
                placed += round(panels * unit, 2)
                writer.writerow(
                    [
                        wave,
                        label,
                        f"Affichage — plan {plan.name}"[:200],
                        insee,
                        panels,
                        "panneaux",
                        start,
                        end,
                        money(panels * unit),
                        "0",
                    ]
                )
        elif channel == "events" and places.get("events"):
            unit = places["event_cost"]
            for code, count in sorted(places["events"].items()):
                placed += round(count * unit, 2)
                writer.writerow(
                    [
                        wave,
                        label,
                        f"Événements — plan {plan.name}"[:200],
                        f"département {code}",
                        count,
                        "événements",
                        start,
                        end,
                        money(count * unit),
                        "0",
                    ]
                )
        # What the integer parts could not place (cities or départements full) stays national,
        # so the file carries the channel's whole amount.
        rest = amount - placed
        if rest >= 1:
            name = f"{label} — plan {plan.name}" + (" (reste à affecter)" if placed else "")
            writer.writerow(
                [wave, label, name[:200], "national", "", "", start, end, money(rest), "0"]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
