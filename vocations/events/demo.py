"""Demo events, generated in bulk from a seeded random generator.

Same reasons as vocations/accounts/demo.py: `bulk_create` so that `--scale large` reaches
benchmark sizes, and only rows the services would accept (tests/test_demo.py runs a sample
through the event service's validation). Runs once per (scale, seed), inside the demo_data
command's transaction, after the organizations exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.careers.models import Sector, Trade
from vocations.events.models import (
    Event,
    EventAudience,
    Label,
    LabelPeriod,
    LabelTransition,
)
from vocations.territories.models import PostalCode, Region

SCALES = {"small": 400, "large": 30_000}
BATCH = 2000
State = Label.State
K = Event.Kind


def _table(text: str) -> list[list[str]]:
    """Rows of a "a | b | c" text table (keeps long lists of French texts readable)."""
    # Cells are whitespace-normalized, so a "\\" line continuation may wrap a long cell.
    return [[" ".join(c.split()) for c in line.split("|")] for line in text.strip().splitlines()]


# Share of the label states (the rest is labelled and published).
STATE_SHARES = {State.SUBMITTED: 0.07, State.DRAFT: 0.03, State.CHANGES_REQUESTED: 0.03}
STATE_SHARES[State.REFUSED] = 0.02
ORGANIZER_WEIGHTS = {"company": 70, "school": 20, "local_body": 10}
# Which kinds each kind of organizer runs, with weights.
KINDS_BY_ORGANIZER = {
    "company": {"company_visit": 45, "open_day": 28, "workshop": 9, "recruitment_forum": 7},
    "school": {"open_day": 40, "orientation_fair": 25, "workshop": 15, "conference": 12},
    "local_body": {"orientation_fair": 35, "recruitment_forum": 40, "conference": 15},
}
KINDS_BY_ORGANIZER["company"] |= {"conference": 4, "online_session": 7}
KINDS_BY_ORGANIZER["school"] |= {"online_session": 8}
KINDS_BY_ORGANIZER["local_body"] |= {"online_session": 10}
# Per kind: weekdays it starts on (Monday = 0), capacity range, share with no capacity limit,
# share accepting school groups, audiences (the first always).
KIND_RULES = {
    kind: (tuple(map(int, days)), tuple(map(int, sizes.split())), float(no), float(gr), aud.split())
    for kind, days, sizes, no, gr, aud in _table(
        """
        company_visit | 01234 | 15 40 | 0 | .7 | young_people advisers job_seekers career_changers
        open_day | 4555 | 100 500 | .2 | .35 | young_people parents general_public career_changers
        orientation_fair | 234 | 500 5000 | .1 | .85 | young_people parents advisers
        recruitment_forum | 123 | 200 2000 | .1 | .2 | job_seekers career_changers young_people
        workshop | 012345 | 8 24 | 0 | .4 | young_people career_changers advisers
        conference | 01234 | 60 300 | .15 | .3 | general_public parents advisers job_seekers
        online_session | 0123 | 100 1000 | .3 | 0 | career_changers job_seekers parents young_people
        """
    )
}
# Per kind: the summary, then the description (2 sentences) and title patterns: {org} the
# organizer, {de}/{a} "de"/"à" + the commune, {trade} and {trades}, {sector}.
KIND_TEXTS = {
    kind: (summary, description, titles.split(" ; "))
    for kind, summary, description, titles in _table(
        """
        company_visit | Deux heures au cœur de la production, avec les équipes. \
        | {org} ouvre ses ateliers {a} pour une visite de deux heures au cœur de la production. \
        Vous rencontrerez les équipes et découvrirez leurs métiers : {trades}. \
        | Visite d'entreprise — {org} ; Dans les coulisses de l'atelier — {org} \
        ; Visite guidée de la production — {org} ; Découverte des métiers de l'usine — {org}
        open_day | Une journée pour découvrir l'entreprise, ses machines et ses métiers. \
        | Une journée pour entrer chez {org}, voir les machines tourner et poser vos questions. \
        Démonstrations, témoignages et présentation des métiers : {trades}. \
        | Portes ouvertes — {org} ; Journée portes ouvertes — {org} \
        ; Portes ouvertes de l'industrie — {org}
        orientation_fair | Écoles, CFA et entreprises réunis pour vous aider à choisir. \
        | Le rendez-vous de l'orientation {de} : écoles, CFA et entreprises de la filière \
        {sector}. Venez découvrir les formations et les métiers qui recrutent : {trades}. \
        | Salon de l'orientation {de} ; Salon des métiers de l'industrie {de} \
        ; Carrefour des formations industrielles {de} ; Nuit de l'orientation {de}
        recruitment_forum | Des entreprises qui recrutent, des entretiens sur place. \
        | Des entreprises industrielles du territoire recrutent {a}, en CDI, CDD et alternance. \
        Apportez votre CV : entretiens sur place pour les métiers suivants : {trades}. \
        | Forum de l'emploi industriel {de} ; Job dating de l'industrie {a} \
        ; L'industrie recrute {a} ; Forum de recrutement — {org}
        workshop | Essayez un métier de l'industrie de vos propres mains. \
        | Un atelier pratique animé par {org} pour essayer un métier de ses propres mains. \
        Au programme, des gestes de professionnels et leurs conseils : {trades}. \
        | Atelier découverte : {trade} — {org} ; Atelier « Mains à la pâte » — {org} \
        ; Atelier CV et entretien pour l'industrie — {org}
        conference | Des professionnels racontent leur métier et répondent à vos questions. \
        | Des professionnels de la filière {sector} racontent leur parcours et leur quotidien. \
        Un temps d'échange suit la conférence, sur les métiers : {trades}. \
        | Conférence : l'industrie du futur {a} ; Table ronde : les femmes dans l'industrie {a} \
        ; Les métiers qui recrutent {a} ; Conférence : se reconvertir dans l'industrie {a}
        online_session | Une session en direct pour découvrir des métiers sans vous déplacer. \
        | {org} vous donne rendez-vous en direct pendant une heure, sur téléphone ou ordinateur. \
        Posez vos questions dans la discussion sur les métiers : {trades}. \
        | En direct de l'atelier — {org} ; Webinaire : découvrir la filière {sector} \
        ; Session en ligne : se reconvertir dans l'industrie — {org}
        """
    )
}
GROUPS_SENTENCE = "Les groupes scolaires sont les bienvenus, sur inscription."
VISIT_ACCESS = "Chaussures fermées conseillées ; les équipements de protection sont fournis."
ACCESSIBILITY = "Lieu accessible aux personnes à mobilité réduite."
STREETS = [
    street
    for row in _table(
        """
        rue de l'Industrie | avenue des Forges | zone d'activités des Pins | rue Denis-Papin
        boulevard de l'Europe | chemin du Moulin | rue des Artisans | avenue Marie-Curie
        """
    )
    for street in row
]
FAIR_VENUES = ["Parc des expositions", "Halle des sports", "Centre des congrès", "Espace culturel"]
CHANGES_MESSAGES = [
    "Merci de préciser les métiers présentés et le public visé.",
    "Indiquez l'adresse exacte et les conditions d'accès pour les groupes.",
    "La description est trop courte : dites ce que les visiteurs pourront voir et faire.",
]
REFUSED_PAID = "L'événement est payant : le label est réservé aux événements gratuits."
REFUSED_CLOSED = (
    "L'événement est réservé aux salariés de l'entreprise : il n'est pas ouvert au public."
)
# Sector slug ← words of the organization names made by vocations/accounts/demo.py.
NAME_SECTORS = [
    (words.split(", "), slugs.split())
    for words, slugs in _table(
        """
        Forges, Fonderie, Chaudronnerie | metallurgie mecanique
        Ateliers mécaniques, Usinage | mecanique metallurgie
        Plasturgie, Composites | plasturgie-composites aeronautique-spatial
        Textiles | textile-habillement
        Laboratoires | sante-pharmacie cosmetique
        Conserverie, Biscuiterie | agroalimentaire
        Électronique | electronique
        Papeterie | papier-carton
        Verrerie | verre-ceramique-materiaux
        Aéro | aeronautique-spatial
        Énergies | energie
        """
    )
]


class Place(NamedTuple):
    commune_id: int
    name: str
    department_id: int
    region_id: int
    latitude: float | None
    longitude: float | None
    postal_code: str


class Organizer(NamedTuple):
    id: int
    name: str
    kind: str
    place: Place | None
    region_id: int | None


def de(name: str) -> str:
    """« de Lyon », « d'Angers », « du Havre », « des Mureaux »."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    return f"d'{name}" if name[:1].upper() in "AEIOUYÉÈÂÎH" else f"de {name}"


