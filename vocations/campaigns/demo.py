"""The demo campaign "Avec l'industrie", generated in bulk (see vocations/accounts/demo.py).

15 M€ over 3 years in 4 waves, built relative to today like the demo events: waves 1, 2 and
3 are over (with weekly media figures; wave 3 ended three days ago), wave 4 is planned. Spend
is bought unevenly week to week (the planner's synthetic patterns), which is what lets the
next-wave planner see its response curves bend (docs/planner.md). Each wave has
national TV, replay, cinema (500 screens, 3 weeks), billboards in the 65 most populated
communes (one placement per région, one tracked link and QR code per city), web, social
networks, regional dailies in their région and the trade press,
events, press and influence. Planned 14.4 M€, committed under the budget.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.campaigns.models import (
    BranchMessage,
    BranchMessageAudience,
    Campaign,
    Channel,
    MediaFigure,
    Placement,
    TrackedLink,
    Wave,
)
from vocations.campaigns.services.links import new_code
from vocations.careers.models import Branch
from vocations.territories.models import Commune, Region

SLUG = "avec-l-industrie"
BUDGET_CENTS = 15_000_000 * 100
EUR = 100
M = MediaFigure.Metric
# channel: (libellé, quantity, unit, planned euros per wave, days from the wave's start)
PLAN = {
    Channel.TV: ("Spot TV national (TF1, France 2, M6)", 120, "spots", 1_300_000, 21),
    Channel.REPLAY: ("Replay (MyTF1, France TV, 6play, myCanal)", 40, "insertions", 320_000, 21),
    Channel.CINEMA: ("Cinéma — 500 salles", 500, "écrans", 420_000, 21),
    Channel.BILLBOARD: ("Affichage 65 villes", 6000, "panneaux", 850_000, 14),
    Channel.WEB: ("Site avec-lindustrie.fr et display", 1, "site", 150_000, 35),
    Channel.SOCIAL: ("Réseaux sociaux (Instagram, TikTok)", 60, "publications", 230_000, 35),
    Channel.EVENTS: ("Événements labellisés dans les territoires", 400, "événements", 180_000, 35),
    Channel.PRESS: ("Presse régionale et professionnelle", 25, "annonces", 90_000, 28),
    Channel.INFLUENCE: ("Influence — Les Influstriels", 30, "publications", 60_000, 35),
}  # fmt: skip
LANDING = {
    Channel.EVENTS: "/evenements/",
    Channel.BILLBOARD: "/evenements/",
    Channel.SOCIAL: "/metiers/",
}
METRICS = {
    Channel.TV: [(M.GRP, 40, 90), (M.CONTACTS, 8_000_000, 15_000_000)],
    Channel.REPLAY: [(M.IMPRESSIONS, 2_000_000, 5_000_000), (M.VIDEO_VIEWS, 900_000, 2_500_000)],
    Channel.CINEMA: [(M.CONTACTS, 300_000, 700_000)],
    Channel.BILLBOARD: [(M.CONTACTS, 5_000_000, 12_000_000)],
    Channel.WEB: [(M.IMPRESSIONS, 500_000, 1_500_000), (M.CLICKS, 5_000, 20_000)],
    Channel.SOCIAL: [
        (M.IMPRESSIONS, 1_000_000, 3_000_000),
        (M.ENGAGEMENTS, 10_000, 40_000),
        (M.VIDEO_VIEWS, 100_000, 400_000),
        (M.CLICKS, 3_000, 12_000),
    ],
    Channel.EVENTS: [(M.CONTACTS, 5_000, 20_000)],
    Channel.PRESS: [(M.CONTACTS, 200_000, 600_000)],
    Channel.INFLUENCE: [(M.IMPRESSIONS, 200_000, 800_000), (M.ENGAGEMENTS, 4_000, 16_000)],
}
# Weekly spend level relative to the wave's mean: a launch burst, a reminder, a late push.
WEEK_PATTERNS = (
    (1.8, 1.2, 0.7, 0.3, 0.1),
    (0.5, 1.5, 1.0, 0.8, 0.2),
    (1.0, 0.4, 1.9, 0.7, 0.1),
)
# Branch slug → its variant of the campaign's message (each text speaks of its own branch).
BRANCH_TEXTS = [
    (
        "industries-chimiques",
        "La chimie, c'est l'avenir de la santé et du climat",
        "Médicaments, matériaux recyclables, énergies propres : nos métiers inventent les "
        "solutions de demain. Opérateur, technicien de laboratoire, ingénieur procédés : "
        "venez fabriquer l'avenir avec nous.",
        ["young_people", "career_changers"],
    ),
    (
        "metallurgie",
        "La métallurgie recrute partout en France",
        "Soudeurs, usineurs, chaudronniers, techniciens de maintenance : des métiers concrets, "
        "bien payés, dans toutes les régions. Formez-vous en alternance.",
        ["young_people", "job_seekers", "advisers"],
    ),
    (
        "industries-textiles",
        "Le textile, de la création à la fabrication",
        "Des ateliers qui relocalisent, des fibres recyclées, des savoir-faire rares : "
        "rejoignez une filière qui se réinvente.",
        ["young_people", "parents"],
    ),
    (
        "plasturgie-composites",
        "La plasturgie invente les matériaux de demain",
        "Pièces de voiture allégées, emballages recyclés, prothèses : conducteurs de "
        "presse, régleurs et techniciens méthodes transforment la matière près de chez vous.",
        ["young_people", "job_seekers"],
    ),
]


# Press: the big regional dailies in their région, the trade press nationally (title, région
# code or "" for national, share of the press budget).
REGIONAL_PRESS = [
    ("Presse régionale — Ouest-France", "53", 0.16),
    ("Presse régionale — La Voix du Nord", "32", 0.14),
    ("Presse régionale — Le Progrès", "84", 0.14),
    ("Presse régionale — Sud Ouest", "75", 0.14),
    ("Presse régionale — La Dépêche du Midi", "76", 0.12),
    ("Presse professionnelle — L'Usine Nouvelle, Industrie & Technologies", "", 0.30),
]


def _waves(campaign: Campaign, today: dt.date) -> list[Wave]:
    start = campaign.starts_on
    starts = [start, start + dt.timedelta(days=238), today - dt.timedelta(days=37)]
    starts.append(start + dt.timedelta(days=900))
    names = ["Lancement", "Rentrée", "Semaine de l'industrie", "Orientation"]
    return [
        Wave(
            campaign=campaign,
            number=i,
            name=f"Vague {i} — {name}",
            starts_on=s,
            ends_on=s + dt.timedelta(days=34),
        )
        for i, (s, name) in enumerate(zip(starts, names, strict=True), start=1)
    ]


class UniqueCodes:
    """Tracked-link codes never used before (also for the demo's event links, vocations.setup)."""

    def __init__(self):
        self.used = set(TrackedLink.objects.values_list("code", flat=True))

    def __call__(self) -> str:
        code = new_code()
        while code in self.used:
            code = new_code()
        self.used.add(code)
        return code


def build_campaigns(rng: random.Random, scale: str) -> dict[str, int]:
    owner = Organization.objects.filter(kind=Organization.Kind.CAMPAIGN_TEAM).order_by("id").first()
    if owner is None or Campaign.objects.filter(slug=SLUG).exists():
        return {}
    today = timezone.localdate()
    starts_on = today - dt.timedelta(days=540)
    campaign = Campaign.objects.create(
        organization=owner,
        name="Avec l'industrie",
        slug=SLUG,
        signature="On a un avenir à fabriquer",
        budget_cents=BUDGET_CENTS,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=3 * 365 - 1),
        banner_colour="#000091",
    )
    waves = Wave.objects.bulk_create(_waves(campaign, today))
    cities = list(
        Commune.objects.exclude(population=None)
        .select_related("region")
        .order_by("-population")[:65]
    )
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for _, c, _ in REGIONAL_PRESS])}
    placements, city_links = [], []
    for wave in waves:
        is_future = wave.starts_on > today
        for channel, (name, quantity, unit, euros, days) in PLAN.items():
            planned = euros * EUR
            # Past and running waves are fully bought; the last one is partly committed.
            committed = planned * 4 // 10 if is_future else planned * rng.randint(94, 100) // 100
            base = Placement(
                campaign=campaign,
                wave=wave,
                channel=channel,
                name=name,
                scope=Placement.Scope.NATIONAL,
                quantity=quantity,
                unit=unit,
                starts_on=wave.starts_on,
                ends_on=min(wave.starts_on + dt.timedelta(days=days - 1), wave.ends_on),
                planned_cents=planned,
                committed_cents=committed,
                landing_path=LANDING.get(channel, "/"),
            )
            if channel == Channel.BILLBOARD and cities:
                made = _billboards_by_region(base, cities)
                city_links += [(p, c) for p, group in made for c in group]
                placements += [p for p, _ in made]
            elif channel == Channel.PRESS and regions:
                placements += _press_by_region(base, regions)
            else:
                placements.append(base)
    placements = Placement.objects.bulk_create(placements)
    code = UniqueCodes()
    links = [
        TrackedLink(
            code=code(),
            campaign=campaign,
            target_kind=TrackedLink.TargetKind.PLACEMENT,
            placement=placement,
            landing_path=placement.landing_path,
            label=f"Affichage — {city.name}",
            commune=city,
        )
        for placement, city in city_links
    ]
    links += [
        TrackedLink(
            code=code(),
            campaign=campaign,
            target_kind=TrackedLink.TargetKind.PLACEMENT,
            placement=placement,
            landing_path=placement.landing_path,
            label=placement.name,
        )
        for placement in placements
        if placement.channel != Channel.BILLBOARD
    ]
    messages = _branch_messages(campaign, placements, code, links)
    TrackedLink.objects.bulk_create(links, batch_size=2000)
    figures = _figures(rng, placements, today)
    return {
        "campagnes": 1,
        "vagues": len(waves),
        "emplacements": len(placements),
        "liens suivis": len(links),
        "déclinaisons de branche": messages,
        "chiffres médias": figures,
    }


