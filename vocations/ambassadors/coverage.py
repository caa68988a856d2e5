"""Coverage gaps ("les trous de la raquette"): the audience × channel matrix of what an action
already reaches, what it misses, and which members can fill each gap.

Pure: plain values in, plain values out, no database (vocations/ambassadors/selectors.py builds
the inputs from a mobilisation or a département). Every cell carries a French explanation, so
a coordinator sees why a cell is reached or is a gap.

Definitions (docs/ambassadors.md):
- a placement reaches the audiences of its branch message, else its channel's default
  audiences (CHANNEL_AUDIENCES); it counts when its territory contains the target territory
  (national, same région, same département) — for a wave mobilisation, every placement of the
  wave counts;
- the event reaches its own audiences on the "events" channel (people who come in person);
- a cell is a **gap** when nothing reaches it, its audience is targeted (the mobilisation's
  target audiences, or every audience when none is set) and members can act on its channel
  (MEMBER_CHANNELS). Unreached cells of TV, cinema, replay and billboards are "not reached"
  only: no member can fill them;
- a member can fill a gap with a network that belongs to the cell's channel and reaches the
  cell's audience; score = declared audience × territory factor (3 same département, 2 same
  région, 1 elsewhere) × (2 + shared themes). Ties: name, then id — the ranking is total and
  deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vocations.core.audiences import Audience

# Campaign channels (vocations.campaigns.models.Channel values, repeated here so this module
# stays pure) and who each reaches when a placement says nothing more precise.
CHANNEL_LABELS: dict[str, str] = {
    "tv": "Télévision",
    "replay": "Replay",
    "cinema": "Cinéma",
    "billboard": "Affichage",
    "web": "Web",
    "social": "Réseaux sociaux",
    "events": "Événements",
    "press": "Presse",
    "influence": "Influence",
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_LABELS)
CHANNEL_AUDIENCES: dict[str, frozenset[str]] = {
    "tv": frozenset({"general_public", "parents"}),
    "replay": frozenset({"young_people", "general_public"}),
    "cinema": frozenset({"young_people", "general_public"}),
    "billboard": frozenset({"general_public"}),
    "web": frozenset({"young_people", "job_seekers", "career_changers"}),
    "social": frozenset({"young_people"}),
    "events": frozenset(),
    "press": frozenset({"press", "general_public"}),
    "influence": frozenset(),
}
# Which of a member's networks act on which channel.
MEMBER_CHANNELS: dict[str, frozenset[str]] = {
    "social": frozenset({"linkedin", "instagram", "tiktok", "youtube", "x", "facebook", "bluesky"}),
    "web": frozenset({"blog", "youtube"}),
    "press": frozenset({"local_press"}),
    "events": frozenset({"in_person"}),
    "influence": frozenset(
        {"linkedin", "instagram", "tiktok", "youtube", "x", "facebook", "bluesky", "blog"}
    ),
}
AUDIENCE_LABELS: dict[str, str] = dict(Audience.choices)
AUDIENCES: tuple[str, ...] = tuple(Audience.values)
NETWORK_LABELS = {
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "x": "X",
    "facebook": "Facebook",
    "bluesky": "Bluesky",
    "blog": "blog ou newsletter",
    "local_press": "presse locale",
    "in_person": "en personne",
}
MAX_SUGGESTIONS = 5

REACHED, GAP, NOT_REACHED = "reached", "gap", "not_reached"


@dataclass(frozen=True)
class Territory:
    """Where something is: national (no codes), a région, or a département within a région."""

    region: str = ""
    department: str = ""
    label: str = "National"

    @property
    def is_national(self) -> bool:
        return not self.region and not self.department

    def contains(self, other: Territory) -> bool:
        """Does a placement over ``self`` reach people living in ``other``?"""
        if self.is_national:
            return True
        if self.department:
            return self.department == other.department
        return self.region == other.region


@dataclass(frozen=True)
class PlacementIn:
    id: int
    name: str
    channel: str
    audiences: frozenset[str]  # empty: the channel's defaults
    territory: Territory
    reach: int = 0


@dataclass(frozen=True)
class MemberNetworkIn:
    ambassador_id: int
    name: str
    network: str
    audiences: frozenset[str]
    audience_size: int
    territory: Territory
    themes: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    ambassador_id: int
    name: str
    network: str
    audience_size: int
    territory_factor: int
    shared_themes: int
    score: int
    explanation: str


@dataclass
class Cell:
    audience: str
    channel: str
    state: str
    placements: list[PlacementIn] = field(default_factory=list)
    by_event: bool = False
    reach: int = 0
    suggestions: list[Suggestion] = field(default_factory=list)
    explanation: str = ""


@dataclass
class Matrix:
    audiences: list[str]
    channels: list[str]
    cells: dict[tuple[str, str], Cell]
    targets: frozenset[str]
    territory_label: str

    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [(a, [self.cells[(a, c)] for c in self.channels]) for a in self.audiences]

    @property
    def gaps(self) -> list[Cell]:
        return [cell for cell in self.cells.values() if cell.state == GAP]


def placement_audiences(placement: PlacementIn) -> frozenset[str]:
    return placement.audiences or CHANNEL_AUDIENCES.get(placement.channel, frozenset())


def territory_factor(member: Territory, targets: list[Territory]) -> int:
    """3 when the member lives in a target département, 2 in a target région, else 1."""
    if any(t.department and t.department == member.department for t in targets):
        return 3
    if any(t.region and t.region == member.region for t in targets):
        return 2
    return 1


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def rank_members(
    members: list[MemberNetworkIn],
    *,
    audience: str,
    channel: str,
    targets: list[Territory],
    themes: frozenset[int],
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Members with a network of ``channel`` that reaches ``audience``, best first; one line
    per member (their best network)."""
    networks = MEMBER_CHANNELS.get(channel, frozenset())
    best: dict[int, Suggestion] = {}
    for m in members:
        if m.network not in networks or audience not in m.audiences:
            continue
        factor = territory_factor(m.territory, targets)
        shared = len(m.themes & themes)
        score = m.audience_size * factor * (2 + shared)
        where = {3: "même département", 2: "même région", 1: "autre territoire"}[factor]
        explanation = (
            f"{m.name} — {NETWORK_LABELS.get(m.network, m.network)} : "
            f"{_fmt(m.audience_size)} personnes déclarées, "
            f"touche « {AUDIENCE_LABELS[audience]} » ; "
            f"× {factor} ({where}{', ' + m.territory.label if m.territory.label else ''}) "
            f"× {2 + shared} ({shared} thème(s) en commun + 2) = {_fmt(score)}"
        )
        suggestion = Suggestion(
            m.ambassador_id, m.name, m.network, m.audience_size, factor, shared, score, explanation
        )
        current = best.get(m.ambassador_id)
        if current is None or _order(suggestion) < _order(current):
            best[m.ambassador_id] = suggestion
    return sorted(best.values(), key=_order)[:limit]


