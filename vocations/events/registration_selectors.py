"""Reads on registrations: seats left, waiting lists, lists for the organizer."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from vocations.events.models import Event, Registration, Session

Status = Registration.Status


def _scope(session: Session | None) -> int:
    return session.pk if session is not None else 0


def confirmed_seats(event: Event, session: Session | None = None) -> int:
    """The sum of confirmed seats, computed from the rows (for checks and reports)."""
    total = Registration.objects.filter(
        event=event, scope=_scope(session), status=Status.CONFIRMED
    ).aggregate(total=Sum("seats"))["total"]
    return total or 0


def waitlist(event: Event, session: Session | None = None) -> QuerySet[Registration]:
    """The waiting list of one pool, first served first."""
    return Registration.objects.filter(
        event=event, scope=_scope(session), status=Status.WAITLISTED
    ).order_by("waitlisted_at", "id")


def waitlist_position(registration: Registration) -> int | None:
    """1 for the head of the waiting list; None when not waitlisted."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = (
        waitlist(registration.event, registration.session)
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def seats_kept_for(registration: Registration) -> int:
    """Seats already kept for a waiting group at the head of the line (strict order: the free
    seats it does not fit in yet); 0 for anyone else (docs/registration.md)."""
    if registration.status != Status.WAITLISTED or registration.offer_expires_at is not None:
        return 0
    row = registration.session if registration.session_id else registration.event
    if not row.seats_held:
        return 0
    queue = waitlist(registration.event, registration.session)
    head = queue.filter(offer_expires_at__isnull=True).values_list("pk", flat=True).first()
    if head != registration.pk:
        return 0
    offered = queue.filter(offer_expires_at__isnull=False).aggregate(s=Sum("seats"))["s"] or 0
    return max(row.seats_held - offered, 0)


def registration_list(
    event: Event,
    *,
    session: Session | None | bool = False,
    q: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> QuerySet[Registration]:
    """An event's registrations for the organizer. ``session=False``: every pool; ``None``:
    the event-level pool only; a Session: that session's. ``q`` searches names, e-mail,
    school and UAI. Waitlisted ones come in waiting-list order after the others."""
    queryset = Registration.objects.filter(event=event).select_related(
        "session", "origin_department"
    )
    if session is not False:
        queryset = queryset.filter(scope=_scope(session))
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if q and q.strip():
        term = q.strip()
        queryset = queryset.filter(
            Q(last_name__icontains=term)
            | Q(first_name__icontains=term)
            | Q(email__icontains=term.lower())
            | Q(school_name__icontains=term)
            | Q(uai__iexact=term)
        )
    return queryset.order_by("status", "waitlisted_at", "created_at", "id")


def registration_counts(event: Event, session: Session | None | bool = False) -> dict[str, int]:
    """Seats and registrations by status, in one query."""
    queryset = Registration.objects.filter(event=event)
    if session is not False:
        queryset = queryset.filter(scope=_scope(session))
    figures = queryset.aggregate(
        confirmed_seats=Sum("seats", filter=Q(status=Status.CONFIRMED), default=0),
        waitlisted_seats=Sum("seats", filter=Q(status=Status.WAITLISTED), default=0),
        confirmed=Count("id", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Status.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
        mail_failed=Count("id", filter=Q(mail_failed_at__isnull=False)),
        groups=Count("id", filter=Q(kind=Registration.Kind.GROUP) & ~Q(status=Status.CANCELLED)),
        pupils=Sum(
            "pupils",
            filter=Q(kind=Registration.Kind.GROUP, status=Status.CONFIRMED),
            default=0,
        ),
    )
    return figures


def registration_for_event(event: Event, pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("session", "origin_department")
        .filter(event=event, pk=pk)
        .first()
    )


def event_sessions(event: Event) -> list[Session]:
    """The event's sessions, in time order (the registration filters, the programme)."""
    return list(Session.objects.filter(event=event).order_by("starts_at", "id"))


def _with_positions(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waitlist_ahead``: how many wait before this one in its pool (one subquery)."""
    ahead = (
        Registration.objects.filter(
            event=OuterRef("event"), scope=OuterRef("scope"), status=Status.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(waitlist_ahead=Coalesce(Subquery(ahead), Value(0)))


def organizer_registrations(
    event: Event,
    *,
    q: str = "",
    session: Session | None | bool = False,
    status: str = "",
    kind: str = "",
    short_code: str = "",
    ticket_code: str = "",
) -> QuerySet[Registration]:
    """registration_list() plus a typed ticket code (short or signed) in the search and
    waiting-list positions (the organizer's list and its CSV)."""
    common = {"session": session, "status": status, "kind": kind}
    queryset = registration_list(event, q=q, **common)
    if short_code:
        queryset = queryset | registration_list(event, **common).filter(short_code=short_code)
    elif ticket_code:
        queryset = queryset | registration_list(event, **common).filter(
            ticket_code__iexact=ticket_code
        )
    if status == Status.WAITLISTED:
        queryset = queryset.order_by("scope", "waitlisted_at", "id")
    return _with_positions(queryset)