def _billboards_by_region(base: Placement, cities: list[Commune]):
    """The wave's billboards, one placement per région (its cities' panels and share of the
    budget), each city with its own link and QR code."""
    by_region: dict[int, list[Commune]] = {}
    for city in cities:
        by_region.setdefault(city.region_id, []).append(city)
    made = []
    for group in by_region.values():
        region = group[0].region
        share = len(group) / len(cities)
        placement = Placement(
            **{f.attname: getattr(base, f.attname) for f in Placement._meta.concrete_fields},
        )
        placement.pk = None
        placement.name = (
            f"Affichage — {region.name} ({len(group)} ville{'s' if len(group) > 1 else ''})"
        )
        placement.scope, placement.region = Placement.Scope.REGION, region
        placement.quantity = max(1, round(base.quantity * share))
        placement.planned_cents = round(base.planned_cents * share)
        placement.committed_cents = min(
            placement.planned_cents, round(base.committed_cents * share)
        )
        made.append((placement, group))
    return made


def _press_by_region(base: Placement, regions: dict):
    """Regional dailies in their région, the trade press nationally."""
    made = []
    for title, code, share in REGIONAL_PRESS:
        placement = Placement(
            **{f.attname: getattr(base, f.attname) for f in Placement._meta.concrete_fields},
        )
        placement.pk = None
        placement.name = title
        if code:
            if code not in regions:
                continue
            placement.scope, placement.region = Placement.Scope.REGION, regions[code]
        placement.quantity = max(1, round(base.quantity * share))
        placement.planned_cents = round(base.planned_cents * share)
        placement.committed_cents = min(
            placement.planned_cents, round(base.committed_cents * share)
        )
        made.append(placement)
    return made


