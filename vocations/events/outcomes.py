"""Outcome figures of an event, per event and per session (the organizer's "Bilan").

Definitions (docs/checkin.md):

- registered: people expected, i.e. the seats of confirmed registrations (a group = pupils +
  adults); registrations: how many confirmed registrations hold them;
- groups, pupils, adults: confirmed school groups, their pupils and accompanying adults;
- attended: people counted present at check-in (``Registration.attended``);
- no-show rate: 1 − attended ÷ registered, only once the event (or the session) has ended:
  None before, since the door is still open;
- départements of origin: confirmed groups and their pupils by the group's département;
- audiences: confirmed individual registrations by the audience the person stated.

Four queries whatever the number of registrations: pools, sessions, départements, audiences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from vocations.events.models import Event, Registration, Session

Status = Registration.Status
Kind = Registration.Kind


@dataclass(frozen=True)
class PoolOutcome:
    """The figures of one pool (the event itself, one session) or of the whole event."""

    label: str
    session: Session | None = None
    ended: bool = False
    registrations: int = 0
    registered: int = 0
    individuals: int = 0
    groups: int = 0
    pupils: int = 0
    adults: int = 0
    checked_in: int = 0
    attended: int = 0
    waitlisted: int = 0
    waitlisted_seats: int = 0
    cancelled: int = 0

    @property
    def no_show_rate(self) -> float | None:
        if not self.ended or not self.registered:
            return None
        return max(0.0, 1 - self.attended / self.registered)


@dataclass(frozen=True)
class DepartmentOutcome:
    code: str
    name: str
    groups: int
    pupils: int
    attended: int


@dataclass(frozen=True)
class AudienceOutcome:
    code: str
    label: str
    individuals: int
    attended: int


@dataclass(frozen=True)
class EventOutcomes:
    event: Event
    total: PoolOutcome
    # The event-level pool (when the event has sessions and registrations of its own) then
    # each session in time order.
    pools: list[PoolOutcome] = field(default_factory=list)
    departments: list[DepartmentOutcome] = field(default_factory=list)
    audiences: list[AudienceOutcome] = field(default_factory=list)


FIGURES = {
    "registrations": Count("id", filter=Q(status=Status.CONFIRMED)),
    "registered": Sum("seats", filter=Q(status=Status.CONFIRMED), default=0),
    "individuals": Count("id", filter=Q(status=Status.CONFIRMED, kind=Kind.INDIVIDUAL)),
    "groups": Count("id", filter=Q(status=Status.CONFIRMED, kind=Kind.GROUP)),
    "pupils": Sum("pupils", filter=Q(status=Status.CONFIRMED, kind=Kind.GROUP), default=0),
    "adults": Sum("adults", filter=Q(status=Status.CONFIRMED, kind=Kind.GROUP), default=0),
    "checked_in": Count("id", filter=Q(status=Status.CONFIRMED, checked_in_at__isnull=False)),
    "attended": Sum("attended", filter=Q(status=Status.CONFIRMED), default=0),
    "waitlisted": Count("id", filter=Q(status=Status.WAITLISTED)),
    "waitlisted_seats": Sum("seats", filter=Q(status=Status.WAITLISTED), default=0),
    "cancelled": Count("id", filter=Q(status=Status.CANCELLED)),
}
FIGURE_NAMES = tuple(FIGURES)


def event_outcomes(event: Event, *, now: dt.datetime | None = None) -> EventOutcomes:
    """Every outcome figure of ``event``, for the whole event and per pool."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(event=event)
    by_scope = {
        row["scope"]: row for row in registrations.values("scope").order_by().annotate(**FIGURES)
    }
    sessions = list(Session.objects.filter(event=event).order_by("starts_at", "id"))

    def pool(label: str, row: dict | None, *, session=None, ended: bool) -> PoolOutcome:
        values = {name: (row or {}).get(name) or 0 for name in FIGURE_NAMES}
        return PoolOutcome(label=label, session=session, ended=ended, **values)

    event_ended = event.ends_at <= now
    pools: list[PoolOutcome] = []
    if not sessions or 0 in by_scope:
        pools.append(pool("Événement (hors séances)", by_scope.get(0), ended=event_ended))
    for session in sessions:
        pools.append(
            pool(
                session.title,
                by_scope.get(session.pk),
                session=session,
                ended=session.ends_at <= now,
            )
        )
    totals = {name: sum((row.get(name) or 0) for row in by_scope.values()) for name in FIGURES}
    total = PoolOutcome(label="Tout l'événement", ended=event_ended, **totals)

    departments = [
        DepartmentOutcome(
            code=row["origin_department__code"] or "",
            name=row["origin_department__name"] or "Non indiqué",
            groups=row["groups"],
            pupils=row["pupils"] or 0,
            attended=row["attended"] or 0,
        )
        for row in registrations.filter(status=Status.CONFIRMED, kind=Kind.GROUP)
        .values("origin_department__code", "origin_department__name")
        .order_by()
        .annotate(groups=Count("id"), pupils=Sum("pupils"), attended=Sum("attended"))
    ]
    departments.sort(key=lambda d: (-d.pupils, -d.groups, d.code))

    labels = dict(Registration.Audience.choices)
    audiences = [
        AudienceOutcome(
            code=row["audience"],
            label=labels.get(row["audience"], "Non indiqué"),
            individuals=row["individuals"],
            attended=row["attended"] or 0,
        )
        for row in registrations.filter(status=Status.CONFIRMED, kind=Kind.INDIVIDUAL)
        .values("audience")
        .order_by()
        .annotate(individuals=Count("id"), attended=Sum("attended"))
    ]
    audiences.sort(key=lambda a: (-a.individuals, a.code))
    return EventOutcomes(
        event=event, total=total, pools=pools, departments=departments, audiences=audiences
    )


@dataclass(frozen=True)
class CheckInCounts:
    arrived: int  # people counted present
    expected: int  # confirmed seats
    checked_in: int  # registrations scanned
    confirmed: int  # confirmed registrations


def checkin_counts(event: Event) -> CheckInCounts:
    """The check-in page's counters, in one query."""
    row = Registration.objects.filter(event=event, status=Status.CONFIRMED).aggregate(
        arrived=Sum("attended", default=0),
        expected=Sum("seats", default=0),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        confirmed=Count("id"),
    )
    return CheckInCounts(**row)