def a(name: str) -> str:
    """« à Lyon », « au Havre », « aux Mureaux »."""
    if name.startswith("Le "):
        return f"au {name[3:]}"
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    return f"à {name}"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


# ---------------------------------------------------------------------------------------------
# Label periods


def build_label_periods(now: dt.datetime) -> list[LabelPeriod]:
    """The campaign's label periods for the years the demo events span.

    DEMO DATA, not the campaign's real calendar: plausible dates only (two waves a year, spring
    and autumn, numbered from the first year, and the Semaine de l'industrie in late March).
    Built relative to today so that the demo stays current whenever it is run.
    """
    today = timezone.localdate(now)
    first = (today - dt.timedelta(days=60)).year
    last = (today + dt.timedelta(days=245)).year
    periods = []
    for n, year in enumerate(range(first, last + 1)):
        week = dt.date(year, 3, 23) - dt.timedelta(days=dt.date(year, 3, 23).weekday())
        periods += [
            LabelPeriod(
                name=f"Vague {2 * n + 1} — printemps {year}",
                starts_on=dt.date(year, 2, 2),
                ends_on=dt.date(year, 6, 30),
            ),
            LabelPeriod(
                name=f"Semaine de l'industrie {year}",
                starts_on=week,
                ends_on=week + dt.timedelta(days=6),
                review_working_days=3,
            ),
            LabelPeriod(
                name=f"Vague {2 * n + 2} — automne {year}",
                starts_on=dt.date(year, 9, 14),
                ends_on=dt.date(year, 12, 18),
            ),
        ]
    return LabelPeriod.objects.bulk_create(periods)


