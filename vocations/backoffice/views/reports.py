"""Campaign reports for the campaign team: waves → channels → placements, territories, days, CSV.

The figures come from vocations/analytics/reports.py (roll-ups, media figures, attributions):
no screen counts the raw visit table. See docs/analytics.md for the definitions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vocations.analytics.reports import (
    COLLECTIVE_LABEL,
    UNPLACED_LABEL,
    Figures,
    LinkRow,
    campaign_report,
    channel_totals,
    daily_series,
    link_figures,
    territory_report,
)
from vocations.analytics.rollups import catch_up, rolled_until
from vocations.analytics.selectors import report_campaign, report_campaigns
from vocations.campaigns.models import Campaign, Channel, Placement
from vocations.core.exports import csv_writer

from .common import not_found

NOT_FOUND_CAMPAIGN = "Cette campagne n'existe pas ou vous n'avez pas accès à ses résultats."
NOT_FOUND_PLACEMENT = "Cet emplacement n'existe pas dans cette campagne."
SERIES_DAYS = 14
CHART_HEIGHT = 120
CHART_BAR = 14


def _touch(request: HttpRequest) -> str:
    return "first" if request.GET.get("attribution") == "first" else "last"


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/reports/index.html",
        {
            "page_title": "Résultats des campagnes",
            "campaigns": list(report_campaigns(request.user)),
        },
    )


@login_required
def campaign_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_campaign(request.user, pk)
    if campaign is None:
        return not_found(request, NOT_FOUND_CAMPAIGN)
    catch_up()
    touch = _touch(request)
    level = "region" if request.GET.get("territoire") == "region" else "department"
    report = campaign_report(campaign=campaign, touch=touch)
    return render(
        request,
        "backoffice/reports/campaign.html",
        {
            "page_title": f"Résultats — {campaign.name}",
            "campaign": campaign,
            "report": report,
            "touch": touch,
            "level": level,
            "channels": channel_totals(report),
            "territories": territory_report(report, level=level),
            "unplaced_label": UNPLACED_LABEL,
            "collective_label": COLLECTIVE_LABEL,
            "rolled_until": rolled_until(),
        },
    )


def _cell(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}".replace(".", ",")


CSV_HEADER = [
    "niveau",
    "vague",
    "canal",
    "emplacement",
    "territoire",
    "dépense (€)",
    "portée déclarée",
    "visites",
    "visiteurs uniques (somme des jours)",
    "inscriptions",
    "places",
    "présents",
    "coût par inscription (€)",
]


def _csv_row(level, wave, channel, placement, territory, f) -> list:
    return [
        level,
        wave,
        channel,
        placement,
        territory,
        _cell(f.spend_cents),
        f.reach,
        f.visits,
        f.unique_visitors,
        f.registrations,
        f.seats,
        f.attendance,
        _cell(f.cost_per_registration_cents),
    ]


@login_required
def campaign_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_campaign(request.user, pk)
    if campaign is None:
        return not_found(request, NOT_FOUND_CAMPAIGN)
    catch_up()
    touch = _touch(request)
    report = campaign_report(campaign=campaign, touch=touch)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="resultats-{campaign.slug}-{touch}.csv"'
    )
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv_writer(response)
    writer.writerow(CSV_HEADER)
    for wave in report.waves:
        writer.writerow(_csv_row("vague", wave.label, "", "", "", wave.figures))
        for channel in wave.children:
            writer.writerow(_csv_row("canal", wave.label, channel.label, "", "", channel.figures))
            for row in channel.children:
                territory = row.placement.get_scope_display() if row.placement else ""
                writer.writerow(
                    _csv_row(
                        "emplacement", wave.label, channel.label, row.label, territory, row.figures
                    )
                )
    writer.writerow(_csv_row("hors plan média", "", "", UNPLACED_LABEL, "", report.unplaced))
    writer.writerow(_csv_row("dont collectif", "", "", COLLECTIVE_LABEL, "", report.collective))
    writer.writerow(_csv_row("campagne", campaign.name, "", "", "", report.total))
    return response


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def campaign_series_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_campaign(request.user, pk)
    if campaign is None:
        return not_found(request, NOT_FOUND_CAMPAIGN)
    catch_up()
    error = ""
    center = _parse_day(request.GET.get("date"))
    if request.GET.get("date") and center is None:
        error = "La date doit être au format AAAA-MM-JJ, par exemple 2027-03-20."
    center = center or timezone.localdate()
    waves = list(campaign.waves.order_by("number"))
    wave_id = next((w.pk for w in waves if str(w.pk) == request.GET.get("vague")), None)
    channel = request.GET.get("canal", "")
    channel = channel if channel in Channel.values else ""
    series = daily_series(
        campaign=campaign,
        center=center,
        days=SERIES_DAYS,
        wave_id=wave_id,
        channel=channel,
        touch=_touch(request),
    )
    peak = max((row["visits"] for row in series), default=0) or 1
    for i, row in enumerate(series):
        row["bar_height"] = round(row["visits"] * CHART_HEIGHT / peak)
        row["bar_x"] = i * (CHART_BAR + 2)
        row["bar_y"] = CHART_HEIGHT - row["bar_height"]
    return render(
        request,
        "backoffice/reports/series.html",
        {
            "page_title": f"Jour par jour — {campaign.name}",
            "campaign": campaign,
            "series": series,
            "center": center,
            "days": SERIES_DAYS,
            "waves": waves,
            "wave_id": wave_id,
            "channel": channel,
            "channels": Channel.choices,
            "error": error,
            "chart_width": len(series) * (CHART_BAR + 2),
            "chart_height": CHART_HEIGHT,
            "bar_width": CHART_BAR,
            "touch": _touch(request),
        },
    )


# --- one placement, link by link (e.g. the cities of a billboard placement) ----------------


def _campaign_placement(
    request: HttpRequest, pk: int, placement_pk: int
) -> tuple[Campaign, Placement] | HttpResponse:
    campaign = report_campaign(request.user, pk)
    if campaign is None:
        return not_found(request, NOT_FOUND_CAMPAIGN)
    placement = (
        Placement.objects.filter(campaign=campaign, pk=placement_pk).select_related("wave").first()
    )
    if placement is None:
        return not_found(request, NOT_FOUND_PLACEMENT)
    catch_up()
    return campaign, placement


def _links_total(rows: list[LinkRow]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return total


@login_required
def placement_links_view(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    found = _campaign_placement(request, pk, placement_pk)
    if isinstance(found, HttpResponse):
        return found
    campaign, placement = found
    touch = _touch(request)
    rows = link_figures(placement=placement, touch=touch)
    return render(
        request,
        "backoffice/reports/placement_links.html",
        {
            "page_title": f"Liens — {placement.name}",
            "campaign": campaign,
            "placement": placement,
            "rows": rows,
            "total": _links_total(rows),
            "touch": touch,
        },
    )


LINK_CSV_HEADER = [
    "lien",
    "libellé",
    "ville",
    "visites",
    "visiteurs uniques (somme des heures)",
    "inscriptions",
    "places",
    "présents",
]


@login_required
def placement_links_csv(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    found = _campaign_placement(request, pk, placement_pk)
    if isinstance(found, HttpResponse):
        return found
    campaign, placement = found
    touch = _touch(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="liens-{campaign.slug}-{placement.pk}-{touch}.csv"'
    )
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv_writer(response)
    writer.writerow(LINK_CSV_HEADER)
    for row in link_figures(placement=placement, touch=touch):
        f = row.figures
        code = f"/l/{row.link.code}" if row.link else ""
        writer.writerow(
            [
                code,
                row.label,
                row.city,
                f.visits,
                f.unique_visitors,
                f.registrations,
                f.seats,
                f.attendance,
            ]
        )
    return response
