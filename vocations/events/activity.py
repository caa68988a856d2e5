"""Keeping EventActivity in step with events, labels and registrations (the territory roll-up).

- An event or its label saved or deleted: that event's row is recomputed (two small queries;
  these writes are rare). Its département, month, public flag and seats follow.
- A registration saved or deleted: its *difference* is added to its event's row in one
  ``UPDATE … SET registrations = registrations + n`` (confirmed seats, people present), from
  the values it was loaded with (post_init). Additions commute, so concurrent registrations
  never lose one another's count, and the registration rush pays one query.
- Bulk writes send no signal: whoever makes them calls :func:`refresh_events` or
  :func:`rebuild` (the demo loader does).

``activity_by_department`` (events.selectors) sums these rows; a Hypothesis test checks that it
equals the live count after any sequence of operations.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Event, EventActivity, Label, Registration

_TRACKED = ("status", "seats", "attended", "event_id")
# Events being deleted in this thread: their label and registrations go with them, and their
# row with the event (cascade); nothing may recompute it meanwhile.
_deleting = threading.local()


def _being_deleted(event_id) -> bool:
    return event_id in getattr(_deleting, "ids", set())


def event_deleting(event_id: int, done: bool = False) -> None:
    ids = getattr(_deleting, "ids", None)
    if ids is None:
        ids = _deleting.ids = set()
    (ids.discard if done else ids.add)(event_id)


def _month(when: dt.datetime) -> dt.date:
    return timezone.localdate(when).replace(day=1)


def refresh_events(event_ids: Iterable[int]) -> None:
    """Recompute the rows of these events from the live tables."""
    ids = {pk for pk in event_ids if not _being_deleted(pk)}
    if not ids:
        return
    events = list(
        Event.objects.filter(pk__in=ids, department__isnull=False).values(
            "pk", "department_id", "starts_at", "capacity", "is_published", "label__state"
        )
    )
    totals = {
        row["event_id"]: row
        for row in Registration.objects.filter(
            event_id__in=[e["pk"] for e in events], status=Registration.Status.CONFIRMED
        )
        .values("event_id")
        .annotate(r=Coalesce(Sum("seats"), 0), a=Coalesce(Sum("attended"), 0))
        .order_by()
    }
    EventActivity.objects.filter(event_id__in=ids).delete()
    EventActivity.objects.bulk_create(
        [
            EventActivity(
                event_id=e["pk"],
                department_id=e["department_id"],
                month=_month(e["starts_at"]),
                public=bool(e["is_published"] and e["label__state"] == Label.State.LABELLED),
                seats=e["capacity"] or 0,
                registrations=totals.get(e["pk"], {}).get("r", 0),
                attendance=totals.get(e["pk"], {}).get("a", 0),
            )
            for e in events
        ]
    )


def rebuild() -> None:
    """Every row again (after bulk loads): per chunk of events."""
    EventActivity.objects.all().delete()
    ids = list(Event.objects.filter(department__isnull=False).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        refresh_events(ids[start : start + 2000])


def _contribution(values: dict) -> tuple[int, int]:
    if values.get("status") != Registration.Status.CONFIRMED:
        return 0, 0
    return values.get("seats") or 0, values.get("attended") or 0


def remember(instance: Registration) -> None:
    """What the registration counts for as loaded (deferred fields are left out)."""
    instance._activity_loaded = {
        k: instance.__dict__[k] for k in _TRACKED if k in instance.__dict__
    }


def _add(event_id: int, registrations: int, attendance: int, *, create: bool = True) -> None:
    if not registrations and not attendance:
        return
    updated = EventActivity.objects.filter(event_id=event_id).update(
        registrations=F("registrations") + registrations, attendance=F("attendance") + attendance
    )
    if not updated and create:  # no row yet (an event created without signal): compute it
        refresh_events([event_id])


def registration_saved(instance: Registration, created: bool) -> None:
    loaded = {} if created else getattr(instance, "_activity_loaded", {})
    if not created and set(loaded) != set(_TRACKED):
        # Loaded partially (only()/defer()): recompute the event rather than guess.
        refresh_events({instance.event_id, loaded.get("event_id")} - {None})
        remember(instance)
        return
    now = {k: getattr(instance, k) for k in _TRACKED}
    old_r, old_a = _contribution(loaded)
    new_r, new_a = _contribution(now)
    if loaded and loaded.get("event_id") != instance.event_id:
        _add(loaded["event_id"], -old_r, -old_a)
        old_r = old_a = 0
    _add(instance.event_id, new_r - old_r, new_a - old_a)
    remember(instance)


def registration_deleted(instance: Registration) -> None:
    loaded = getattr(instance, "_activity_loaded", {})
    if set(loaded) != set(_TRACKED):
        refresh_events([instance.event_id])
        return
    r, a = _contribution(loaded)
    # No row: its event is being deleted with it (never recreate one then).
    _add(loaded["event_id"], -r, -a, create=False)


def activity_totals(*, public_only: bool = True, months: tuple[dt.date, dt.date] | None = None):
    """(department_id, events, seats, registrations, attendance) rows from the roll-up."""
    rows = EventActivity.objects.all()
    if public_only:
        rows = rows.filter(public=True)
    if months is not None:
        rows = rows.filter(Q(month__gte=months[0]) & Q(month__lte=months[1]))
    return (
        rows.values("department_id")
        .annotate(
            events=Count("event_id"),
            seats=Coalesce(Sum("seats"), 0),
            registrations=Coalesce(Sum("registrations"), 0),
            attendance=Coalesce(Sum("attendance"), 0),
        )
        .order_by()
    )


_EVENT_FIELDS = {"department", "department_id", "starts_at", "capacity", "is_published"}


def event_saved(instance: Event, update_fields) -> None:
    # The seats counter and the like, saved on each registration, change nothing here.
    if update_fields and not (_EVENT_FIELDS & set(update_fields)):
        return
    refresh_events([instance.pk])
