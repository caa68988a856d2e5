"""The periods and groups of the visit roll-ups: pure helpers shared by the writers (the roll-up
services) and the readers (reports), so that a report never imports a service."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)

# Visitor hashes already counted are kept this many local days (RollupSeen, services/increments.py).
SEEN_DAYS = 2

GROUP = ("link_id", "placement_id", "wave_id", "campaign_id", "channel", "source", "device")
DAY_GROUP = ("link_id", "placement_id", "wave_id", "campaign_id", "channel")


def floor_hour(when: dt.datetime) -> dt.datetime:
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day (Europe/Paris), DST-aware."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def local_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first, last = timezone.localdate(start), timezone.localdate(end - dt.timedelta(microseconds=1))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def group_key(values: dict, names: tuple[str, ...]) -> str:
    return "|".join("" if values.get(name) is None else str(values[name]) for name in names)