def in_periods(periods: list[LabelPeriod], first: dt.date, last: dt.date) -> bool:
    return any(p.starts_on <= first and last <= p.ends_on for p in periods)


# ---------------------------------------------------------------------------------------------
# What the events are built from


class World:
    """Organizers, places, sectors and trades, read once with a few queries."""

    def __init__(self, rng: random.Random) -> None:
        first_codes: dict[int, str] = {}
        for commune_id, code in PostalCode.objects.order_by("code").values_list(
            "commune_id", "code"
        ):
            first_codes.setdefault(commune_id, code)
        region_ids = {f"Région {name}": pk for pk, name in Region.objects.values_list("id", "name")}
        self.organizers: dict[str, list[Organizer]] = defaultdict(list)
        self.by_department: dict[int, list[Organizer]] = defaultdict(list)
        self.places_by_region: dict[int, list[Place]] = defaultdict(list)
        places: dict[int, Place] = {}
        fields = ("name", "department_id", "region_id", "latitude", "longitude")
        rows = Organization.objects.filter(kind__in=list(KINDS_BY_ORGANIZER)).order_by("id")
        for row in rows.values(
            "id", "name", "kind", "commune_id", *(f"commune__{f}" for f in fields)
        ):
            place, commune_id = None, row["commune_id"]
            if commune_id and (place := places.get(commune_id)) is None:
                values = [row[f"commune__{f}"] for f in fields]
                place = places[commune_id] = Place(
                    commune_id, *values, first_codes.get(commune_id, "")
                )
                self.places_by_region[place.region_id].append(place)
            region_id = place.region_id if place else region_ids.get(row["name"])
            organizer = Organizer(row["id"], row["name"], row["kind"], place, region_id)
            self.organizers[row["kind"]].append(organizer)
            if place is not None:
                self.by_department[place.department_id].append(organizer)
        self.places = sorted(places.values(), key=lambda p: p.commune_id)
        sectors = list(Sector.objects.order_by("slug").values_list("id", "slug", "name"))
        self.sector_ids = [pk for pk, _, _ in sectors]
        self.sector_by_slug = {slug: pk for pk, slug, _ in sectors}
        self.sector_names = {pk: name for pk, _, name in sectors}
        self.trade_titles = dict(Trade.objects.values_list("id", "title"))
        featured: dict[int, list[int]] = defaultdict(list)
        other: dict[int, list[int]] = defaultdict(list)
        for sector_id, trade_id, is_featured in Trade.sectors.through.objects.order_by(
            "sector_id", "trade_id"
        ).values_list("sector_id", "trade_id", "trade__is_featured"):
            (featured if is_featured else other)[sector_id].append(trade_id)
        # Featured trades first; a sector without any falls back to its other trades.
        self.trades_by_sector = {s: featured.get(s) or other.get(s, []) for s in self.sector_ids}
        self.featured_by_code = dict(
            Trade.objects.filter(is_featured=True).values_list("rome_code", "id")
        )
        self.rng = rng

    def place_for(self, organizer: Organizer) -> Place | None:
        if organizer.place is not None:
            return organizer.place
        pool = self.places_by_region.get(organizer.region_id) or self.places
        return self.rng.choice(pool) if pool else None

    def sectors_for(self, organizer: Organizer) -> list[int]:
        for words, slugs in NAME_SECTORS:
            if any(word in organizer.name for word in words):
                ids = [self.sector_by_slug[s] for s in slugs if s in self.sector_by_slug]
                if ids:
                    return ids[: self.rng.choice((1, 1, 2))]
        if not self.sector_ids:
            return []
        return self.rng.sample(self.sector_ids, min(len(self.sector_ids), self.rng.choice((1, 2))))

    def trades_for(self, sector_ids: list[int]) -> list[int]:
        pool = sorted({t for s in sector_ids for t in self.trades_by_sector.get(s, [])})
        return self.rng.sample(pool, min(len(pool), self.rng.randint(1, 4))) if pool else []


