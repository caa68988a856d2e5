"""Demo registrations: individuals and school classes on labelled events, in bulk.

Seats never exceed capacity (the rest goes to the waiting list, in order), each event's
``seats_confirmed`` counter equals the sum of its confirmed seats, and past events carry
check-ins, so the organizer's outcome figures and the campaign reports have something to show.
The flagship gets school classes from many départements, like the 10,300 pupils from 55
départements of L'Usine extraordinaire.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

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
    number = (department_id or 0) % 1000 * 10_000 + rng.randrange(80)
    return f"{number:07d}{chr(65 + number % 26)}"


def _fill(
    rng: random.Random,
    event: Event,
    candidates: list[Registration],
    now: dt.datetime,
) -> tuple[list[Registration], int]:
    """Confirm candidates in order while they fit, waitlist the rest (in order): as the
    service does, nobody passes the first one who waits (docs/registration.md)."""
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
        else:
            waiting = True
            registration.status = Registration.Status.WAITLISTED
            registration.waitlisted_at = now + dt.timedelta(seconds=i)
        rows.append(registration)
    return rows, taken


def build_registrations(rng: random.Random, scale: str) -> dict[str, int]:
    now = timezone.now()
    departments = list(Department.objects.values_list("id", flat=True))
    events = list(
        Event.objects.filter(label__state=Label.State.LABELLED, capacity__isnull=False)
        .exclude(is_online=True)
        .only(
            "id",
            "kind",
            "capacity",
            "accepts_groups",
            "max_group_size",
            "department_id",
            "starts_at",
            "ends_at",
        )
    )
    rows: list[Registration] = []
    counters: list[Event] = []
    for event in events:
        candidates: list[Registration] = []
        if event.kind == Event.Kind.FLAGSHIP:
            # Classes from across France: 55 départements or so, like the real flagship.
            origins = rng.sample(departments, min(55, len(departments)))
            for n in range(FLAGSHIP_GROUPS[scale]):
                candidates.append(_group(rng, event, n, now, origins[n % len(origins)]))
        else:
            wanted = event.capacity * rng.uniform(0.3, 1.15)
            seats = 0
            for n in range(ROWS_PER_EVENT[scale]):
                if seats >= wanted:
                    break
                if event.accepts_groups and rng.random() < 0.45:
                    home = event.department_id if rng.random() < 0.8 else rng.choice(departments)
                    candidate = _group(rng, event, n, now, home)
                else:
                    candidate = _person(rng, event.pk, n, now)
                seats += candidate.seats
                candidates.append(candidate)
        chosen, taken = _fill(rng, event, candidates, now)
        rows.extend(chosen)
        event.seats_confirmed = taken
        # Seats a waiting group does not fit in yet are kept for it (the service's rule).
        waits = any(r.status == Registration.Status.WAITLISTED for r in chosen)
        event.seats_held = event.capacity - taken if waits else 0
        counters.append(event)
    assign_short_codes(rng, rows)
    Registration.objects.bulk_create(rows, batch_size=BATCH)
    Event.objects.bulk_update(counters, ["seats_confirmed", "seats_held"], batch_size=BATCH)
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
