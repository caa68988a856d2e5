"""Campaign reports: spend, reach, visits, visitors, registrations, attendance, cost each.

Everything is computed once per placement (the atom) from the roll-ups, the media figures and
the attributions, then summed up the tree placement → channel → wave → campaign, and across
territories: the figures add up by construction. Visits and registrations that came through no
placement (a link to an event, a post) form a separate "hors plan média" line.

Definitions (docs/analytics.md):
- spend: the imported "spend_cents" media figures of the placement when there are any, else its
  committed cost;
- reported reach: imported impressions, else imported contacts;
- visits: human arrivals through the placement's links (VisitHourly);
- unique visitors: the sum of daily distinct visitors (VisitDaily) — a person coming back on
  another day counts again, since the hash changes every day;
- registrations: attributed registrations not cancelled (last touch by default), with their
  seats and the people present at check-in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement

from .models import Attribution, VisitDaily, VisitHourly

TOUCHES = ("last", "first")
UNPLACED_LABEL = "Hors plan média (liens sans emplacement)"
NATIONAL_LABEL = "National"


@dataclass
class Figures:
    spend_cents: int = 0
    reach: int = 0
    visits: int = 0
    unique_visitors: int = 0
    registrations: int = 0
    seats: int = 0
    attendance: int = 0

    def add(self, other: Figures) -> Figures:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def cost_per_registration_cents(self) -> int | None:
        return round(self.spend_cents / self.registrations) if self.registrations else None

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))


@dataclass
class Row:
    key: Any
    label: str
    figures: Figures = field(default_factory=Figures)
    children: list[Row] = field(default_factory=list)
    placement: Placement | None = None


@dataclass
class CampaignReport:
    campaign: Campaign
    touch: str
    waves: list[Row]
    unplaced: Figures
    total: Figures
    placements: dict[int, Placement]
    atoms: dict[int, Figures]


def _touch(touch: str) -> str:
    return touch if touch in TOUCHES else "last"


def placement_figures(
    *, campaign: Campaign, touch: str = "last"
) -> tuple[dict[int | None, Figures], list[Placement]]:
    """Figures per placement id (None: through no placement). Five queries."""
    touch = _touch(touch)
    placements = list(
        Placement.objects.filter(campaign=campaign)
        .select_related("wave", "region", "department__region", "commune__department__region")
        .order_by("wave__number", "channel", "name", "pk")
    )
    atoms: dict[int | None, Figures] = {p.pk: Figures() for p in placements}
    atoms[None] = Figures()

    media: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        MediaFigure.objects.filter(placement__campaign=campaign)
        .values("placement_id", "metric")
        .annotate(total=Sum("value_milli"))
        .order_by()
    ):
        media[row["placement_id"]][row["metric"]] = int(row["total"] or 0) // 1000
    for p in placements:
        reported = media.get(p.pk, {})
        atom = atoms[p.pk]
        atom.spend_cents = reported.get(MediaFigure.Metric.SPEND, p.committed_cents)
        atom.reach = reported.get(MediaFigure.Metric.IMPRESSIONS, 0) or reported.get(
            MediaFigure.Metric.CONTACTS, 0
        )

    def atom_for(placement_id: int | None) -> Figures:
        # A placement of another campaign (a link reused across campaigns) counts as unplaced.
        return atoms.get(placement_id) or atoms[None]

    for row in (
        VisitHourly.objects.filter(campaign_id=campaign.pk)
        .values("placement_id")
        .annotate(n=Sum("visits"))
        .order_by()
    ):
        atom_for(row["placement_id"]).visits += int(row["n"] or 0)
    for row in (
        VisitDaily.objects.filter(campaign_id=campaign.pk)
        .values("placement_id")
        .annotate(u=Sum("unique_visitors"))
        .order_by()
    ):
        atom_for(row["placement_id"]).unique_visitors += int(row["u"] or 0)
    for row in (
        Attribution.objects.filter(campaign_id=campaign.pk)
        .exclude(registration__status="cancelled")
        .values(f"{touch}_placement_id")
        .annotate(
            n=Count("id"), seats=Sum("registration__seats"), present=Sum("registration__attended")
        )
        .order_by()
    ):
        atom = atom_for(row[f"{touch}_placement_id"])
        atom.registrations += row["n"]
        atom.seats += int(row["seats"] or 0)
        atom.attendance += int(row["present"] or 0)
    return atoms, placements


def campaign_report(*, campaign: Campaign, touch: str = "last") -> CampaignReport:
    """Waves → channels → placements, with the unplaced line and the campaign total."""
    touch = _touch(touch)
    atoms, placements = placement_figures(campaign=campaign, touch=touch)
    channel_labels = dict(Channel.choices)
    waves: dict[int, Row] = {}
    channels: dict[tuple[int, str], Row] = {}
    for wave in campaign.waves.all().order_by("number"):
        waves[wave.pk] = Row(key=wave.pk, label=wave.name)
    for p in placements:
        wave_row = waves.setdefault(p.wave_id, Row(key=p.wave_id, label=p.wave.name))
        channel_row = channels.get((p.wave_id, p.channel))
        if channel_row is None:
            label = channel_labels.get(p.channel, p.channel)
            channel_row = channels[(p.wave_id, p.channel)] = Row(key=p.channel, label=label)
            wave_row.children.append(channel_row)
        channel_row.children.append(Row(key=p.pk, label=p.name, figures=atoms[p.pk], placement=p))
        channel_row.figures.add(atoms[p.pk])
        wave_row.figures.add(atoms[p.pk])
    total = Figures()
    for wave_row in waves.values():
        total.add(wave_row.figures)
    total.add(atoms[None])
    return CampaignReport(
        campaign=campaign,
        touch=touch,
        waves=list(waves.values()),
        unplaced=atoms[None],
        total=total,
        placements={p.pk: p for p in placements},
        atoms={k: v for k, v in atoms.items() if k is not None},
    )


def channel_totals(report: CampaignReport) -> list[Row]:
    """Each channel over all waves."""
    rows: dict[str, Row] = {}
    for wave_row in report.waves:
        for channel_row in wave_row.children:
            row = rows.setdefault(
                channel_row.key, Row(key=channel_row.key, label=channel_row.label)
            )
            row.figures.add(channel_row.figures)
    return sorted(rows.values(), key=lambda r: r.label)


def placement_territory(placement: Placement, level: str = "department") -> tuple[str, str]:
    """(key, label) of a placement's territory: its département (or région), else national."""
    department = placement.department or (
        placement.commune.department if placement.commune else None
    )
    region = placement.region or (department.region if department else None)
    if level == "department" and department is not None:
        return f"d{department.code}", f"{department.name} ({department.code})"
    if region is not None:
        return f"r{region.code}", region.name
    return "national", NATIONAL_LABEL


