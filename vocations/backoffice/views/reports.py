"""Campaign reports for the campaign team: waves → channels → placements, territories,
audiences, days around a TV airing, CSV.

The figures come from vocations/analytics (roll-ups, media figures, attributions): no screen
counts the raw visit table, and no screen writes — the roll-ups are the worker's job
(analytics.tasks.flush_visits); each page says how fresh they are. See docs/reports.md.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vocations.analytics.report_details import LinkRow, daily_series, link_figures, tv_airing_days
from vocations.analytics.reports import (
    COLLECTIVE_LABEL,
    UNPLACED_LABEL,
    Figures,
    audience_report,
    campaign_report,
    channel_totals,
    placed_total,
    territory_report,
)
from vocations.analytics.selectors import report_campaigns, rolled_until
from vocations.campaigns.models import Channel

from ..exports import csv_response
from ..gate import PLACEMENT, REPORT_CAMPAIGN, gate

SERIES_DAYS = 14
CHART_HEIGHT = 120
CHART_BAR = 14


@gate("signed_in")
def report_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/reports/index.html",
        {
            "page_title": "Résultats des campagnes",
            "campaigns": list(report_campaigns(request.user)),
        },
    )


@gate("view", REPORT_CAMPAIGN)
def campaign_report_view(request: HttpRequest, campaign) -> HttpResponse:
    level = "region" if request.GET.get("territoire") == "region" else "department"
    report = campaign_report(campaign=campaign)
    return render(
        request,
        "backoffice/reports/campaign.html",
        {
            "page_title": f"Résultats — {campaign.name}",
            "campaign": campaign,
            "report": report,
            "level": level,
            "channels": channel_totals(report),
            "territories": territory_report(report, level=level),
            "placed": placed_total(report),
            "audiences": audience_report(campaign=campaign, report=report),
            "unplaced_label": UNPLACED_LABEL,
            "collective_label": COLLECTIVE_LABEL,
            "rolled_until": rolled_until(),
        },
    )


def _euros(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}".replace(".", ",")


CSV_HEADER = [
    "niveau",
    "vague",
    "canal",
    "emplacement",
    "territoire",
    "dépense prévue (€)",
    "dépense engagée (€)",
    "dépense déclarée par les régies (€)",
    "portée déclarée",
    "visites",
    "visiteurs uniques (somme par jour et par lien)",
    "inscriptions (dernier contact)",
    "places (dernier contact)",
    "présents (dernier contact)",
    "inscriptions (premier contact)",
    "présents (premier contact)",
    "coût par inscription (€)",
    "coût par présent (€)",
    "remarque sur le coût",
]


def _csv_row(level, wave, channel, placement, territory, f: Figures) -> list:
    reported = _euros(f.reported_cents) if f.reported_placements else "non déclarée"
    note = ""
    if f.registrations and f.cost_per_registration_cents is None:
        note = f.cost_gap
    elif f.costs_partial:
        note = "sur les emplacements dont la dépense est connue"
    return [
        level,
        wave,
        channel,
        placement,
        territory,
        _euros(f.planned_cents) if f.placements else "",
        _euros(f.committed_cents) if f.placements else "",
        reported if f.placements else "",
        f.reach,
        f.visits,
        f.unique_visitors,
        f.registrations,
        f.seats,
        f.attendance,
        f.first_registrations,
        f.first_attendance,
        _euros(f.cost_per_registration_cents),
        _euros(f.cost_per_attendee_cents),
        note,
    ]


@gate("view", REPORT_CAMPAIGN)
def campaign_report_csv(request: HttpRequest, campaign) -> HttpResponse:
    report = campaign_report(campaign=campaign)

    def rows():
        for wave in report.waves:
            yield _csv_row("vague", wave.label, "", "", "", wave.figures)
            for channel in wave.children:
                yield _csv_row("canal", wave.label, channel.label, "", "", channel.figures)
                for row in channel.children:
                    territory = row.placement.get_scope_display() if row.placement else ""
                    yield _csv_row(
                        "emplacement", wave.label, channel.label, row.label, territory, row.figures
                    )
        yield _csv_row("hors plan média", "", "", UNPLACED_LABEL, "", report.unplaced)
        yield _csv_row("dont collectif", "", "", COLLECTIVE_LABEL, "", report.collective)
        yield _csv_row("campagne", campaign.name, "", "", "", report.total)
        for row in territory_report(report, level="department"):
            yield _csv_row("territoire", "", "", "", row.label, row.figures)

    return csv_response(f"resultats-{campaign.slug}.csv", CSV_HEADER, rows())


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


@gate("view", REPORT_CAMPAIGN)
def campaign_series_view(request: HttpRequest, campaign) -> HttpResponse:
    error = ""
    center = _parse_day(request.GET.get("date"))
    if request.GET.get("date") and center is None:
        error = "La date doit être au format AAAA-MM-JJ, par exemple 2027-03-20."
    airings = tv_airing_days(campaign=campaign)
    # By default, the latest TV airing reported so far (else today).
    today = timezone.localdate()
    center = center or next((d for d in reversed(airings) if d <= today), today)
    waves = list(campaign.waves.order_by("number"))
    wave_id = next((w.pk for w in waves if str(w.pk) == request.GET.get("vague")), None)
    channel = request.GET.get("canal", "")
    channel = channel if channel in Channel.values else ""
    series = daily_series(
        campaign=campaign, center=center, days=SERIES_DAYS, wave_id=wave_id, channel=channel
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
            "airings": airings,
            "days": SERIES_DAYS,
            "waves": waves,
            "wave_id": wave_id,
            "channel": channel,
            "channels": Channel.choices,
            "error": error,
            "chart_width": len(series) * (CHART_BAR + 2),
            "chart_height": CHART_HEIGHT,
            "bar_width": CHART_BAR,
            "rolled_until": rolled_until(),
        },
    )


# --- one placement, link by link (e.g. the cities of a billboard placement) ----------------


def _links_total(rows: list[LinkRow]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return total


@gate("view", REPORT_CAMPAIGN, PLACEMENT)
def placement_links_view(request: HttpRequest, campaign, placement) -> HttpResponse:
    rows = link_figures(placement=placement)
    return render(
        request,
        "backoffice/reports/placement_links.html",
        {
            "page_title": f"Liens — {placement.name}",
            "campaign": campaign,
            "placement": placement,
            "rows": rows,
            "total": _links_total(rows),
            "rolled_until": rolled_until(),
        },
    )


LINK_CSV_HEADER = [
    "lien",
    "libellé",
    "ville",
    "visites",
    "visiteurs uniques (somme par jour)",
    "inscriptions (dernier contact)",
    "places (dernier contact)",
    "présents (dernier contact)",
    "inscriptions (premier contact)",
    "présents (premier contact)",
]


@gate("view", REPORT_CAMPAIGN, PLACEMENT)
def placement_links_csv(request: HttpRequest, campaign, placement) -> HttpResponse:
    rows = (
        [
            f"/l/{row.link.code}" if row.link else "",
            row.label,
            row.city,
            row.figures.visits,
            row.figures.unique_visitors,
            row.figures.registrations,
            row.figures.seats,
            row.figures.attendance,
            row.figures.first_registrations,
            row.figures.first_attendance,
        ]
        for row in link_figures(placement=placement)
    )
    return csv_response(f"liens-{campaign.slug}-{placement.pk}.csv", LINK_CSV_HEADER, rows)
