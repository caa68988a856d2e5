"""A registration takes more or fewer seats: the one sequence the self-service changes share
(a group's size, an individual's companions), run under the pool's row lock.

Apart from pools.py because it promotes the waiting list, which itself uses the pools.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from vocations.core.services import audit_log
from vocations.events import signals
from vocations.events.models import Event, Registration, Session
from vocations.events.selectors import seats_left

from .pools import _add_confirmed, _audit_data
from .waitlist import promote_waitlist

Status = Registration.Status


def resize_under_lock(
    *,
    current: Registration,
    locked_event: Event,
    session: Session | None,
    seats: int,
    fields: dict[str, Any],
    too_many: Callable[[int, int], dict[str, str]],
    action: str,
    change: str,
    organization,
    actor=None,
) -> Registration:
    """Give ``current`` (its row read in this transaction) ``seats`` seats and ``fields``.

    Call inside the transaction holding the pool's lock, with the rows it returned. A
    registration holding seats (confirmed, or a pending offer) grows only into the seats left,
    else ``too_many(left, delta)`` is the French error and nothing changes. Fewer seats go
    back to the pool and the waiting list moves up (a waitlisted registration that now fits
    is confirmed by its own change). Audited (in ``organization``) with the seats before; the
    change is announced.
    """
    delta = seats - current.seats
    if not delta and not fields:
        return current
    holds_seats = current.status == Status.CONFIRMED or current.has_pending_offer
    if holds_seats and delta > 0:
        left = seats_left(locked_event, session)
        if left is not None and delta > left:
            raise ValidationError(too_many(left, delta))
    before = current.seats
    for name, value in fields.items():
        setattr(current, name, value)
    current.seats = seats
    current.save(update_fields=[*fields, "seats", "updated_at"])
    if current.status == Status.CONFIRMED:
        _add_confirmed(locked_event, session, delta)
    promote_waitlist(event=locked_event, session=session, resized=current)
    audit_log(
        actor=actor,
        action=action,
        target=current,
        organization=organization,
        data={**_audit_data(current), "seats_before": before},
    )
    signals.registration_changed.send(Registration, registration=current, change=change)
    return current
