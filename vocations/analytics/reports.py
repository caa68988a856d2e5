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

Territories: visits and registrations that came through a link with a commune (one link per
city of a billboard placement) go to that commune's territory; the rest of a placement's
figures — spend, reach, unique visitors (VisitDaily has no link) and what came through links
without a commune — stay with the placement's own territory ("National" for a national one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, TrackedLink

from .models import Attribution, VisitDaily, VisitHourly

TOUCHES = ("last", "first")
COLLECTIVE_CHANNEL = "influence"
COLLECTIVE_LABEL = "dont collectif d'ambassadeurs (liens personnels)"
UNPLACED_LABEL = "Hors plan média (liens sans emplacement)"
NATIONAL_LABEL = "National"
LINK_GONE_LABEL = "Lien supprimé ou rattaché à un autre emplacement"


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
    # Per placement id, per link id: what came through that link (visits, registrations,
    # seats, attendance only), for the links that have a commune.
    link_atoms: dict[int, dict[int, Figures]] = field(default_factory=dict)
    city_links: dict[int, TrackedLink] = field(default_factory=dict)
    # The part of ``unplaced`` that came through ambassadors' personal links (channel
    # "influence" without a placement): already inside ``unplaced`` and ``total``.
    collective: Figures = field(default_factory=Figures)


def _touch(touch: str) -> str:
    return touch if touch in TOUCHES else "last"


def placement_figures(
    *, campaign: Campaign, touch: str = "last"
) -> tuple[dict[int | None, Figures], list[Placement]]:
    """Figures per placement id (None: through no placement). Five queries."""
    atoms, placements, _, _ = _placement_and_link_figures(campaign=campaign, touch=touch)
    return atoms, placements


def _placement_and_link_figures(
    *, campaign: Campaign, touch: str
) -> tuple[dict[int | None, Figures], list[Placement], dict[int, dict[int, Figures]], Figures]:
    """Figures per placement id, per (placement id, link id), and the collective's share of
    the unplaced line. Five queries: the link and the channel are more GROUP BY columns of the
    same aggregates, never one query per link."""
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

    links: dict[int, dict[int, Figures]] = defaultdict(lambda: defaultdict(Figures))
    collective = Figures()

    def collective_share(placement_id: int | None, channel: str) -> Figures | None:
        unplaced = placement_id is None or placement_id not in atoms
        return collective if unplaced and channel == COLLECTIVE_CHANNEL else None

    def atom_for(placement_id: int | None) -> Figures:
        # A placement of another campaign (a link reused across campaigns) counts as unplaced.
        return atoms.get(placement_id) or atoms[None]

    def link_atom(placement_id: int | None, link_id: int | None) -> Figures | None:
        if placement_id not in atoms or placement_id is None or link_id is None:
            return None
        return links[placement_id][link_id]

    for row in (
        VisitHourly.objects.filter(campaign_id=campaign.pk)
        .values("placement_id", "link_id", "channel")
        .annotate(n=Sum("visits"))
        .order_by()
    ):
        n = int(row["n"] or 0)
        atom_for(row["placement_id"]).visits += n
        if (split := link_atom(row["placement_id"], row["link_id"])) is not None:
            split.visits += n
        if (share := collective_share(row["placement_id"], row["channel"])) is not None:
            share.visits += n
    for row in (
        VisitDaily.objects.filter(campaign_id=campaign.pk)
        .values("placement_id", "channel")
        .annotate(u=Sum("unique_visitors"))
        .order_by()
    ):
        atom_for(row["placement_id"]).unique_visitors += int(row["u"] or 0)
        if (share := collective_share(row["placement_id"], row["channel"])) is not None:
            share.unique_visitors += int(row["u"] or 0)
    for row in (
        Attribution.objects.filter(campaign_id=campaign.pk)
        .exclude(registration__status="cancelled")
        .values(f"{touch}_placement_id", f"{touch}_link_id", f"{touch}_channel")
        .annotate(
            n=Count("id"), seats=Sum("registration__seats"), present=Sum("registration__attended")
        )
        .order_by()
    ):
        placement_id = row[f"{touch}_placement_id"]
        targets = [atom_for(placement_id)]
        if (split := link_atom(placement_id, row[f"{touch}_link_id"])) is not None:
            targets.append(split)
        if (share := collective_share(placement_id, row[f"{touch}_channel"])) is not None:
            targets.append(share)
        for atom in targets:
            atom.registrations += row["n"]
            atom.seats += int(row["seats"] or 0)
            atom.attendance += int(row["present"] or 0)
    return atoms, placements, {pk: dict(by_link) for pk, by_link in links.items()}, collective