# ---------------------------------------------------------------------------------------------
# Regular events


class Calendar:
    """Picks event days in the window, mostly inside label periods and on the usual weekdays."""

    def __init__(self, now: dt.datetime, periods: list[LabelPeriod]) -> None:
        today = timezone.localdate(now)
        self.today = today
        self.periods = periods
        self.days = [today + dt.timedelta(days=n) for n in range(-60, 241)]
        self.period_days = [d for d in self.days if in_periods(periods, d, d)] or self.days

    def pick(self, rng: random.Random, kind: str, n_days: int, earliest: dt.date) -> dt.date:
        inside = rng.random() < 0.85
        pool = self.period_days if inside else self.days
        day = earliest
        for _ in range(60):
            day = rng.choice(pool)
            last = day + dt.timedelta(days=n_days - 1)
            if day < earliest or last > self.days[-1] or day.weekday() not in KIND_RULES[kind][0]:
                continue
            if inside and not in_periods(self.periods, day, last):
                continue
            return day
        return max(day, earliest)


def schedule(rng: random.Random, kind: str, day: dt.date, n_days: int):
    """(starts_at, ends_at) with realistic hours for the kind."""
    last = day + dt.timedelta(days=n_days - 1)
    if kind == K.COMPANY_VISIT:
        start = at(day, *rng.choice([(9, 30), (10, 0), (14, 0), (14, 30)]))
        return start, start + dt.timedelta(hours=2)
    if kind == K.OPEN_DAY:
        return at(day, rng.choice([9, 10])), at(day, rng.choice([16, 17, 18]))
    if kind in (K.ORIENTATION_FAIR, K.RECRUITMENT_FORUM):
        return at(day, 9, rng.choice([0, 30])), at(last, rng.choice([17, 18]))
    if kind == K.WORKSHOP:
        start = at(day, *rng.choice([(9, 30), (14, 0)]))
        return start, start + dt.timedelta(minutes=rng.choice([120, 150, 180]))
    if kind == K.CONFERENCE:
        start = at(day, *rng.choice([(14, 0), (18, 0), (18, 30)]))
        return start, start + dt.timedelta(minutes=rng.choice([90, 120]))
    start = at(day, *rng.choice([(12, 30), (18, 0), (18, 30)]))
    return start, start + dt.timedelta(hours=1)


