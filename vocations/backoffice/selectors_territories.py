"""The territory view's reads: need (BMO) beside actions (events, placements) beside results.

Reference data (territories) must not know the domain apps, and events and campaigns must not
know each other, so the join lives here, in the interface layer: each app gives its own
per-département counts and this module puts them side by side. Visits per placement territory
are read from the analytics roll-up table (``VisitDaily``) directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Sum

from vocations.accounts.permissions import organizations_for
from vocations.ambassadors.selectors import members_by_department
from vocations.analytics.models import VisitDaily
from vocations.campaigns.selectors import (
    campaigns_for_user,
    placements_by_department,
    placements_by_region,
)
from vocations.careers.hiring import bmo_mappings, industrial_bmo_codes
from vocations.careers.models import Branch, Trade
from vocations.events.selectors import activity_by_department
from vocations.territories import selectors as territory_selectors


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    source: str
    per_inhabitant: bool = True  # False for shares, which are not divided by population


BMO_SOURCE = "France Travail, enquête BMO 2024 (métiers industriels)"
MEASURES = [
    Measure("projects", "Projets de recrutement industriels", BMO_SOURCE),
    Measure(
        "difficult_share",
        "Part des projets jugés difficiles (%)",
        BMO_SOURCE + ", lignes où les deux chiffres sont publiés",
        per_inhabitant=False,
    ),
    Measure("events", "Événements labellisés", "Vocations, événements publiés et labellisés"),
    Measure("seats", "Places offertes", "Vocations, capacité des événements labellisés"),
    Measure(
        "placements",
        "Affichages et autres emplacements de campagne",
        "Vocations, plan média (emplacements visant le département ou une de ses communes)",
    ),
    Measure(
        "members",
        "Membres du collectif d'ambassadeurs",
        "Vocations, membres actifs du collectif (département qu'ils ont déclaré)",
    ),
    Measure(
        "visits",
        "Visites venues des emplacements",
        "Vocations, visites humaines arrivées par un lien suivi d'un emplacement du territoire",
    ),
    Measure("registrations", "Inscriptions (places confirmées)", "Vocations, inscriptions"),
    Measure("attendance", "Présents aux événements", "Vocations, pointage à l'accueil"),
]
MEASURES_BY_KEY = {m.key: m for m in MEASURES}
RATE_NOTE = (
    "Pour 10 000 habitants (population légale INSEE, tous âges) : la population des 15–29 ans "
    "n'est pas dans nos données de référence."
)


@dataclass
class TerritoryAccess:
    """What a user may see: everything (staff, campaign team) or their branches' trades."""

    branches: list[Branch] = field(default_factory=list)
    everything: bool = False

    @property
    def label(self) -> str:
        if self.everything:
            return "tous les métiers industriels"
        return "les métiers de " + ", ".join(b.short_name or b.name for b in self.branches)


def territory_access(user) -> TerritoryAccess | None:
    """Staff and campaign teams see all; members of a branch organization their branch."""
    from vocations.accounts.models import Organization

    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_staff or campaigns_for_user(user).exists():
        return TerritoryAccess(everything=True)
    branch_ids = organizations_for(user, action="view").filter(
        kind=Organization.Kind.BRANCH, branch__isnull=False
    )
    branches = list(Branch.objects.filter(pk__in=branch_ids.values("branch")).order_by("name"))
    return TerritoryAccess(branches=branches) if branches else None


def scoped_bmo_codes(access: TerritoryAccess) -> list[str]:
    """The industrial BMO trades this access covers (a branch: those of its ROME trades)."""
    codes = industrial_bmo_codes()
    if access.everything:
        return codes
    rome_codes = set(
        Trade.objects.filter(branches__in=access.branches).values_list("rome_code", flat=True)
    )
    mappings = bmo_mappings()
    return [c for c in codes if c in mappings and rome_codes & set(mappings[c].rome_codes)]


def _visits_by_department() -> dict[int, int]:
    rows = (
        VisitDaily.objects.filter(placement__department__isnull=False)
        .values(department_id=F("placement__department_id"))
        .annotate(n=Sum("visits"))
    )
    return {row["department_id"]: row["n"] for row in rows}


def _visits_by_region() -> dict[int, int]:
    rows = (
        VisitDaily.objects.filter(placement__scope="region", placement__region__isnull=False)
        .values(region_id=F("placement__region_id"))
        .annotate(n=Sum("visits"))
    )
    return {row["region_id"]: row["n"] for row in rows}


@dataclass
class TerritoryRow:
    code: str
    name: str
    region_code: str
    region_name: str
    population: int | None
    values: dict[str, float | int | None]
    masked_areas: int = 0
    pk: int | None = None

    def rate(self, key: str) -> float | None:
        value = self.values.get(key)
        if value is None or not MEASURES_BY_KEY[key].per_inhabitant:
            return value
        if not self.population:
            return None
        return value * 10_000 / self.population


def _share(difficult: int, base: int) -> float | None:
    return round(100 * difficult / base, 1) if base else None


