"""The next-wave planner for the campaign team (vocations/planner): plans of a campaign, a
new plan's inputs, the status page while the worker computes, the result, the CSV export.

The campaign is looked up in the user's scope (404 otherwise); creating a plan needs "change"
on it (403 for viewers); organizers and branches see no campaign, hence 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vocations.accounts.permissions import can
from vocations.campaigns.models import Channel
from vocations.core.forms import add_service_errors
from vocations.planner import selectors
from vocations.planner.models import Plan
from vocations.planner.services import plan_create, plan_export_csv

from ..forms.planner import PlanForm
from ..gate import CAMPAIGN, PLAN, gate
from ..planner_charts import (
    allocation_bars,
    curve_charts,
    department_map,
    previous_department_map,
)
from .common import forbidden, not_found

CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de préparer un plan."


@gate("view", CAMPAIGN)
def plan_list(request: HttpRequest, campaign) -> HttpResponse:
    return render(
        request,
        "backoffice/planner/list.html",
        {
            "page_title": f"Planifier la prochaine vague — {campaign.name}",
            "campaign": campaign,
            "plans": selectors.plan_list(campaign),
            "can_change": can(request.user, "change", campaign),
        },
    )


MAX_COMPARED = 4


@gate("view", CAMPAIGN)
def plan_compare(request: HttpRequest, campaign) -> HttpResponse:
    """Saved plans side by side: amount and expected registrations per channel, totals and
    need reached. The plans are ticked on the list (GET ?plan=…&plan=…)."""
    ids = [int(v) for v in request.GET.getlist("plan") if v.isdigit()][:MAX_COMPARED]
    plans = selectors.plans_to_compare(campaign, ids)
    context = {
        "page_title": f"Comparer des plans — {campaign.name}",
        "campaign": campaign,
        "plans": plans,
        "max_compared": MAX_COMPARED,
    }
    if len(plans) < 2:
        context["error"] = (
            "Cochez au moins deux plans prêts (au plus "
            f"{MAX_COMPARED}) dans la liste pour les comparer."
        )
        return render(request, "backoffice/planner/compare.html", context, status=400)
    labels = dict(Channel.choices)
    channels = sorted({c for p in plans for c in p.result["allocation"]}, key=list(labels).index)
    context["rows"] = [
        {
            "label": labels[c],
            "cells": [
                {
                    "amount": p.result["allocation"].get(c),
                    **p.result["plan"]["channels"].get(c, {}),
                }
                for p in plans
            ],
        }
        for c in channels
    ]
    context["totals"] = [p.result["plan"] for p in plans]
    return render(request, "backoffice/planner/compare.html", context)


@gate("change", CAMPAIGN, denied=CANNOT_CHANGE)
def plan_new(request: HttpRequest, campaign) -> HttpResponse:
    waves = selectors.campaign_waves(campaign)
    form = PlanForm(request.POST or None, waves=waves, channels=Channel.choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = plan_create(
                    actor=request.user,
                    campaign=campaign,
                    wave=form.cleaned_data["wave"],
                    data=form.to_data(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                return forbidden(request, CANNOT_CHANGE)
            else:
                messages.success(request, f"Plan « {plan.name} » lancé.")
                return redirect("backoffice:plan_detail", pk=campaign.pk, plan_pk=plan.pk)
        status = 400
    return render(
        request,
        "backoffice/planner/form.html",
        {
            "page_title": "Nouveau plan de vague",
            "campaign": campaign,
            "form": form,
        },
        status=status,
    )


@gate("view", CAMPAIGN, PLAN)
def plan_detail(request: HttpRequest, campaign, plan) -> HttpResponse:
    context = {
        "page_title": plan.name,
        "campaign": campaign,
        "plan": plan,
        "labels": dict(Channel.choices),
    }
    if plan.status in (Plan.Status.PENDING, Plan.Status.RUNNING):
        return render(request, "backoffice/planner/status.html", context)
    if plan.status == Plan.Status.DONE:
        result = plan.result
        context.update(
            rows=_rows(result, context["labels"]),
            bars=allocation_bars(result, context["labels"]),
            curves=curve_charts(result, context["labels"]),
            map=department_map(result),
            previous_map=previous_department_map(result),
            departments=_departments(result),
            levels=_levels(result),
            measured=_measured(campaign, plan, result, context["labels"]),
        )
    return render(request, "backoffice/planner/detail.html", context)


def _rows(result, labels):
    rows = []
    for channel, amount in result["allocation"].items():
        plan_row = result["plan"]["channels"][channel]
        rows.append(
            {
                "label": labels[channel],
                "amount": amount,
                "plan": plan_row,
                "same": result["same_as_last_wave"]["channels"][channel],
                "equal": result["equal_split"]["channels"][channel],
                "previous_amount": result["previous_wave"]["amounts"].get(channel, 0),
                "previous_measured": result["previous_wave"]["measured"].get(channel, 0),
                "fit": result["fits"][channel],
                "backtest": (result.get("backtest") or {}).get(channel),
            }
        )
    return rows


def _departments(result):
    places = result.get("territories", {})
    return sorted(
        (
            {"code": c, "events": n, "mobilise": c in places.get("mobilise", [])}
            for c, n in places.get("events", {}).items()
        ),
        key=lambda r: r["code"],
    )


def _levels(result):
    """Billboards' response per département (partially pooled), best first."""
    levels = result.get("territories", {}).get("levels", {})
    return sorted(
        ({"code": code, **level} for code, level in levels.items()),
        key=lambda row: (row["thin"], -row["multiplier"]),
    )


def _measured(campaign, plan, result, labels):
    """After the wave: what was attributed per channel, beside the plan's prediction."""
    if plan.wave not in selectors.measured_waves(campaign):
        return None
    measured = selectors.measured_by_channel(campaign, plan.wave)
    return [
        {
            "label": labels[c],
            "predicted": result["plan"]["channels"][c]["registrations"],
            "low": result["plan"]["channels"][c]["low"],
            "high": result["plan"]["channels"][c]["high"],
            "measured": measured.get(c, 0.0),
        }
        for c in result["allocation"]
    ]


@gate("view", CAMPAIGN, PLAN)
def plan_export(request: HttpRequest, campaign, plan) -> HttpResponse:
    if plan.status != Plan.Status.DONE:
        return not_found(request, "Ce plan n'a pas de résultat à exporter.")
    response = HttpResponse(plan_export_csv(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.pk}-vague-{plan.wave.number}.csv"'
    )
    return response