def capacity_for(rng: random.Random, kind: str) -> int | None:
    (low, high), none_share = KIND_RULES[kind][1], KIND_RULES[kind][2]
    if rng.random() < none_share:
        return None
    step = 5 if high <= 500 else 50
    return rng.randrange(low, high + 1, step) if low % step == 0 else rng.randint(low, high)


def registration_window(rng: random.Random, kind: str, starts: dt.datetime, ends: dt.datetime):
    """(opens, closes), within what the event service accepts; some events set none."""
    if rng.random() < 0.1:
        return None, None
    opens = at(timezone.localdate(starts) - dt.timedelta(days=rng.randint(21, 75)), 9)
    if kind in (K.COMPANY_VISIT, K.WORKSHOP):
        closes = at(timezone.localdate(starts) - dt.timedelta(days=rng.choice([1, 2, 3])), 18)
    elif kind == K.ONLINE_SESSION:
        closes = starts
    else:
        closes = ends - dt.timedelta(hours=1)
    return opens, closes


def groups_for(rng: random.Random, kind: str, capacity: int | None):
    if rng.random() >= KIND_RULES[kind][3]:
        return False, None
    size = rng.choice([15, 20, 25, 30, 35]) if kind != K.ORIENTATION_FAIR else 60
    return True, min(size, capacity) if capacity else size


class Slugs:
    def __init__(self) -> None:
        self.taken = set(Event.objects.values_list("slug", flat=True))

    def __call__(self, title: str) -> str:
        base = slugify(title)[:200] or "evenement"
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug


def pick_organizers(rng: random.Random, world: World, count: int) -> list[Organizer]:
    """One organizer per département first, so events cover the map; then by weight."""
    departments = sorted(world.by_department)
    rng.shuffle(departments)
    chosen = [rng.choice(world.by_department[d]) for d in departments[:count]]
    kinds = [k for k in ORGANIZER_WEIGHTS if world.organizers.get(k)]
    if not kinds:
        raise ValueError("Aucune organisation : créez d'abord les organisations de démonstration.")
    weights = [ORGANIZER_WEIGHTS[k] for k in kinds]
    while len(chosen) < count:
        chosen.append(rng.choice(world.organizers[rng.choices(kinds, weights)[0]]))
    return chosen


def label_states(rng: random.Random, count: int) -> list[str]:
    states = [s for s, share in STATE_SHARES.items() for _ in range(max(1, round(count * share)))]
    states += [State.LABELLED] * (count - len(states))
    rng.shuffle(states)
    return states