def territory_report(report: CampaignReport, *, level: str = "department") -> list[Row]:
    rows: dict[str, Row] = {}
    for pk, placement in report.placements.items():
        key, label = placement_territory(placement, level)
        rows.setdefault(key, Row(key=key, label=label)).figures.add(report.atoms[pk])
    national = rows.pop("national", None)
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return ordered + ([national] if national else [])


def daily_series(
    *,
    campaign: Campaign,
    center: dt.date,
    days: int = 14,
    wave_id: int | None = None,
    channel: str = "",
    touch: str = "last",
) -> list[dict[str, Any]]:
    """One row per day in [center - days, center + days]: visits, unique visitors, registrations."""
    touch = _touch(touch)
    start, end = center - dt.timedelta(days=days), center + dt.timedelta(days=days)
    visits = VisitDaily.objects.filter(campaign_id=campaign.pk, day__gte=start, day__lte=end)
    attributions = Attribution.objects.filter(campaign_id=campaign.pk).exclude(
        registration__status="cancelled"
    )
    if wave_id:
        visits = visits.filter(wave_id=wave_id)
        attributions = attributions.filter(**{f"{touch}_wave_id": wave_id})
    if channel:
        visits = visits.filter(channel=channel)
        attributions = attributions.filter(**{f"{touch}_channel": channel})
    by_day: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in visits.values("day").annotate(v=Sum("visits"), u=Sum("unique_visitors")).order_by():
        by_day[row["day"]]["visits"] += int(row["v"] or 0)
        by_day[row["day"]]["unique_visitors"] += int(row["u"] or 0)
    for row in (
        attributions.annotate(day=TruncDate("registration__created_at"))
        .filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(n=Count("id"), seats=Sum("registration__seats"))
        .order_by()
    ):
        by_day[row["day"]]["registrations"] += row["n"]
        by_day[row["day"]]["seats"] += int(row["seats"] or 0)
    series = []
    for i in range((end - start).days + 1):
        day = start + dt.timedelta(days=i)
        values = by_day.get(day, {})
        series.append(
            {
                "day": day,
                "is_center": day == center,
                "visits": values.get("visits", 0),
                "unique_visitors": values.get("unique_visitors", 0),
                "registrations": values.get("registrations", 0),
                "seats": values.get("seats", 0),
            }
        )
    return series
