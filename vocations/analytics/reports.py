"""Campaign reports: spend, reach, visits, visitors, registrations, attendance, cost each.

Everything is computed once per placement (the atom) from the roll-ups, the media figures and
the attributions, then summed up the tree placement → channel → wave → campaign, and across
territories and audiences: every figure is an integer sum, so the levels add up by
construction (and the property tests check it). Visits and registrations that came through no
placement (a link to an event, a post) form a separate "hors plan média" line.

Definitions (docs/reports.md):
- spend: planned and committed costs of the media plan; reported spend = the imported
  "spend_cents" media figures; the spend costs are computed from = reported when the placement
  has any, else committed when above zero, else unknown ("non renseignée", never "0 €");
- reported reach: imported impressions, else imported contacts;
- visits: human arrivals through the placement's links (VisitDaily);
- unique visitors: the sum over days and links of distinct visitors (VisitDaily): someone back
  another day, or through another link the same day, counts again — never more than visits;
- registrations (last touch) and first-touch registrations side by side: attributed
  registrations not cancelled, their seats, and the people present at check-in;
- cost per registration / per attendee: spend ÷ registrations (attendance) over the parts of a
  row whose spend is known and lies in the same row; else "non réparti" or "non renseigné".

Territories: what came through a link with a commune (one link per city of a billboard
placement) goes to that commune's territory, spend excepted (media is bought per placement: it
stays with the placement's territory, and the cities say "non réparti"); the rest stays with
the placement's own territory ("National" for a national one).

This module reads only: the roll-ups are written by the worker (tasks.flush_visits).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Count, Sum

from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, TrackedLink
from vocations.events.models import Registration

from .models import Attribution, VisitDaily

TOUCHES = ("last", "first")
COLLECTIVE_CHANNEL = "influence"
COLLECTIVE_LABEL = "dont collectif d'ambassadeurs (liens personnels)"
COLLECTIVE_ROW_LABEL = "Influence — collectif d'ambassadeurs (hors plan média)"
UNPLACED_LABEL = "Hors plan média (liens sans emplacement)"
NATIONAL_LABEL = "National"
GROUP_AUDIENCE_LABEL = "Groupes (classes, accompagnateurs)"
UNKNOWN_AUDIENCE_LABEL = "Non indiqué"


@dataclass
class Figures:
    """Additive figures of one row. The last fields are bookkeeping that says how far the
    spend can be trusted in this row; they add up too."""

    planned_cents: int = 0
    committed_cents: int = 0
    reported_cents: int = 0
    spend_cents: int = 0
    reach: int = 0
    visits: int = 0
    unique_visitors: int = 0
    registrations: int = 0
    seats: int = 0
    attendance: int = 0
    first_registrations: int = 0
    first_seats: int = 0
    first_attendance: int = 0
    # Placements whose plan and spend are in this row; of them, with reported spend; with
    # no known spend at all.
    placements: int = 0
    reported_placements: int = 0
    unknown_spend_placements: int = 0
    # The parts of this row whose spend is known and lies in this row, with their results.
    costed_spend_cents: int = 0
    costed_registrations: int = 0
    costed_attendance: int = 0
    # Parts whose spend lies in another row (a city's share of a national placement).
    unallocated_parts: int = 0

    # add and subtract run thousands of times per report: on the instance dicts, over the
    # field names listed once (dataclasses.fields() rebuilds its tuple at each call).
    def add(self, other: Figures) -> Figures:
        mine, theirs = self.__dict__, other.__dict__
        for name in _FIGURE_NAMES:
            mine[name] += theirs[name]
        return self

    def subtract(self, other: Figures) -> Figures:
        mine, theirs = self.__dict__, other.__dict__
        for name in _FIGURE_NAMES:
            mine[name] -= theirs[name]
        return self

    def copy(self) -> Figures:
        return Figures().add(self)

    @property
    def cost_per_registration_cents(self) -> int | None:
        if not self.costed_registrations:
            return None
        return round(self.costed_spend_cents / self.costed_registrations)

    @property
    def cost_per_attendee_cents(self) -> int | None:
        if not self.costed_attendance:
            return None
        return round(self.costed_spend_cents / self.costed_attendance)

    @property
    def costs_partial(self) -> bool:
        """Costs computed over some of the row's registrations only."""
        return 0 < self.costed_registrations < self.registrations

    @property
    def cost_gap(self) -> str:
        """Why a cost cannot be given although there are registrations: words, never 0 €."""
        if self.unallocated_parts:
            return "non réparti"
        if self.placements == 0:
            return "hors plan média"
        return "dépense non renseignée"

    def as_tuple(self) -> tuple[int, ...]:
        return tuple(self.__dict__[name] for name in _FIGURE_NAMES)

    def measures(self) -> tuple[int, ...]:
        """The figures a reader sees (not the bookkeeping): what every breakdown adds up to."""
        return tuple(getattr(self, name) for name in MEASURES)


_FIGURE_NAMES = tuple(f.name for f in fields(Figures))