def build_regular_events(
    rng: random.Random, count: int, now: dt.datetime, calendar: Calendar, world: World, slugs
) -> int:
    events: list[tuple[Event, Label, list]] = []
    audiences: list[EventAudience] = []
    event_sectors: list[tuple[int, list[int], list[int]]] = []
    for organizer, state in zip(
        pick_organizers(rng, world, count), label_states(rng, count), strict=True
    ):
        kinds = KINDS_BY_ORGANIZER[organizer.kind]
        kind = rng.choices(list(kinds), list(kinds.values()))[0]
        place = world.place_for(organizer)
        if place is None:
            kind = K.ONLINE_SESSION
        n_days = 1
        if kind == K.ORIENTATION_FAIR:
            n_days = rng.choice([1, 1, 2, 2, 3])
        elif kind == K.RECRUITMENT_FORUM:
            n_days = rng.choice([1, 1, 1, 2])
        # Only decided labels sit in the past: nobody submits an event that already happened.
        earliest = (
            calendar.days[0] if state == State.LABELLED else calendar.today + dt.timedelta(14)
        )
        day = calendar.pick(rng, kind, n_days, earliest)
        starts, ends = schedule(rng, kind, day, n_days)
        sector_ids = world.sectors_for(organizer)
        trade_ids = world.trades_for(sector_ids)
        commune_name = place.name if place else ""
        trade_names = [world.trade_titles[t] for t in trade_ids]
        words = {
            "org": organizer.name,
            "de": de(commune_name),
            "a": a(commune_name),
            "trade": trade_names[0] if trade_names else "les métiers de la production",
            "trades": ", ".join(trade_names).lower() or "production, maintenance et qualité",
            "sector": world.sector_names[sector_ids[0]].lower() if sector_ids else "industrie",
        }
        summary, description, titles = KIND_TEXTS[kind]
        if not trade_names or not place:
            titles = [t for t in titles if "{trade}" not in t and "{a}" not in t] or titles
        title = rng.choice(titles).format(**words)[:200]
        capacity = capacity_for(rng, kind)
        accepts_groups, max_group_size = groups_for(rng, kind, capacity)
        description = description.format(**words)
        if accepts_groups:
            description += " " + GROUPS_SENTENCE
        opens, closes = registration_window(rng, kind, starts, ends)
        # Refused events break a label condition: paid, or closed to the public.
        is_free = not (state == State.REFUSED and rng.random() < 0.5)
        is_online = kind == K.ONLINE_SESSION
        slug = slugs(title)
        event = Event(
            organization_id=organizer.id,
            kind=kind,
            title=title,
            slug=slug,
            summary=summary,
            description=description,
            starts_at=starts,
            ends_at=ends,
            is_online=is_online,
            online_url=f"https://visio.example.org/{slug}" if is_online else "",
            is_free=is_free,
            is_open_to_public=is_free or state != State.REFUSED,
            price_info="" if is_free else "Participation de 5 € (déjeuner compris).",
            capacity=capacity,
            registration_opens_at=opens,
            registration_closes_at=closes,
            accepts_groups=accepts_groups,
            max_group_size=max_group_size,
        )
        if not is_online:
            own_site = organizer.kind != "local_body" and kind in (
                K.COMPANY_VISIT,
                K.OPEN_DAY,
                K.WORKSHOP,
            )
            event.commune_id = place.commune_id
            event.department_id = place.department_id
            event.region_id = place.region_id
            event.postal_code = place.postal_code
            event.latitude, event.longitude = place.latitude, place.longitude
            event.venue_name = (
                organizer.name if own_site else f"{rng.choice(FAIR_VENUES)} {de(place.name)}"
            )[:200]
            event.address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
            event.access_info = VISIT_ACCESS if kind == K.COMPANY_VISIT else ""
            event.accessibility_info = ACCESSIBILITY if rng.random() < 0.7 else ""
        events.append((event, *label_for(rng, now, event, state)))
        pool = KIND_RULES[kind][4]
        picked = [pool[0]] + rng.sample(pool[1:], rng.randint(0, 2))
        audiences += [EventAudience(event=event, audience=x) for x in picked]
        event_sectors.append((len(events) - 1, sector_ids, trade_ids))
    Event.objects.bulk_create([e for e, _, _ in events], batch_size=BATCH)
    for row in audiences:
        row.event_id = row.event.pk
    EventAudience.objects.bulk_create(audiences, batch_size=BATCH)
    sector_rows, trade_rows = [], []
    for index, sector_ids, trade_ids in event_sectors:
        pk = events[index][0].pk
        sector_rows += [Event.sectors.through(event_id=pk, sector_id=s) for s in sector_ids]
        trade_rows += [Event.trades.through(event_id=pk, trade_id=t) for t in trade_ids]
    Event.sectors.through.objects.bulk_create(sector_rows, batch_size=BATCH)
    Event.trades.through.objects.bulk_create(trade_rows, batch_size=BATCH)
    save_labels(events)
    return len(events)


