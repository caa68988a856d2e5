"""A pool's seats (the event itself or one session): its row locks and counters.

Shared by the registration services and the waiting list (services/registrations.py,
services/waitlist.py). Capacity is a locked invariant (docs/architecture.md, rule 5): the
counters change only under the pool's row locks, Event then Session, always in that order.

``settings.REGISTRATION_CAPACITY_LOCK = False`` is for the race tests only: it reads counters
without the lock, so those tests can show the overbooking the lock prevents.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

from vocations.events.models import Event, Registration, Session

from .notices import notice_for_registration

# --- locking ---------------------------------------------------------------------------------


def _lock_enabled() -> bool:
    return bool(getattr(settings, "REGISTRATION_CAPACITY_LOCK", True))


def _pool_rows(event: Event, session: Session | None) -> tuple[Event, Session | None]:
    """Fresh Event (then Session) rows, locked until the transaction ends."""
    event, sessions = _lock_pools(event, session)
    return event, (sessions[session.pk] if session is not None else None)


def _lock_pools(event: Event, *sessions: Session | None) -> tuple[Event, dict[int, Session]]:
    """Fresh Event row, then the sessions' rows in id order (the order every service keeps),
    locked until the transaction ends; the sessions by id."""
    wanted = sorted({s.pk for s in sessions if s is not None})
    events, rows = Event.objects.all(), Session.objects.filter(pk__in=wanted).order_by("pk")
    if _lock_enabled():
        events, rows = events.select_for_update(), rows.select_for_update()
    event = events.get(pk=event.pk)
    rows = list(rows) if wanted else []
    # Test-only: the race tests widen the gap between reading the counter and writing it,
    # so that the unlocked run shows overbooking every time. Never set in production.
    delay = getattr(settings, "REGISTRATION_TEST_RACE_DELAY", 0)
    if delay:
        time.sleep(delay)
    return event, {s.pk: s for s in rows}


def _add_confirmed(event: Event, session: Session | None, delta: int) -> None:
    """Move the pool's counter; called only with the rows returned by _pool_rows."""
    if not delta:
        return
    row = session if session is not None else event
    row.seats_confirmed += delta
    type(row).objects.filter(pk=row.pk).update(seats_confirmed=row.seats_confirmed)


def _scope(session: Session | None) -> int:
    return session.pk if session is not None else 0


# --- helpers ---------------------------------------------------------------------------------


def _sync(event, session, locked_event, locked_session) -> None:
    # The caller's instances see the counters the transaction left.
    event.seats_confirmed = locked_event.seats_confirmed
    if session is not None:
        session.seats_confirmed = locked_session.seats_confirmed


def _audit_data(registration: Registration) -> dict[str, Any]:
    # No personal data in the audit trail: the registration row holds it, and can be erased.
    return {
        "kind": registration.kind,
        "status": registration.status,
        "seats": registration.seats,
        "session": registration.session_id,
    }


def _queue_email(registration: Registration, kind: str) -> None:
    from vocations.events.mails import queue_registration_email

    queue_registration_email(registration.pk, kind)
    # The organizer hears of it too (at once or in the daily digest, their choice).
    notice_for_registration(registration, kind)
