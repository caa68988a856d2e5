"""Demo registrations: individuals and school classes on labelled events, in bulk.

Seats never exceed capacity; nobody waits while seats remain (a class too big for the seats
left goes elsewhere, and the waiting list starts once the event is full); nobody registered
before registration opened; each event's ``seats_confirmed`` counter equals the sum of its
confirmed seats, and past events carry check-ins, so the organizer's outcome figures and the
campaign reports have something to show. Classes come from their event's département or a
neighbouring one, never from a territory without schools; the flagship gets classes from
55 départements, most of them near Paris, like the 10,300 pupils of L'Usine extraordinaire.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F, Sum
from django.utils import timezone

from vocations.core.db import update_rows
from vocations.events.demo_tickets import assign_short_codes
from vocations.events.models import Event, Label, Registration
from vocations.territories.models import Department

ROWS_PER_EVENT = {"small": 60, "large": 8}
FLAGSHIP_GROUPS = {"small": 360, "large": 360}
BATCH = 2000

FIRST_NAMES = (
    "Léa Emma Chloé Inès Jade Louise Manon Camille Sarah Zoé Lucas Hugo Louis Gabriel Nathan "
    "Arthur Jules Adam Yanis Noah Mohamed Sofia Aya Lina Maël Théo Ethan Rayan Nina Clément"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre Mercier "
    "Dupont Lambert Bonnet Francois Martinez Benali Nguyen Traore"
).split()
SCHOOLS = (
    "Lycée professionnel Jean-Jaurès",
    "Collège Louise-Michel",
    "Lycée polyvalent Marie-Curie",
    "Collège Jules-Ferry",
    "Lycée des métiers de l'industrie",
    "CFA de l'industrie",
    "Collège Victor-Hugo",
    "Lycée technologique Gustave-Eiffel",
)
CLASS_LEVELS = ["4e", "3e", "3e", "2de", "1re", "tle", "cap", "bts"]
AUDIENCES = ["young_people", "young_people", "parents", "job_seekers", "career_changers", "other"]
AGE_FOR = {"young_people": "15_17", "parents": "26_plus", "job_seekers": "18_25"}


def _person(rng: random.Random, event_id: int, n: int, now: dt.datetime) -> Registration:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    audience = rng.choice(AUDIENCES)
    return Registration(
        kind=Registration.Kind.INDIVIDUAL,
        seats=1,
        email=f"{first.lower()}.{last.lower()}.{event_id}.{n}@example.org",
        first_name=first,
        last_name=last,
        audience=audience,
        age_bracket=AGE_FOR.get(audience, ""),
        consent_at=now,
    )


def _group(
    rng: random.Random, event: Event, n: int, now: dt.datetime, department_id: int | None
) -> Registration:
    largest = event.max_group_size or 35
    adults = rng.randint(1, 3)
    pupils = max(1, min(rng.randint(14, 30), largest - adults))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Registration(
        kind=Registration.Kind.GROUP,
        seats=pupils + adults,
        pupils=pupils,
        adults=adults,
        email=f"prof.{last.lower()}.{event.pk}.{n}@example.org",
        first_name=first,
        last_name=last,
        audience=Registration.Audience.ADVISERS,
        school_name=rng.choice(SCHOOLS),
        # About 80 schools per département: classes of one school come together sometimes.
        uai=_uai(rng, department_id),
        class_level=rng.choice(CLASS_LEVELS),
        origin_department_id=department_id,
        consent_at=now,
    )


def _uai(rng: random.Random, department_id: int | None) -> str:
    """A school number shaped like a real UAI: the département on three digits (Corsica's
    620 and 720, overseas 971…), four digits, a letter; about 80 schools per département."""
    code = SCHOOL_DEPARTMENTS.codes.get(department_id, "000")
    code = {"2A": "620", "2B": "720"}.get(code, code.zfill(3))
    number = rng.randrange(80)
    return f"{code}{number:04d}{chr(65 + (int(code) + number) % 26)}"


# Below this population a territory has (almost) no secondary school of its own: no class
# comes "from" Clipperton, the Antarctic lands, Saint-Pierre-et-Miquelon or Saint-Barthélemy.
MIN_SCHOOL_POPULATION = 20_000
# Share of the flagship's classes that come from Île-de-France (the event is in Paris).
FLAGSHIP_LOCAL_SHARE = 0.45


class SchoolDepartments:
    """Where classes come from: départements with a school population, their région, and
    their population (bigger départements send more classes)."""

    def __init__(self) -> None:
        self.codes: dict[int, str] = {}
        self.region: dict[int, int] = {}
        self.population: dict[int, int] = {}

    def load(self) -> None:
        # Read afresh at every build: ids from another database (or test) must not linger.
        self.codes.clear()
        self.region.clear()
        self.population.clear()
        rows = Department.objects.annotate(people=Sum("communes__population"))
        for department in rows.values("id", "code", "region_id", "people"):
            if (department["people"] or 0) < MIN_SCHOOL_POPULATION:
                continue
            self.codes[department["id"]] = department["code"]
            self.region[department["id"]] = department["region_id"]
            self.population[department["id"]] = department["people"] or 0

    def near(self, rng: random.Random, department_id: int | None) -> int | None:
        """Where a class at an event in ``department_id`` comes from: mostly that
        département, sometimes another of its région (bigger ones more often); None where
        there are no classes to come (the event then gets individuals only)."""
        if department_id not in self.codes:
            return None
        region = self.region[department_id]
        around = [d for d, r in self.region.items() if r == region and d != department_id]
        if not around or rng.random() < 0.8:
            return department_id
        weights = [self.population[d] + 1 for d in around]
        return rng.choices(around, weights)[0]

    def flagship_origins(self, rng: random.Random, department_id: int | None, count: int):
        """``count`` départements for the flagship: the host région's, then others of
        metropolitan France (a class comes by train or coach for the day) drawn by population."""
        host_region = self.region.get(department_id)
        local = sorted(d for d, r in self.region.items() if r == host_region)
        others = [d for d, code in self.codes.items() if d not in local and len(code) == 2]
        chosen: list[int] = []
        while others and len(local) + len(chosen) < count:
            weights = [self.population[d] + 1 for d in others]
            pick = rng.choices(others, weights)[0]
            chosen.append(pick)
            others.remove(pick)
        return local, chosen


SCHOOL_DEPARTMENTS = SchoolDepartments()


def _fill(
    rng: random.Random,
    event: Event,
    candidates: list[Registration],
    now: dt.datetime,
) -> tuple[list[Registration], int]:
    """Confirm candidates in order while they fit. A class bigger than the seats left goes
    elsewhere (dropped) while seats remain; once the event is full, the rest wait in order."""
    taken, rows, waiting = 0, [], False
    for i, registration in enumerate(candidates):
        registration.event = event
        registration.scope = 0
        if not waiting and taken + registration.seats <= event.capacity:
            registration.status = Registration.Status.CONFIRMED
            taken += registration.seats
            if event.ends_at < now:
                # Past event: most came; a class sometimes with a few pupils missing.
                registration.checked_in_at = event.starts_at + dt.timedelta(
                    minutes=rng.randint(0, 40)
                )
                if registration.kind == Registration.Kind.GROUP:
                    registration.attended = max(1, registration.seats - rng.randint(0, 3))
                elif rng.random() < 0.82:
                    registration.attended = 1
                else:
                    registration.checked_in_at = None
        elif taken < event.capacity:
            continue
        else:
            waiting = True
            registration.status = Registration.Status.WAITLISTED
            registration.waitlisted_at = now + dt.timedelta(seconds=i)
        rows.append(registration)
    return rows, taken


def _registered_at(rng: random.Random, event: Event, now: dt.datetime) -> dt.datetime:
    """When someone registered: after registration opened, before it closed and before now."""
    end = min(x for x in (now, event.registration_closes_at, event.starts_at) if x is not None)
    start = event.registration_opens_at or (event.starts_at - dt.timedelta(days=45))
    start = min(start, end)
    return start + (end - start) * rng.random()


def build_registrations(
    rng: random.Random, scale: str, *, fill: dict[int, float] | None = None
) -> dict[str, int]:
    """Registrations on labelled events with a capacity. ``fill``: event id → share of the
    capacity asked for, for the events the demo organizer shows (vocations/setup/demo.py)."""
    now = timezone.now()
    fill = fill or {}
    SCHOOL_DEPARTMENTS.load()
    events = list(
        Event.objects.filter(label__state=Label.State.LABELLED, capacity__isnull=False)
        .exclude(is_online=True)
        # Nobody registers before registration opens.
        .exclude(registration_opens_at__gt=now)
        .only(
            "id",
            "kind",
            "capacity",
            "accepts_groups",
            "max_group_size",
            "department_id",
            "starts_at",
            "ends_at",
            "registration_opens_at",
            "registration_closes_at",
        )
        .order_by("id")
    )
    rows: list[Registration] = []
    counters: list[Event] = []
    for event in events:
        candidates: list[Registration] = []
        if event.kind == Event.Kind.FLAGSHIP:
            local, others = SCHOOL_DEPARTMENTS.flagship_origins(rng, event.department_id, 55)
            for n in range(FLAGSHIP_GROUPS[scale]):
                if local and (rng.random() < FLAGSHIP_LOCAL_SHARE or not others):
                    home = rng.choice(local)
                else:
                    home = others[n % len(others)]
                candidates.append(_group(rng, event, n, now, home))
        else:
            wanted = event.capacity * fill.get(event.pk, rng.uniform(0.3, 1.15))
            seats = 0
            for n in range(max(ROWS_PER_EVENT[scale], int(wanted) + 1)):
                if seats >= wanted:
                    break
                home = None
                if event.accepts_groups and rng.random() < 0.45:
                    home = SCHOOL_DEPARTMENTS.near(rng, event.department_id)
                if home is not None:
                    candidate = _group(rng, event, n, now, home)
                else:
                    candidate = _person(rng, event.pk, n, now)
                seats += candidate.seats
                candidates.append(candidate)
        for candidate in candidates:
            candidate.consent_at = _registered_at(rng, event, now)
        candidates.sort(key=lambda r: r.consent_at)
        chosen, taken = _fill(rng, event, candidates, now)
        for registration in chosen:
            if registration.waitlisted_at is not None:
                registration.waitlisted_at = registration.consent_at
        rows.extend(chosen)
        event.seats_confirmed = taken
        # Seats a waiting group does not fit in yet are kept for it (the service's rule).
        waits = any(r.status == Registration.Status.WAITLISTED for r in chosen)
        event.seats_held = event.capacity - taken if waits else 0
        counters.append(event)
    assign_short_codes(rng, rows)
    Registration.objects.bulk_create(rows, batch_size=BATCH)
    # created_at follows the registration time (auto_now_add wrote the build time): one UPDATE
    # (a bulk_update of every row built a CASE of thousands of branches per batch).
    Registration.objects.filter(
        event_id__in={r.event_id for r in rows}, consent_at__isnull=False
    ).update(created_at=F("consent_at"))
    update_rows(
        Event,
        ["seats_confirmed", "seats_held"],
        [(e.pk, e.seats_confirmed, e.seats_held) for e in counters],
    )
    return {"inscriptions": len(rows)}


def build_waitlist_offer(company) -> dict[str, int]:
    """One upcoming event of the demo organizer answers its waiting list by offers (48 h),
    with an offer pending: a person cancelled this morning, the next in line has until the
    day after tomorrow to confirm (shown in the back-office registrations list)."""
    from vocations.events.registration_selectors import waitlist

    if company is None:
        return {}
    now = timezone.now()
    events = (
        Event.objects.filter(
            organization=company,
            is_published=True,
            capacity__isnull=False,
            starts_at__gt=now + dt.timedelta(days=4),
        )
        .exclude(kind=Event.Kind.FLAGSHIP)
        .order_by("starts_at", "id")
    )
    Status = Registration.Status
    for event in events:
        if event.waitlist_offer_hours:
            return {}  # already there (a re-run)
        head = waitlist(event).first()
        freed = (
            Registration.objects.filter(
                event=event, scope=0, status=Status.CONFIRMED, kind=Registration.Kind.INDIVIDUAL
            )
            .order_by("-id")
            .first()
        )
        if head is None or head.kind != Registration.Kind.INDIVIDUAL or freed is None:
            continue
        offered_at = now - dt.timedelta(hours=5)
        freed.status, freed.cancelled_at = Status.CANCELLED, offered_at
        freed.save(update_fields=["status", "cancelled_at"])
        head.offered_at = offered_at
        head.offer_expires_at = offered_at + dt.timedelta(hours=48)
        head.save(update_fields=["offered_at", "offer_expires_at"])
        event.waitlist_offer_hours = 48
        event.seats_confirmed -= 1
        # The offered seat is held; nobody behind the offer passes it.
        event.seats_held = event.capacity - event.seats_confirmed
        event.save(update_fields=["waitlist_offer_hours", "seats_confirmed", "seats_held"])
        return {"place proposée en attente de réponse": 1}
    return {}
