"""Reads on events. Every list the site, back-office or API shows is built here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from vocations.accounts.permissions import scope_queryset
from vocations.events.models import Event, EventPartner, Label, Session, Space, Universe
from vocations.events.working_days import working_days_between


def seats_taken(event: Event) -> int:
    """Seats held by confirmed event-level registrations (sessions count their own).

    Read from the counter the registration services keep under the Event row lock
    (vocations.events.services.registrations), so no aggregate is needed.
    """
    return event.seats_confirmed


def annotate_seats_taken(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken_count`` on each event: the one place the finder, the event page
    and the API learn how many seats are gone.

    Same source as ``seats_taken``: the ``seats_confirmed`` counter the registration services
    keep under the row lock, so "places left" filters and labels change together everywhere.
    """
    return queryset.annotate(seats_taken_count=F("seats_confirmed"))


def with_places_left(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Only events with no limit or at least one seat left (needs annotate_seats_taken)."""
    return queryset.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("seats_taken_count")))


def seats_left(event: Event, session: Session | None = None) -> int | None:
    """Seats still free in the event (or one of its sessions); None when there is no limit.

    The one function that says it, for the finder, the event page, the registration pages and
    the API: read from the counter the registration services keep under the row lock (or its
    ``seats_taken_count`` annotation, the same column), so no aggregate is needed.
    """
    row = session if session is not None else event
    if row.capacity is None:
        return None
    taken = getattr(row, "seats_taken_count", None)
    if taken is None:
        taken = row.seats_confirmed
    return max(row.capacity - taken, 0)


def public_events() -> QuerySet[Event]:
    """Events anyone may see: labelled under the campaign banner and published."""
    return Event.objects.filter(is_published=True, label__state=Label.State.LABELLED)


def public_event_detail(slug: str) -> Event | None:
    return (
        public_events()
        .select_related("organization", "commune", "department", "region", "label")
        .prefetch_related(
            "audience_rows",
            "sectors",
            "trades",
            Prefetch("event_partners", queryset=EventPartner.objects.select_related("partner")),
            Prefetch(
                "universes",
                queryset=Universe.objects.prefetch_related(
                    Prefetch(
                        "spaces",
                        queryset=Space.objects.select_related("partner").prefetch_related("trades"),
                    )
                ),
            ),
            Prefetch("sessions", queryset=Session.objects.select_related("space")),
        )
        .filter(slug=slug)
        .first()
    )


def events_for_user(user, *, action: str = "view") -> QuerySet[Event]:
    """The events of the organizations this user may see (or change)."""
    return scope_queryset(user, Event.objects.all(), action=action).select_related(
        "organization", "commune", "department", "label"
    )


def event_for_user(user, pk: int, *, action: str = "view") -> Event | None:
    return events_for_user(user, action=action).filter(pk=pk).first()


def review_queue(
    *,
    region_code: str | None = None,
    kind: str | None = None,
    min_waiting_days: int | None = None,
    now: dt.datetime | None = None,
) -> list[tuple[Event, int]]:
    """Submitted events, oldest wait first, with the working days each has waited."""
    queryset = (
        Event.objects.filter(label__state=Label.State.SUBMITTED)
        .select_related("organization", "commune", "department", "region", "label")
        .order_by("label__submitted_at", "id")
    )
    if region_code:
        queryset = queryset.filter(region__code=region_code)
    if kind:
        queryset = queryset.filter(kind=kind)
    today = timezone.localdate(now or timezone.now())
    rows = []
    for event in queryset:
        waited = working_days_between(timezone.localdate(event.label.submitted_at), today)
        if min_waiting_days is None or waited >= min_waiting_days:
            rows.append((event, waited))
    return rows


def activity_by_department() -> dict[int, dict[str, int]]:
    """Département id -> public (labelled, published) events, seats offered, confirmed
    registrations (seats) and people present, over all dates. One query, over the roll-up
    (EventActivity, kept in step by vocations/events/activity.py): equal to
    :func:`activity_by_department_live`, which counts the live rows."""
    from .activity import activity_totals

    return {row.pop("department_id"): row for row in (dict(r) for r in activity_totals())}


def activity_by_department_live() -> dict[int, dict[str, int]]:
    """The same figures counted from the live tables (two queries): the roll-up's reference.

    Seats offered count only events with a capacity; registrations and attendance count the
    events' own département (not where the registrants come from).
    """
    from .models import Registration

    result: dict[int, dict[str, int]] = {}
    for row in (
        public_events()
        .filter(department__isnull=False)
        .values("department_id")
        .annotate(events=Count("pk"), seats=Coalesce(Sum("capacity"), 0))
    ):
        department = row.pop("department_id")
        result[department] = {**row, "registrations": 0, "attendance": 0}
    for row in (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__in=public_events().filter(department__isnull=False),
        )
        .values(department_id=F("event__department_id"))
        .annotate(registrations=Coalesce(Sum("seats"), 0), attendance=Coalesce(Sum("attended"), 0))
    ):
        entry = result.setdefault(
            row["department_id"], {"events": 0, "seats": 0, "registrations": 0, "attendance": 0}
        )
        entry["registrations"] = row["registrations"]
        entry["attendance"] = row["attendance"]
    return result
