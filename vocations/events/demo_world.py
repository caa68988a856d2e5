"""What every demo event is built from: the organizers and places (World), label states and
their history, shared texts. Used by the regular events (vocations.events.demo) and the flagship
(vocations.events.demo_flagship), which do not import each other's internals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.careers.models import Sector, Trade
from vocations.events.models import Event, Label, LabelPeriod, LabelTransition
from vocations.territories.models import PostalCode, Region

BATCH = 2000
State = Label.State
K = Event.Kind


def _table(text: str) -> list[list[str]]:
    """Rows of a "a | b | c" text table (keeps long lists of French texts readable)."""
    # Cells are whitespace-normalized, so a "\\" line continuation may wrap a long cell.
    return [[" ".join(c.split()) for c in line.split("|")] for line in text.strip().splitlines()]


# Which kinds each kind of organizer runs, with weights.
KINDS_BY_ORGANIZER = {
    "company": {"company_visit": 45, "open_day": 28, "workshop": 9, "recruitment_forum": 7},
    "school": {"open_day": 40, "orientation_fair": 25, "workshop": 15, "conference": 12},
    "local_body": {"orientation_fair": 35, "recruitment_forum": 40, "conference": 15},
}
KINDS_BY_ORGANIZER["company"] |= {"conference": 4, "online_session": 7}
KINDS_BY_ORGANIZER["school"] |= {"online_session": 8}
KINDS_BY_ORGANIZER["local_body"] |= {"online_session": 10}
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