def _order(s: Suggestion) -> tuple:
    # Total: equal keys only for identical suggestions, so input order never matters.
    return (-s.score, s.name, s.ambassador_id, s.network, s.explanation)


def _placement_order(p: PlacementIn) -> tuple:
    return (p.name, p.id, p.reach, p.territory.label, tuple(sorted(p.audiences)))


def compute_coverage(
    *,
    placements: list[PlacementIn],
    event_audiences: frozenset[str] = frozenset(),
    members: list[MemberNetworkIn] = (),
    target_audiences: frozenset[str] = frozenset(),
    territories: list[Territory] = (),
    themes: frozenset[int] = frozenset(),
    territory_label: str = "",
    limit: int = MAX_SUGGESTIONS,
) -> Matrix:
    """The matrix. ``placements`` must already be the ones that count (see the module doc:
    the selector filters by wave and territory); ``territories`` are where the action takes
    place (for closeness), empty for a national one."""
    targets = frozenset(target_audiences) or frozenset(AUDIENCES)
    territories = list(territories)
    members = list(members)
    cells: dict[tuple[str, str], Cell] = {}
    for audience in AUDIENCES:
        label = AUDIENCE_LABELS[audience]
        for channel in CHANNELS:
            cell = Cell(audience, channel, NOT_REACHED)
            cell.placements = sorted(
                (
                    p
                    for p in placements
                    if p.channel == channel and audience in placement_audiences(p)
                ),
                key=_placement_order,
            )
            cell.by_event = channel == "events" and audience in event_audiences
            cell.reach = sum(p.reach for p in cell.placements)
            channel_label = CHANNEL_LABELS[channel]
            if cell.placements or cell.by_event:
                cell.state = REACHED
                parts = [
                    f"« {p.name} » ({p.territory.label}"
                    + (f", {_fmt(p.reach)} contacts déclarés" if p.reach else "")
                    + ")"
                    for p in cell.placements
                ]
                if cell.by_event:
                    parts.append("l'événement lui-même, qui accueille ce public")
                cell.explanation = f"{label} × {channel_label} : touché par " + " ; ".join(parts)
            elif audience in targets and channel in MEMBER_CHANNELS:
                cell.state = GAP
                cell.suggestions = rank_members(
                    members,
                    audience=audience,
                    channel=channel,
                    targets=territories,
                    themes=themes,
                    limit=limit,
                )
                who = (
                    f"{len(cell.suggestions)} membre(s) peuvent le combler"
                    if cell.suggestions
                    else "aucun membre n'a déclaré de réseau de ce canal touchant ce public"
                )
                cell.explanation = (
                    f"{label} × {channel_label} : trou — aucun emplacement de ce canal ne vise "
                    f"ce public{' ici' if territory_label else ''}"
                    f"{', et l’événement ne l’accueille pas' if channel == 'events' else ''} ; "
                    f"{who}."
                )
            else:
                why = (
                    "public non visé par cette action"
                    if audience not in targets
                    else "canal que les membres ne peuvent pas occuper"
                )
                cell.explanation = f"{label} × {channel_label} : non touché ({why})."
            cells[(audience, channel)] = cell
    ordered = sorted(AUDIENCES, key=lambda a: (a not in targets, AUDIENCES.index(a)))
    return Matrix(
        audiences=ordered,
        channels=list(CHANNELS),
        cells=cells,
        targets=targets,
        territory_label=territory_label,
    )