def department_rows(access: TerritoryAccess) -> list[TerritoryRow]:
    """Every département with each measure (counts), by code. Seven queries, each over a
    roll-up or a small table (never the raw visits, registrations, BMO lines or communes)."""
    departments = list(territory_selectors.departments_with_regions())  # 1
    need = territory_selectors.industrial_need_by_department(  # 2
        bmo_codes=scoped_bmo_codes(access)
    )
    population = territory_selectors.population_by_department()  # 3
    activity = activity_by_department()  # 4 (the event-activity roll-up)
    placements = placements_by_department()  # 5
    visits = _visits_by_department()  # 6
    members = members_by_department()  # 7
    rows = []
    for d in departments:
        n = need.get(d.code)
        a = activity.get(d.pk, {})
        rows.append(
            TerritoryRow(
                pk=d.pk,
                code=d.code,
                name=d.name,
                region_code=d.region.code,
                region_name=d.region.name,
                population=population.get(d.code),
                masked_areas=n["masked_areas"] if n else 0,
                values={
                    "projects": n["projects"] if n else None,
                    "difficult_share": _share(n["difficult"], n["projects_with_difficult"])
                    if n
                    else None,
                    "difficult": n["difficult"] if n else None,
                    "projects_with_difficult": n["projects_with_difficult"] if n else None,
                    "events": a.get("events", 0),
                    "seats": a.get("seats", 0),
                    "placements": placements.get(d.pk, 0),
                    "members": members.get(d.pk, 0),
                    "visits": visits.get(d.pk, 0),
                    "registrations": a.get("registrations", 0),
                    "attendance": a.get("attendance", 0),
                },
            )
        )
    return rows


def region_rows(access: TerritoryAccess) -> list[TerritoryRow]:
    """Régions, summed from their départements, plus placements and visits aimed at a whole
    région. Ten queries."""
    from vocations.territories.models import Region

    departments = department_rows(access)
    regional_placements = placements_by_region()
    regional_visits = _visits_by_region()
    region_pks = dict(Region.objects.values_list("code", "pk"))
    by_code: dict[str, TerritoryRow] = {}
    for d in departments:
        row = by_code.get(d.region_code)
        if row is None:
            row = by_code[d.region_code] = TerritoryRow(
                code=d.region_code,
                name=d.region_name,
                region_code=d.region_code,
                region_name=d.region_name,
                population=0,
                values=dict.fromkeys(d.values),
                pk=region_pks.get(d.region_code),
            )
        row.population = (row.population or 0) + (d.population or 0)
        row.masked_areas += d.masked_areas
        for key, value in d.values.items():
            if key != "difficult_share" and value is not None:
                row.values[key] = (row.values[key] or 0) + value
    for row in by_code.values():
        row.values["placements"] = (row.values["placements"] or 0) + regional_placements.get(
            row.pk, 0
        )
        row.values["visits"] = (row.values["visits"] or 0) + regional_visits.get(row.pk, 0)
        if row.values["projects_with_difficult"] is not None:
            row.values["difficult_share"] = _share(
                row.values["difficult"], row.values["projects_with_difficult"]
            )
    return sorted(by_code.values(), key=lambda r: r.code)


# --- under-served territories -----------------------------------------------------------


def _percentiles(values: dict[str, float]) -> dict[str, float]:
    """Code -> share of territories with a smaller value (0 = lowest, 1 = highest)."""
    ordered = sorted(values.values())
    count = len(ordered)
    if count < 2:
        return dict.fromkeys(values, 0.5)
    return {code: sum(v < value for v in ordered) / (count - 1) for code, value in values.items()}


@dataclass
class UnderServed:
    row: TerritoryRow
    score: float
    need_rank: int
    action_rank: int
    reach_rank: int
    total: int
    need_rate: float
    action_rate: float
    reach_rate: float


def under_served(rows: list[TerritoryRow], *, limit: int = 20) -> list[UnderServed]:
    """Territories ranked by need minus action and reach, all per 10,000 inhabitants.

    Need: industrial recruitment projects. Action: labelled events plus campaign placements.
    Reach: visits from placements plus confirmed registrations. Each is turned into a
    percentile among the territories with a population and a BMO figure; a territory is
    under-served when its need is in the upper half and its action or its reach in the lower
    half. Score = need percentile - mean of action and reach percentiles.
    """
    usable = [r for r in rows if r.population and r.values.get("projects") is not None]
    need = {r.code: r.values["projects"] * 10_000 / r.population for r in usable}
    action = {
        r.code: (r.values["events"] + r.values["placements"]) * 10_000 / r.population
        for r in usable
    }
    reach = {
        r.code: (r.values["visits"] + r.values["registrations"]) * 10_000 / r.population
        for r in usable
    }
    need_p, action_p, reach_p = _percentiles(need), _percentiles(action), _percentiles(reach)

    def rank(values: dict[str, float], code: str) -> int:
        return 1 + sum(v > values[code] for v in values.values())

    result = []
    for r in usable:
        c = r.code
        if need_p[c] < 0.5 or (action_p[c] > 0.5 and reach_p[c] > 0.5):
            continue
        result.append(
            UnderServed(
                row=r,
                score=need_p[c] - (action_p[c] + reach_p[c]) / 2,
                need_rank=rank(need, c),
                action_rank=rank(action, c),
                reach_rank=rank(reach, c),
                total=len(usable),
                need_rate=need[c],
                action_rate=action[c],
                reach_rate=reach[c],
            )
        )
    result.sort(key=lambda u: (-u.score, u.row.code))
    return result[:limit]


def department_detail(access: TerritoryAccess, code: str) -> dict | None:
    """One département: its row, its rank among all, and its most demanded trades."""
    rows = department_rows(access)
    row = next((r for r in rows if r.code == code), None)
    if row is None:
        return None
    top = territory_selectors.top_trades_for_department(
        department_code=code, bmo_codes=scoped_bmo_codes(access), limit=10
    )
    return {"row": row, "rows": rows, "top_trades": top}