def campaign_report(*, campaign: Campaign, touch: str = "last") -> CampaignReport:
    """Waves → channels → placements, with the unplaced line and the campaign total."""
    touch = _touch(touch)
    atoms, placements, link_atoms, collective = _placement_and_link_figures(
        campaign=campaign, touch=touch
    )
    # One query, however many cities: the links whose commune decides their territory.
    city_links = {
        link.pk: link
        for link in TrackedLink.objects.filter(
            placement__campaign=campaign, commune__isnull=False
        ).select_related("commune__department__region", "commune__region")
    }
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
        link_atoms={
            pk: {link_id: f for link_id, f in by_link.items() if link_id in city_links}
            for pk, by_link in link_atoms.items()
        },
        city_links=city_links,
        collective=collective,
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
    ordered = sorted(rows.values(), key=lambda r: r.label)
    if any(report.collective.as_tuple()):
        # Next to the other channels, with the same definitions; it sits in the unplaced line.
        ordered.append(Row(key="collective", label=COLLECTIVE_ROW_LABEL, figures=report.collective))
    return ordered


COLLECTIVE_ROW_LABEL = "Influence — collectif d'ambassadeurs (hors plan média)"


def _territory(department, region, level: str) -> tuple[str, str]:
    if level == "department" and department is not None:
        return f"d{department.code}", f"{department.name} ({department.code})"
    if region is not None:
        return f"r{region.code}", region.name
    return "national", NATIONAL_LABEL


def placement_territory(placement: Placement, level: str = "department") -> tuple[str, str]:
    """(key, label) of a placement's territory: its département (or région), else national."""
    department = placement.department or (
        placement.commune.department if placement.commune else None
    )
    region = placement.region or (department.region if department else None)
    return _territory(department, region, level)


def link_territory(link: TrackedLink, level: str = "department") -> tuple[str, str]:
    """(key, label) of the territory of a link's commune (the link must have one)."""
    commune = link.commune
    return _territory(commune.department, commune.region or commune.department.region, level)


# What a link carries to its city's territory; spend, reach and unique visitors stay put.
_LINK_FIELDS = ("visits", "registrations", "seats", "attendance")


def territory_report(report: CampaignReport, *, level: str = "department") -> list[Row]:
    """Placed figures by territory. Through a link with a commune, visits and registrations go
    to the commune's territory; the rest stays with the placement's territory. The rows add up
    to the placed figures (the campaign total minus the "hors plan média" line)."""
    rows: dict[str, Row] = {}

    def row_for(key: str, label: str) -> Figures:
        return rows.setdefault(key, Row(key=key, label=label)).figures

    for pk, placement in report.placements.items():
        rest = Figures().add(report.atoms[pk])
        for link_id, through_link in report.link_atoms.get(pk, {}).items():
            city = row_for(*link_territory(report.city_links[link_id], level))
            for name in _LINK_FIELDS:
                value = getattr(through_link, name)
                setattr(city, name, getattr(city, name) + value)
                setattr(rest, name, getattr(rest, name) - value)
        row_for(*placement_territory(placement, level)).add(rest)
    national = rows.pop("national", None)
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return ordered + ([national] if national else [])


@dataclass
class LinkRow:
    link: TrackedLink | None  # None: a link since deleted or moved to another placement
    link_id: int | None
    label: str
    city: str
    figures: Figures


def link_figures(*, placement: Placement, touch: str = "last") -> list[LinkRow]:
    """One row per link of ``placement`` (e.g. one per billboard city), sorted by registrations
    then visits. Three queries whatever the number of links.

    Visits come from VisitHourly; unique visitors are the sum of each hour's distinct visitors,
    so someone who comes back another hour counts again (an over-count, by design: there is no
    per-link daily table). Registrations, seats and attendance: the placement's attributions
    (``touch``) not cancelled, attendance read from the registrations' ``attended``.
    """
    touch = _touch(touch)
    by_link: dict[int | None, Figures] = defaultdict(Figures)
    links = list(
        TrackedLink.objects.filter(placement=placement)
        .select_related("commune__department")
        .order_by("pk")
    )
    for link in links:
        by_link[link.pk] = Figures()
    for row in (
        VisitHourly.objects.filter(campaign_id=placement.campaign_id, placement_id=placement.pk)
        .values("link_id")
        .annotate(v=Sum("visits"), u=Sum("unique_visitors"))
        .order_by()
    ):
        figures = by_link[row["link_id"]]
        figures.visits += int(row["v"] or 0)
        figures.unique_visitors += int(row["u"] or 0)
    for row in (
        Attribution.objects.filter(
            campaign_id=placement.campaign_id, **{f"{touch}_placement_id": placement.pk}
        )
        .exclude(registration__status="cancelled")
        .values(f"{touch}_link_id")
        .annotate(
            n=Count("id"), seats=Sum("registration__seats"), present=Sum("registration__attended")
        )
        .order_by()
    ):
        figures = by_link[row[f"{touch}_link_id"]]
        figures.registrations += row["n"]
        figures.seats += int(row["seats"] or 0)
        figures.attendance += int(row["present"] or 0)
    known = {link.pk: link for link in links}
    rows = []
    for link_id, figures in by_link.items():
        link = known.get(link_id) if link_id is not None else None
        if link is None:
            rows.append(LinkRow(None, link_id, LINK_GONE_LABEL, "", figures))
            continue
        city = ""
        if link.commune is not None:
            city = f"{link.commune.name} ({link.commune.department.code})"
        rows.append(LinkRow(link, link_id, link.label or str(link), city, figures))
    rows.sort(key=lambda r: (-r.figures.registrations, -r.figures.visits, r.city, r.label))
    return rows


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