# The user-facing figures, in order; the other fields of Figures are bookkeeping.
MEASURES = (
    "planned_cents",
    "committed_cents",
    "reported_cents",
    "spend_cents",
    "reach",
    "visits",
    "unique_visitors",
    "registrations",
    "seats",
    "attendance",
    "first_registrations",
    "first_seats",
    "first_attendance",
)


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
    waves: list[Row]
    unplaced: Figures
    total: Figures
    placements: dict[int, Placement]
    atoms: dict[int, Figures]
    # Per placement id, per link id with a commune: what came through that link (visits,
    # unique visitors, registrations and attendance of both touches).
    link_atoms: dict[int, dict[int, Figures]] = field(default_factory=dict)
    city_links: dict[int, TrackedLink] = field(default_factory=dict)
    # The part of ``unplaced`` that came through ambassadors' personal links (channel
    # "influence" without a placement): already inside ``unplaced`` and ``total``.
    collective: Figures = field(default_factory=Figures)
    # (registration kind, stated audience) -> (registrations, seats, present), read in the same
    # query as the last touch: what audience_report shows, without a third join.
    audiences: dict[tuple[str, str], tuple[int, int, int]] = field(default_factory=dict)


def _touch(touch: str) -> str:
    return touch if touch in TOUCHES else "last"


_RESULT_FIELDS = (
    "visits",
    "unique_visitors",
    "registrations",
    "seats",
    "attendance",
    "first_registrations",
    "first_seats",
    "first_attendance",
)


def _set_costs(atom: Figures) -> None:
    """A whole placement's costs: its spend over its own results, when the spend is known."""
    if atom.unknown_spend_placements or not atom.placements:
        atom.costed_spend_cents = atom.costed_registrations = atom.costed_attendance = 0
        return
    atom.costed_spend_cents = atom.spend_cents
    atom.costed_registrations = atom.registrations
    atom.costed_attendance = atom.attendance


def placement_figures(
    *, campaign: Campaign
) -> tuple[
    dict[int | None, Figures],
    list[Placement],
    dict[int, dict[int, Figures]],
    Figures,
    dict[tuple[str, str], tuple[int, int, int]],
]:
    """Figures per placement id (None: through no placement), per (placement, link), and the
    collective's share of the unplaced line.

    Five queries: placements, media figures, daily visits, last-touch and first-touch
    attributions. The link and the channel are more GROUP BY columns, never one query per link.
    """
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
        atom.placements = 1
        atom.planned_cents = p.planned_cents
        atom.committed_cents = p.committed_cents
        if MediaFigure.Metric.SPEND in reported:
            atom.reported_cents = reported[MediaFigure.Metric.SPEND]
            atom.reported_placements = 1
            atom.spend_cents = atom.reported_cents
        elif p.committed_cents > 0:
            atom.spend_cents = p.committed_cents
        else:
            atom.unknown_spend_placements = 1
        atom.reach = reported.get(MediaFigure.Metric.IMPRESSIONS, 0) or reported.get(
            MediaFigure.Metric.CONTACTS, 0
        )

    links: dict[int, dict[int, Figures]] = defaultdict(lambda: defaultdict(Figures))
    collective = Figures()

    def targets(placement_id: int | None, link_id: int | None, channel: str) -> list[Figures]:
        # A placement of another campaign (a link reused across campaigns) counts as unplaced.
        atom = atoms.get(placement_id) or atoms[None]
        if placement_id is None or placement_id not in atoms:
            # Ambassadors' personal links have no placement: their share of the unplaced line.
            return [atom, collective] if channel == COLLECTIVE_CHANNEL else [atom]
        if link_id is None:
            return [atom]
        return [atom, links[placement_id][link_id]]

    for row in (
        VisitDaily.objects.filter(campaign_id=campaign.pk)
        .values("placement_id", "link_id", "channel")
        .annotate(v=Sum("visits"), u=Sum("unique_visitors"))
        .order_by()
    ):
        for figures in targets(row["placement_id"], row["link_id"], row["channel"]):
            figures.visits += int(row["v"] or 0)
            figures.unique_visitors += int(row["u"] or 0)
    audiences: dict[tuple[str, str], tuple[int, int, int]] = {}
    for touch, prefix in (("last", ""), ("first", "first_")):
        # The last touch is also grouped by audience (a few rows per link): audience_report's
        # figures come with it instead of a third join of the attributions and registrations.
        by_audience = ("registration__kind", "registration__audience") if touch == "last" else ()
        for row in (
            Attribution.objects.filter(campaign_id=campaign.pk)
            .exclude(registration__status="cancelled")
            .values(f"{touch}_placement_id", f"{touch}_link_id", f"{touch}_channel", *by_audience)
            .annotate(
                n=Count("id"),
                seats=Sum("registration__seats"),
                present=Sum("registration__attended"),
            )
            .order_by()
        ):
            n, seats, present = row["n"], int(row["seats"] or 0), int(row["present"] or 0)
            for figures in targets(
                row[f"{touch}_placement_id"], row[f"{touch}_link_id"], row[f"{touch}_channel"]
            ):
                _add(figures, f"{prefix}registrations", n)
                _add(figures, f"{prefix}seats", seats)
                _add(figures, f"{prefix}attendance", present)
            if by_audience:
                key = (row["registration__kind"], row["registration__audience"] or "")
                before = audiences.get(key, (0, 0, 0))
                audiences[key] = (before[0] + n, before[1] + seats, before[2] + present)
    for p in placements:
        _set_costs(atoms[p.pk])
    by_link = {pk: dict(per_link) for pk, per_link in links.items()}
    return atoms, placements, by_link, collective, audiences


