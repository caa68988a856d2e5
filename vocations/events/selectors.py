"""Reads on events. Every list the site, back-office or API shows is built here."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from vocations.accounts.permissions import scope_queryset
from vocations.events.models import (
    Event,
    EventPartner,
    Label,
    MediaArticle,
    PressAccreditation,
    Registration,
    Session,
    Space,
    Universe,
)
from vocations.events.working_days import working_days_between


def seats_taken(event: Event, session: Session | None = None) -> int:
    """Seats promised in the event's own pool (or a session's): confirmed, plus the seats of
    pending waiting-list offers — the floor below which the capacity cannot go.

    Read from the counter the registration services keep under the row lock
    (vocations.events.services.registrations); offers cost a query only when seats are held.
    """
    row = session if session is not None else event
    taken = row.seats_confirmed
    if row.seats_held:
        taken += (
            Registration.objects.filter(
                event=event,
                scope=session.pk if session is not None else 0,
                status=Registration.Status.WAITLISTED,
                offer_expires_at__isnull=False,
            ).aggregate(s=Sum("seats"))["s"]
            or 0
        )
    return taken


def annotate_seats_taken(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken_count`` on each event: the one place the finder, the event page
    and the API learn how many seats are gone.

    Same source as ``seats_taken``: the ``seats_confirmed`` counter the registration services
    keep under the row lock, so "places left" filters and labels change together everywhere.
    """
    return queryset.annotate(seats_taken_count=F("seats_confirmed") + F("seats_held"))


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
        # Held seats (offers, a group at the head of the waiting list) are not free either.
        taken = row.seats_confirmed + row.seats_held
    return max(row.capacity - taken, 0)


def public_events() -> QuerySet[Event]:
    """Events anyone may see: labelled under the campaign banner and published."""
    return Event.objects.filter(is_published=True, label__state=Label.State.LABELLED)


def public_event_detail(slug: str) -> Event | None:
    """The public event page: the event with what it shows, in 5 queries for an ordinary event
    (event with its places and label, audiences, sectors, trades, partners); a flagship adds
    its programme (universes, spaces and their trades, sessions). ``has_open_group_sessions``
    tells an ordinary event's page whether to offer class registration without loading its
    sessions."""
    event = (
        public_events()
        .select_related("organization", "commune", "department", "region", "label")
        .annotate(
            has_open_group_sessions=Exists(
                Session.objects.filter(
                    event=OuterRef("pk"), school_groups_only=True, ends_at__gt=timezone.now()
                )
            )
        )
        .filter(slug=slug)
        .first()
    )
    if event is None:
        return None
    lookups: list = [
        "audience_rows",
        "sectors",
        "trades",
        Prefetch("event_partners", queryset=EventPartner.objects.select_related("partner")),
    ]
    if event.kind == Event.Kind.FLAGSHIP:
        lookups += [
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
        ]
    prefetch_related_objects([event], *lookups)
    return event


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


def organization_events(organization) -> QuerySet[Event]:
    """An organization's events, drafts included (the token API), by start date."""
    return Event.objects.filter(organization=organization).order_by("starts_at", "id")


def organization_registrations(organization) -> QuerySet[Registration]:
    """Registrations to an organization's events (the token API), oldest first."""
    return Registration.objects.filter(event__organization=organization).order_by(
        "created_at", "id"
    )


# --- one object inside an event (the permission gate's nested lookups) ---------------------
# The event was found in the user's scope first: an object of another event is "not found".


def press_request_for_event(event: Event, pk: int) -> PressAccreditation | None:
    return PressAccreditation.objects.filter(event=event, pk=pk).first()


def partner_for_event(event: Event, pk: int) -> EventPartner | None:
    return EventPartner.objects.filter(event=event, pk=pk).select_related("partner").first()


def session_for_event(event: Event, pk: int) -> Session | None:
    return Session.objects.filter(event=event, pk=pk).first()


def media_article_for_event(event: Event, pk: int) -> MediaArticle | None:
    return MediaArticle.objects.filter(event=event, pk=pk).first()


# A programme item by the URL's kind: (model, field path from the item to its event).
PROGRAMME_KINDS: dict[str, tuple[type, str]] = {
    "univers": (Universe, "event"),
    "espaces": (Space, "universe__event"),
    "seances": (Session, "event"),
}


def programme_item_for_event(event: Event, kind: str, pk: int) -> Universe | Space | Session | None:
    if kind not in PROGRAMME_KINDS:
        return None
    model, path = PROGRAMME_KINDS[kind]
    return model.objects.filter(**{path: event, "pk": pk}).first()


# --- an event's back-office lists -------------------------------------------------------------


def partner_links(event: Event) -> QuerySet[EventPartner]:
    return EventPartner.objects.filter(event=event).select_related("partner")


def programme_tree(event: Event) -> tuple[QuerySet[Universe], QuerySet[Session]]:
    """Universes with their spaces (partner, trades), and the sessions with their space."""
    universes = Universe.objects.filter(event=event).prefetch_related(
        Prefetch(
            "spaces",
            queryset=Space.objects.select_related("partner").prefetch_related("trades"),
        )
    )
    return universes, Session.objects.filter(event=event).select_related("space")


def press_requests(event: Event, *, status: str = "") -> QuerySet[PressAccreditation]:
    """The event's press accreditation requests (one status, or all), oldest first."""
    requests = PressAccreditation.objects.filter(event=event).select_related("decided_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at", "id")


def press_request_counts(event: Event) -> dict[str, int]:
    """How many requests in each status (every status present, 0 when none)."""
    counts = dict(
        PressAccreditation.objects.filter(event=event)
        .values_list("status")
        .order_by()
        .annotate(n=Count("id"))
    )
    return {value: counts.get(value, 0) for value in PressAccreditation.Status.values}


def accredited_journalists(event: Event) -> QuerySet[PressAccreditation]:
    return PressAccreditation.objects.filter(
        event=event, status=PressAccreditation.Status.ACCEPTED
    ).order_by("full_name", "id")
