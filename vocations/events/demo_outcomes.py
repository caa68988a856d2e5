"""The previous flagship edition's outcome, for the demo's outcome report: visitors who came
without a class, the invitation-only dinner's guests, accredited journalists, press coverage
and officials — in the proportions of l'Usine extraordinaire (40,500 visitors, 700 at the
dinner, 180 journalists, 500+ articles, 13 ministers), scaled to the demo's groups.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from vocations.events.models import (
    Event,
    EventOutcomeFacts,
    MediaArticle,
    PressAccreditation,
    Registration,
    Session,
    SessionInvitation,
)

VISITORS = {"small": 3000, "large": 12000}
DINNER_INVITED, DINNER_CONFIRMED = 700, 640
JOURNALISTS = 180
OUTLETS = [
    ("Le Parisien", 2_300_000), ("Les Échos", 750_000), ("L'Usine Nouvelle", 420_000),
    ("Ouest-France", 2_400_000), ("France Info", 4_500_000), ("France 3 Régions", 3_000_000),
    ("BFM Business", 1_200_000), ("Le Figaro", 1_800_000), ("20 Minutes", 3_900_000),
    ("La Tribune", 500_000), ("Industrie & Technologies", 80_000), ("Sud Ouest", 850_000),
    ("La Voix du Nord", 900_000), ("Le Progrès", 700_000), ("L'Étudiant", 1_100_000),
    ("Onisep", None), ("RTL", 5_800_000), ("France Bleu", 3_500_000),
]  # fmt: skip
ARTICLES = 64
TITLES = [
    "L'usine s'installe sous la nef",
    "Quatre jours pour changer de regard sur l'industrie",
    "Des milliers de collégiens découvrent les métiers de l'industrie",
    "Souder, piloter, coder : l'industrie ouvre ses portes au grand public",
    "Les industriels misent sur les jeunes",
    "Reportage : une journée à l'Usine en grand",
]


def previous_flagship(now: dt.datetime | None = None) -> Event | None:
    now = now or timezone.now()
    return (
        Event.objects.filter(kind=Event.Kind.FLAGSHIP, ends_at__lt=now)
        .order_by("-starts_at")
        .first()
    )


def build_outcomes(rng: random.Random, scale: str) -> dict[str, int]:
    event = previous_flagship()
    if event is None or event.media_articles.exists():
        return {}
    visitors = _visitors(rng, event, VISITORS.get(scale, VISITORS["small"]))
    visitors += _sessions(rng, event)
    guests = _dinner(rng, event)
    PressAccreditation.objects.bulk_create(
        PressAccreditation(
            event=event,
            full_name=f"Journaliste {n + 1}",
            email=f"presse{n + 1}@media.example.org",
            outlet=OUTLETS[n % len(OUTLETS)][0],
            role="Journaliste",
            status=PressAccreditation.Status.ACCEPTED,
            decided_at=event.starts_at - dt.timedelta(days=rng.randint(2, 20)),
        )
        for n in range(JOURNALISTS)
    )
    first = event.starts_at.date()
    MediaArticle.objects.bulk_create(
        MediaArticle(
            event=event,
            outlet=outlet,
            published_on=first + dt.timedelta(days=rng.randint(-20, 14)),
            title=rng.choice(TITLES),
            url=f"https://media.example.org/{n + 1}",
            reach=reach,
        )
        for n, (outlet, reach) in enumerate(OUTLETS[i % len(OUTLETS)] for i in range(ARTICLES))
    )
    EventOutcomeFacts.objects.create(
        event=event, vip_count=13, vip_note="ministres, dont le ministre chargé de l'industrie"
    )
    return {
        "visiteurs de l'édition précédente": visitors,
        "invités du dîner": guests,
        "journalistes accrédités": JOURNALISTS,
        "retombées presse": ARTICLES,
    }


def _visitors(rng: random.Random, event: Event, count: int) -> int:
    """Individual visitors registered to the event itself, most of them present."""
    audiences = ["young_people", "parents", "job_seekers", "career_changers", "other"]
    rows = []
    for n in range(count):
        present = rng.random() < 0.86
        rows.append(
            Registration(
                event=event,
                scope=0,
                kind=Registration.Kind.INDIVIDUAL,
                status=Registration.Status.CONFIRMED,
                seats=1,
                email=f"visiteur.{event.pk}.{n}@example.org",
                first_name="Visiteur",
                last_name=str(n + 1),
                audience=rng.choice(audiences),
                consent_at=event.starts_at - dt.timedelta(days=rng.randint(1, 40)),
                attended=1 if present else None,
                checked_in_at=event.starts_at + dt.timedelta(hours=rng.randint(0, 80))
                if present
                else None,
            )
        )
    Registration.objects.bulk_create(rows, batch_size=2000)
    Event.objects.filter(pk=event.pk).update(seats_confirmed=F("seats_confirmed") + count)
    return count


def _sessions(rng: random.Random, event: Event) -> int:
    """Visitors who booked a talk or a demonstration, most of them present."""
    sessions = Session.objects.filter(
        event=event, invitation_only=False, school_groups_only=False, capacity__isnull=False
    )
    rows, counts = [], {}
    for session in sessions:
        taken = rng.randint(session.capacity * 6 // 10, session.capacity)
        counts[session.pk] = taken
        for n in range(taken):
            present = rng.random() < 0.8
            rows.append(
                Registration(
                    event=event,
                    session=session,
                    scope=session.pk,
                    kind=Registration.Kind.INDIVIDUAL,
                    status=Registration.Status.CONFIRMED,
                    seats=1,
                    email=f"seance.{session.pk}.{n}@example.org",
                    first_name="Visiteur",
                    last_name=f"{session.pk}-{n + 1}",
                    audience=session.audience
                    if session.audience in Registration.Audience.values
                    else "other",
                    consent_at=session.starts_at - dt.timedelta(days=rng.randint(1, 30)),
                    attended=1 if present else None,
                    checked_in_at=session.starts_at if present else None,
                )
            )
    Registration.objects.bulk_create(rows, batch_size=2000)
    for pk, taken in counts.items():
        Session.objects.filter(pk=pk).update(seats_confirmed=taken)
    Event.objects.filter(pk=event.pk).update(seats_confirmed=F("seats_confirmed") + len(rows))
    return len(rows)


def _dinner(rng: random.Random, event: Event) -> int:
    dinner = Session.objects.filter(event=event, invitation_only=True).first()
    if dinner is None:
        return 0
    SessionInvitation.objects.filter(session=dinner).delete()
    emails = [f"invite{n + 1}@industrie.example.org" for n in range(DINNER_INVITED)]
    SessionInvitation.objects.bulk_create(
        SessionInvitation(session=dinner, email=email) for email in emails
    )
    rows = []
    for n, email in enumerate(emails[:DINNER_CONFIRMED]):
        present = rng.random() < 0.93
        rows.append(
            Registration(
                event=event,
                session=dinner,
                scope=dinner.pk,
                kind=Registration.Kind.INDIVIDUAL,
                status=Registration.Status.CONFIRMED,
                seats=1,
                email=email,
                first_name="Invité",
                last_name=str(n + 1),
                audience="other",
                consent_at=dinner.starts_at - dt.timedelta(days=10),
                attended=1 if present else None,
                checked_in_at=dinner.starts_at if present else None,
            )
        )
    Registration.objects.bulk_create(rows)
    Session.objects.filter(pk=dinner.pk).update(seats_confirmed=len(rows))
    Event.objects.filter(pk=event.pk).update(seats_confirmed=F("seats_confirmed") + len(rows))
    return len(rows)
