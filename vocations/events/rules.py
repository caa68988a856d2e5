"""The registration rules every interface asks: has the event started or ended, is
registration closed.

One function per rule (docs/architecture.md, rule 6): the registration services enforce them,
the public pages show them before anyone submits, the press form and the self-service page
ask them; none copies the dates or matches a message. Pure functions of the rows and the
moment (``now`` defaults to the current time), so they cost no query.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vocations.core.dates import french_date, french_time

from .models import Event, Session

EVENT_ENDED = "Cet événement est terminé : les inscriptions sont closes."
REGISTRATION_CLOSED = "Les inscriptions sont closes."


def event_has_ended(event: Event, *, now: dt.datetime | None = None) -> bool:
    """True from the event's end on: no registration, cancellation or press request then."""
    return event.ends_at <= (now or timezone.now())


def event_has_started(event: Event, *, now: dt.datetime | None = None) -> bool:
    """True from the event's start on: a group's size can no longer change then."""
    return event.starts_at <= (now or timezone.now())


def registration_closed_reason(
    event: Event, session: Session | None = None, *, now: dt.datetime | None = None
) -> str:
    """Why nobody can register now (for ``session`` when given), or "" while it is open."""
    now = now or timezone.now()
    if event_has_ended(event, now=now) or (session is not None and session.ends_at <= now):
        return EVENT_ENDED
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        return f"Les inscriptions ouvriront le {french_date(opens.date())} à {french_time(opens)}."
    if event.registration_closes_at and now >= event.registration_closes_at:
        return REGISTRATION_CLOSED
    return ""
