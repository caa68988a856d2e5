"""The waiting list of a pool (the event itself or one session): strictly first come, first
served, with automatic confirmation or time-limited offers (docs/registration.md).

Rules, all applied under the pool's row locks (Event, then Session) by ``promote_waitlist``:

- The line is served in (waitlisted_at, id) order and **nobody passes anybody**: when the head
  of the line needs more seats than are free (a class of 14 with 10 seats free), promotion
  stops there and the free seats are kept for it (``seats_held``), so later requests, however
  small, wait behind it. Newcomers then see the event as full. The group can always take what
  is free by reducing its size (self-service) — then it is served at once.
- An event with ``waitlist_offer_hours`` offers the seat instead of confirming it: the next in
  line gets an e-mail with a confirm link valid that many hours; the seats stay held for them
  meanwhile. ``waitlist_offer_accept`` confirms; ``waitlist_offers_expire`` (a beat task)
  cancels unanswered offers and passes the seats on.
- ``seats_held`` = seats of pending offers + what is kept for a head that does not fit yet; it
  is recomputed from the rows each time, so it cannot drift.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from vocations.core.services import audit_log
from vocations.events import signals
from vocations.events.models import Event, Registration, Session

from . import pools

Status = Registration.Status

# What the organizer can choose, in hours (None: automatic confirmation, as before offers).
OFFER_HOURS_CHOICES = (24, 48, 72)


class OfferError(ValidationError):
    """An offer link that cannot confirm a seat; ``code`` says why (for the page's wording)."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)
        self.reason = code


OFFER_USED = "Cette place est déjà confirmée : votre billet vous a été envoyé par e-mail."
OFFER_EXPIRED = (
    "Cette proposition a expiré : la place a été proposée à la personne suivante sur la liste "
    "d'attente."
)
OFFER_GONE = "Cette proposition n'est plus valable (inscription annulée)."


def promote_waitlist(
    *, event: Event, session: Session | None = None, resized: Registration | None = None
) -> list[Registration]:
    """Serve the pool's waiting list in order; returns the registrations confirmed or offered.

    Call it only inside the transaction holding the pool's lock, with the rows that lock
    returned (their counters are current). Stops at the first one that does not fit and keeps
    the free seats for it; recomputes the pool's ``seats_held``.
    """
    row = session if session is not None else event
    waiting = Registration.objects.filter(
        event_id=event.pk, scope=pools._scope(session), status=Status.WAITLISTED
    )
    offered_seats = (
        waiting.filter(offer_expires_at__isnull=False).aggregate(s=Sum("seats"))["s"] or 0
    )
    free = None if row.capacity is None else max(row.capacity - row.seats_confirmed, 0)
    if free is not None:
        free = max(free - offered_seats, 0)
    hours = event.waitlist_offer_hours if row.capacity is not None else None
    now = timezone.now()
    confirmed: list[Registration] = []
    offered: list[Registration] = []
    blocked = False
    queue = waiting.filter(offer_expires_at__isnull=True).order_by("waitlisted_at", "id")
    # Each served registration takes at least one seat: no more than free + 1 rows matter.
    if free is not None:
        queue = queue[: free + 1]
    # An offer never outlives the event's start (a 48 h offer the evening before it).
    deadline = (now + timedelta(hours=hours)) if hours else None
    if deadline is not None and event.starts_at > now:
        deadline = min(deadline, event.starts_at)
    for registration in list(queue):
        if free is not None and registration.seats > free:
            blocked = True
            break
        if hours:
            registration.offered_at = now
            registration.offer_expires_at = deadline
            registration.save(update_fields=["offered_at", "offer_expires_at", "updated_at"])
            offered.append(registration)
            offered_seats += registration.seats
        else:
            registration.status = Status.CONFIRMED
            registration.promoted_at = now
            registration.save(update_fields=["status", "promoted_at", "updated_at"])
            confirmed.append(registration)
        if free is not None:
            free -= registration.seats
    pools._add_confirmed(event, session, sum(r.seats for r in confirmed))
    held = offered_seats + (free if blocked and free else 0)
    if row.seats_held != held:
        row.seats_held = held
        type(row).objects.filter(pk=row.pk).update(seats_held=held)
    for registration, action, mail in [
        (r, "registration.promote", "promoted") for r in confirmed
    ] + [(r, "registration.offer", "offered") for r in offered]:
        data = pools._audit_data(registration)
        if action == "registration.offer":
            data["offer_expires_at"] = registration.offer_expires_at.isoformat()
        audit_log(action=action, target=registration, organization=event.organization, data=data)
        if mail == "promoted" and resized is not None and registration.pk == resized.pk:
            # A waitlisted group that now fits is confirmed by its own change, not by a freed
            # seat: its mail says so, not "Une place s'est libérée".
            mail = "resized"
        pools._queue_email(registration, mail)
        if action == "registration.promote":
            signals.registration_changed.send(
                Registration, registration=registration, change="promoted"
            )
    return confirmed + offered


def waitlist_refresh(*, event: Event, session: Session | None = None) -> list[Registration]:
    """Lock the pool and serve its waiting list (e.g. after its capacity changed)."""
    with transaction.atomic():
        locked_event, locked_session = pools._pool_rows(event, session)
        promoted = promote_waitlist(event=locked_event, session=locked_session)
    pools._sync(event, session, locked_event, locked_session)
    return promoted


def waitlist_offer_accept(*, registration: Registration, actor=None) -> Registration:
    """Confirm an offered seat (the e-mail's link). Raises OfferError when it is no longer
    offered: already confirmed ("used"), expired, or cancelled."""
    event, session = registration.event, registration.session
    with transaction.atomic():
        locked_event, locked_session = pools._pool_rows(event, session)
        current = Registration.objects.get(pk=registration.pk)
        now = timezone.now()
        refusal = offer_refusal(current, now=now)
        if refusal is not None:
            raise OfferError(refusal[1], refusal[0])
        current.status = Status.CONFIRMED
        current.promoted_at = now
        current.save(update_fields=["status", "promoted_at", "updated_at"])
        pools._add_confirmed(locked_event, locked_session, current.seats)
        # The held seats are now confirmed ones: recompute what stays held.
        promote_waitlist(event=locked_event, session=locked_session)
        audit_log(
            actor=actor,
            action="registration.offer_accept",
            target=current,
            organization=event.organization,
            data=pools._audit_data(current),
        )
        pools._queue_email(current, "promoted")
    pools._sync(event, session, locked_event, locked_session)
    return current


def offer_refusal(registration: Registration, *, now=None) -> tuple[str, str] | None:
    """None while the offer can be confirmed; else (reason, French message), reason being
    "used", "expired" or "cancelled". The service asks it under the lock, the page before."""
    now = now or timezone.now()
    if registration.status == Status.CONFIRMED:
        return "used", OFFER_USED
    if registration.status == Status.CANCELLED:
        # Cancelled by the expiry task: at the offer's end or later.
        expired = (
            registration.offer_expires_at is not None
            and registration.cancelled_at is not None
            and registration.cancelled_at >= registration.offer_expires_at
        )
        return ("expired", OFFER_EXPIRED) if expired else ("cancelled", OFFER_GONE)
    if registration.offer_expires_at is None or now >= registration.offer_expires_at:
        return "expired", OFFER_EXPIRED
    return None


def waitlist_offers_expire(*, now=None) -> int:
    """Cancel every offer unanswered at its deadline and pass the seats on; returns how many.

    Idempotent and safe to run twice at once (the beat task): each pool is locked and its
    expired offers are read again under the lock, so a confirmation that got the lock first
    wins and is left alone."""
    now = now or timezone.now()
    pending = (
        Registration.objects.filter(status=Status.WAITLISTED, offer_expires_at__lte=now)
        .values_list("event_id", "session_id")
        .distinct()
    )
    expired_count = 0
    for event_id, session_id in list(pending):
        event = Event.objects.filter(pk=event_id).first()
        session = Session.objects.filter(pk=session_id).first() if session_id else None
        if event is None:
            continue
        with transaction.atomic():
            locked_event, locked_session = pools._pool_rows(event, session)
            expired = list(
                Registration.objects.filter(
                    event_id=event_id,
                    scope=pools._scope(session),
                    status=Status.WAITLISTED,
                    offer_expires_at__lte=now,
                )
            )
            for registration in expired:
                registration.status = Status.CANCELLED
                registration.cancelled_at = max(now, registration.offer_expires_at)
                registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                audit_log(
                    action="registration.offer_expire",
                    target=registration,
                    organization=locked_event.organization,
                    data=pools._audit_data(registration),
                )
                pools._queue_email(registration, "offer_expired")
            promote_waitlist(event=locked_event, session=locked_session)
            expired_count += len(expired)
    return expired_count
