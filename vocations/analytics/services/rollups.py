"""Hourly and daily roll-ups of human visits: the only visit figures reports read.

The flusher folds each batch in incrementally (increments.py); what follows is the full
recompute, for late visits, repairs (``manage.py rollup_visits``) and the "direct" buffer.
``rollup_visits(since=…)`` recomputes every hour from ``since`` (floored to the hour) up to now,
and every local day those hours touch, by delete-and-insert inside one transaction: running it
twice gives the same rows (idempotent), and a late batch from the buffer is folded in by running
it again from that batch's earliest visit. Roll-ups are serialized by a row lock on RollupState.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Min
from django.db.models.functions import TruncHour
from django.utils import timezone

from ..models import RollupSeen, RollupState, Visit, VisitDaily, VisitHourly
from ..periods import (
    DAY_GROUP,
    GROUP,
    HOUR,
    SEEN_DAYS,
    UTC,
    day_bounds,
    floor_hour,
    group_key,
    local_days,
)


def lock_state() -> RollupState:
    """The row lock that serializes every roll-up writer (this module, increments.py)."""
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


@transaction.atomic
def rollup_visits(*, since: dt.datetime, until: dt.datetime | None = None) -> int:
    """Recompute the roll-ups of [since, until or now]. Returns the number of hourly rows."""
    now = timezone.now()
    start = floor_hour(since)
    end = floor_hour(min(until or now, now)) + HOUR
    if end <= start:
        return 0
    state = lock_state()
    humans = Visit.objects.filter(is_bot=False)

    VisitHourly.objects.filter(hour__gte=start, hour__lt=end).delete()
    rows = (
        humans.filter(at__gte=start, at__lt=end)
        .annotate(h=TruncHour("at", tzinfo=UTC))
        .values("h", *GROUP)
        .annotate(n=Count("id"), u=Count("visitor_hash", distinct=True))
        .order_by()
    )
    hourly = [
        VisitHourly(
            hour=row["h"],
            visits=row["n"],
            unique_visitors=row["u"],
            **{name: row[name] for name in GROUP},
        )
        for row in rows.iterator(chunk_size=5000)
    ]
    VisitHourly.objects.bulk_create(hourly, batch_size=2000)

    for day in local_days(start, end):
        day_start, day_end = day_bounds(day)
        VisitDaily.objects.filter(day=day).delete()
        day_rows = (
            humans.filter(at__gte=day_start, at__lt=day_end)
            .values(*DAY_GROUP)
            .annotate(n=Count("id"), u=Count("visitor_hash", distinct=True))
            .order_by()
        )
        VisitDaily.objects.bulk_create(
            [
                VisitDaily(
                    day=day,
                    visits=row["n"],
                    unique_visitors=row["u"],
                    **{name: row[name] for name in DAY_GROUP},
                )
                for row in day_rows
            ],
            batch_size=2000,
        )

    rebuild_seen(start=start, end=end)
    if state.rolled_until is None or state.rolled_until < now:
        state.rolled_until = now
        state.save(update_fields=["rolled_until"])
    return len(hourly)


def rebuild_seen(*, start: dt.datetime, end: dt.datetime) -> None:
    """After a full recompute of [start, end): the seen hashes of its recent buckets, so that
    the next increments count distinct visitors on top of the recomputed rows."""
    horizon = timezone.localdate() - dt.timedelta(days=SEEN_DAYS - 1)
    start = max(start, day_bounds(horizon)[0])
    if start >= end:
        return
    days = local_days(start, end)
    day_start = day_bounds(days[0])[0]
    day_end = day_bounds(days[-1])[1]
    hours = []
    hour = floor_hour(start)
    while hour < end:
        hours.append(f"h{hour.isoformat()}")
        hour += dt.timedelta(hours=1)
    RollupSeen.objects.filter(bucket__in=hours + [f"d{d.isoformat()}" for d in days]).delete()
    seen = {}
    rows = (
        Visit.objects.filter(is_bot=False, at__gte=day_start, at__lt=day_end)
        .values("at", "visitor_hash", *GROUP)
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        day = timezone.localdate(row["at"])
        day_key = (f"d{day.isoformat()}", group_key(row, DAY_GROUP), row["visitor_hash"])
        seen.setdefault(day_key, day)
        if start <= row["at"] < end:
            hour_key = (
                f"h{floor_hour(row['at']).isoformat()}",
                group_key(row, GROUP),
                row["visitor_hash"],
            )
            seen.setdefault(hour_key, day)
    RollupSeen.objects.bulk_create(
        [RollupSeen(bucket=b, group=g, visitor_hash=h, day=d) for (b, g, h), d in seen.items()],
        batch_size=2000,
        ignore_conflicts=True,
    )


def purge_seen(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return RollupSeen.objects.filter(day__lt=today - dt.timedelta(days=SEEN_DAYS - 1)).delete()[0]


def mark_rolled(*, until: dt.datetime) -> None:
    """The roll-ups hold every visit flushed before ``until`` (incremental flushes)."""
    state = lock_state()
    if state.rolled_until is None or state.rolled_until < until:
        state.rolled_until = until
        state.save(update_fields=["rolled_until"])


def rollup_pending() -> int:
    """Roll up what arrived since the last roll-up (the "direct" buffer writes visits at once)."""
    state = RollupState.objects.filter(pk=1).first()
    since = state.rolled_until if state and state.rolled_until else None
    if since is None:
        since = Visit.objects.aggregate(first=Min("at"))["first"]
        if since is None:
            return 0
    return rollup_visits(since=since)