def _branch_messages(campaign, placements, code, links) -> int:
    """Each variant on the branch it speaks of (by slug); a branch missing from the
    reference data simply gets no variant."""
    by_slug = {b.slug: b for b in Branch.objects.filter(slug__in=[t[0] for t in BRANCH_TEXTS])}
    social = [p for p in placements if p.channel == Channel.SOCIAL]
    made = []
    for slug, title, text, audiences in BRANCH_TEXTS:
        branch = by_slug.get(slug)
        if branch is None:
            continue
        message = BranchMessage.objects.create(
            campaign=campaign, branch=branch, title=title, text=text
        )
        made.append(message)
        BranchMessageAudience.objects.bulk_create(
            BranchMessageAudience(message=message, audience=a) for a in audiences
        )
        message.trades.set(branch.trades.order_by("rome_code")[:5])
        links.append(
            TrackedLink(
                code=code(),
                campaign=campaign,
                target_kind=TrackedLink.TargetKind.BRANCH,
                branch=branch,
                landing_path=f"/branches/{branch.slug}/",
                label=f"Page de la branche {branch.short_name}",
            )
        )
    if made and social:
        Placement.objects.filter(pk__in=[p.pk for p in social]).update(branch_message=made[0])
    return len(made)


def _figures(rng: random.Random, placements: list[Placement], today: dt.date) -> int:
    """Weekly figures per placement; TV is reported per airing day (about every other
    evening), as the channels' media buyers do, so reports can centre on an airing."""
    figures = []
    for placement in placements:
        if placement.ends_on >= today:
            continue
        if placement.channel == Channel.TV:
            periods = _airing_days(rng, placement)
        else:
            periods = []
            start = placement.starts_on
            while start <= placement.ends_on:
                periods.append((start, min(start + dt.timedelta(days=6), placement.ends_on)))
                start += dt.timedelta(days=7)
        spends = _uneven_spend(rng, placement, periods)
        for (period_start, period_end), spend in zip(periods, spends, strict=True):
            rows = [(M.SPEND, spend * 1000)]
            for metric, low, high in METRICS[placement.channel]:
                if placement.channel == Channel.TV:  # one evening, not a week
                    low, high = low // 4, high // 4
                rows.append((metric, rng.randint(low, high) * 1000))
            figures += [
                MediaFigure(
                    placement=placement,
                    period_start=period_start,
                    period_end=period_end,
                    metric=metric,
                    value_milli=value,
                )
                for metric, value in rows
            ]
    MediaFigure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


def _uneven_spend(rng: random.Random, placement: Placement, periods) -> list[int]:
    """The placement's committed cents over its periods, week by week after the wave's
    pattern: never above what was committed, in total exact."""
    pattern = WEEK_PATTERNS[(placement.wave.number - 1) % len(WEEK_PATTERNS)]
    weights = [
        max(pattern[min((start - placement.starts_on).days // 7, len(pattern) - 1)], 0.1)
        * rng.uniform(0.85, 1.15)
        for start, _ in periods
    ]
    total = sum(weights)
    cents = [int(placement.committed_cents * w / total) for w in weights]
    cents[weights.index(max(weights))] += placement.committed_cents - sum(cents)
    return cents


def _airing_days(rng: random.Random, placement: Placement) -> list[tuple[dt.date, dt.date]]:
    days = []
    day = placement.starts_on
    while day <= placement.ends_on:
        if rng.random() < 0.5 or day == placement.starts_on:
            days.append((day, day))
        day += dt.timedelta(days=1)
    return days
