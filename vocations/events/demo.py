"""Demo events, generated in bulk from a seeded random generator.

Same reasons as vocations/accounts/demo.py: `bulk_create` so that `--scale large` reaches
benchmark sizes, and only rows the services would accept (tests/test_demo.py runs a sample
through the event service's validation). Runs once per (scale, seed), inside the demo_data
command's transaction, after the organizations exist.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django.utils.text import slugify

from vocations.events.demo_flagship import build_flagship
from vocations.events.demo_world import (
    ACCESSIBILITY,
    BATCH,
    KINDS_BY_ORGANIZER,
    STREETS,
    K,
    Organizer,
    State,
    World,
    _table,
    a,
    at,
    de,
    in_periods,
    label_for,
    save_labels,
)
from vocations.events.models import (
    Event,
    EventAudience,
    Label,
    LabelPeriod,
)

SCALES = {"small": 400, "large": 30_000}

# Share of the label states (the rest is labelled and published).
STATE_SHARES = {State.SUBMITTED: 0.07, State.DRAFT: 0.03, State.CHANGES_REQUESTED: 0.03}
STATE_SHARES[State.REFUSED] = 0.02
ORGANIZER_WEIGHTS = {"company": 70, "school": 20, "local_body": 10}
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
FAIR_VENUES = ["Parc des expositions", "Halle des sports", "Centre des congrès", "Espace culturel"]
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