def _add(figures: Figures, name: str, value: int) -> None:
    setattr(figures, name, getattr(figures, name) + value)


def campaign_report(*, campaign: Campaign) -> CampaignReport:
    """Waves → channels → placements, with the unplaced line and the campaign total.
    Six queries (the five of placement_figures and the links that have a commune)."""
    atoms, placements, link_atoms, collective, audiences = placement_figures(campaign=campaign)
    city_links = {
        link.pk: link
        for link in TrackedLink.objects.filter(
            placement__campaign=campaign, commune__isnull=False
        ).select_related("commune__department__region", "commune__region")
    }
    channel_labels = dict(Channel.choices)
    waves: dict[int, Row] = {}
    channels: dict[tuple[int, str], Row] = {}
    # Waves without any placement yet do not show: the plan decides what is reported.
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
        audiences=audiences,
    )


def placed_total(report: CampaignReport) -> Figures:
    total = Figures()
    for wave_row in report.waves:
        total.add(wave_row.figures)
    return total


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
    if report.collective.visits or report.collective.registrations:
        # Next to the other channels, with the same definitions; it sits in the unplaced line.
        ordered.append(Row(key="collective", label=COLLECTIVE_ROW_LABEL, figures=report.collective))
    return ordered


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


def territory_report(report: CampaignReport, *, level: str = "department") -> list[Row]:
    """Placed figures by territory; the rows add up to the placed figures (the campaign total
    minus the "hors plan média" line).

    A placement whose links lead to several territories is split: each city's territory gets
    what came through its links, and says its spend is "non réparti"; the placement's own
    territory keeps the spend and the rest of the results. Neither can give a cost per
    registration for that placement (the spend and the results are not in the same row).
    """
    rows: dict[str, Row] = {}

    def row_for(key: str, label: str) -> Figures:
        return rows.setdefault(key, Row(key=key, label=label)).figures

    for pk, placement in report.placements.items():
        home = placement_territory(placement, level)
        parts: dict[tuple[str, str], Figures] = defaultdict(Figures)
        for link_id, through_link in report.link_atoms.get(pk, {}).items():
            parts[link_territory(report.city_links[link_id], level)].add(through_link)
        parts.pop(home, None)  # a link in the placement's own territory splits nothing
        rest = report.atoms[pk].copy()
        if parts:
            rest.costed_spend_cents = rest.costed_registrations = rest.costed_attendance = 0
            rest.unallocated_parts += 1
            for territory, part in parts.items():
                city = Figures(unallocated_parts=1)
                for name in _RESULT_FIELDS:
                    setattr(city, name, getattr(part, name))
                    _add(rest, name, -getattr(part, name))
                row_for(*territory).add(city)
        row_for(*home).add(rest)
    national = rows.pop("national", None)
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return ordered + ([national] if national else [])


def audience_report(*, campaign: Campaign, report: CampaignReport | None = None) -> list[Row]:
    """Attributed registrations by the audience the registrant stated (a class counts as a
    group). Every attribution of the campaign has both touches, so the figures are the same for
    either. Spend, reach and visits are not known per audience: they are not split. The rows add
    up to the campaign total's registrations, seats and attendance. No query when given the
    campaign's report (read with its last touch), else one."""
    labels = dict(_audience_choices())
    if report is not None:
        counts = report.audiences
    else:
        counts = {}
        for row in (
            Attribution.objects.filter(campaign_id=campaign.pk)
            .exclude(registration__status="cancelled")
            .values("registration__kind", "registration__audience")
            .annotate(
                n=Count("id"),
                seats=Sum("registration__seats"),
                present=Sum("registration__attended"),
            )
            .order_by()
        ):
            key = (row["registration__kind"], row["registration__audience"] or "")
            before = counts.get(key, (0, 0, 0))
            counts[key] = (
                before[0] + row["n"],
                before[1] + int(row["seats"] or 0),
                before[2] + int(row["present"] or 0),
            )
    rows: dict[str, Row] = {}
    for (kind, audience), (n, seats, present) in counts.items():
        if kind == "group":
            key, label = "group", GROUP_AUDIENCE_LABEL
        else:
            key = audience
            label = labels.get(key, UNKNOWN_AUDIENCE_LABEL)
        figures = rows.setdefault(key, Row(key=key, label=label)).figures
        for prefix in ("", "first_"):
            _add(figures, f"{prefix}registrations", n)
            _add(figures, f"{prefix}seats", seats)
            _add(figures, f"{prefix}attendance", present)
    for row in rows.values():
        row.figures.unallocated_parts = 1  # spend is bought per placement, not per audience
    return sorted(rows.values(), key=lambda r: (-r.figures.registrations, r.label))


def _audience_choices():
    return Registration.Audience.choices