def label_for(rng: random.Random, now: dt.datetime, event: Event, state: str):
    """The label and its history as the label services would have left them.

    Returns (label, steps); a labelled event is published when its label was decided.
    """
    label = Label(state=state)
    steps: list[tuple[str, str, str, dt.datetime]] = []
    if state == State.SUBMITTED:
        # Spread over the last 10 days so the review queue shows real waiting times.
        label.submitted_at = now - dt.timedelta(minutes=rng.randint(30, 10 * 24 * 60))
        steps.append((State.DRAFT, State.SUBMITTED, "", label.submitted_at))
    elif state != State.DRAFT:
        before = min(now, event.starts_at)
        label.submitted_at = before - dt.timedelta(hours=rng.randint(5 * 24, 60 * 24))
        decided = label.submitted_at + dt.timedelta(hours=rng.randint(4, 96))
        label.decided_at = min(decided, before - dt.timedelta(hours=1))
        if state == State.CHANGES_REQUESTED:
            label.message = rng.choice(CHANGES_MESSAGES)
        elif state == State.REFUSED:
            label.message = REFUSED_CLOSED if event.is_free else REFUSED_PAID
        steps.append((State.DRAFT, State.SUBMITTED, "", label.submitted_at))
        steps.append((State.SUBMITTED, state, label.message, label.decided_at))
        if state == State.LABELLED:
            event.is_published, event.published_at = True, label.decided_at
    return label, steps


def save_labels(labelled: list[tuple[Event, Label, list]]) -> None:
    """Insert labels and transitions for events already saved."""
    for event, label, _ in labelled:
        label.event_id = event.pk
    Label.objects.bulk_create([label for _, label, _ in labelled], batch_size=BATCH)
    transitions = LabelTransition.objects.bulk_create(
        [
            LabelTransition(label_id=label.pk, from_state=old, to_state=new, message=message)
            for _, label, steps in labelled
            for old, new, message, _ in steps
        ],
        batch_size=BATCH,
    )
    if not transitions:
        return
    # auto_now_add stamped "now" on insert: date each step from its label, in two UPDATEs
    # (a bulk_update of every row would double the time of the large demo).
    created = LabelTransition.objects.filter(
        pk__gte=min(t.pk for t in transitions), pk__lte=max(t.pk for t in transitions)
    )
    label = Label.objects.filter(pk=OuterRef("label_id"))
    created.filter(to_state=State.SUBMITTED).update(
        created_at=Subquery(label.values("submitted_at")[:1])
    )
    created.exclude(to_state=State.SUBMITTED).update(
        created_at=Subquery(label.values("decided_at")[:1])
    )


# The previous flagship edition started this many days ago (in wave 2 of the demo campaign,
# vocations/campaigns/demo.py), so its outcome report has campaign figures.
LAST_EDITION_DAYS_AGO = 290


def build_events(rng: random.Random, scale: str) -> dict[str, int]:
    """Label periods, the scale's events across the map, and one flagship event."""
    now = timezone.now()
    periods = build_label_periods(now)
    world = World(rng)
    slugs = Slugs()
    count = build_regular_events(rng, SCALES[scale], now, Calendar(now, periods), world, slugs)
    from vocations.events.demo_flagship import build_flagship

    flagship = build_flagship(rng, now, periods, world, slugs)
    # The previous edition, over: the demo's outcome report (press, officials, social figures).
    last_year = build_flagship(
        rng,
        now,
        periods,
        world,
        slugs,
        first=timezone.localdate(now) - dt.timedelta(days=LAST_EDITION_DAYS_AGO),
        partners=flagship.pop("_partners"),
    )
    flagship["espaces"] += last_year["espaces"]
    flagship["séances"] += last_year["séances"]
    return {"événements": count + 2, **flagship, "périodes de labellisation": len(periods)}
