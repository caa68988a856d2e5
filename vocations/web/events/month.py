"""The calendar view: a server-rendered month grid, Monday first."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from vocations.events.models import Event
from vocations.web.formatting import french_month

# A month of events is shown in full up to this many; beyond, the visitor narrows the filters.
MONTH_LIMIT = 600
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class MonthGrid:
    first: dt.date
    label: str
    weeks: list[list[Day]]
    previous: dt.date
    next: dt.date
    truncated: bool = False

    @property
    def has_events(self) -> bool:
        return any(day.events for week in self.weeks for day in week if day.in_month)


def parse_month(raw: str, default: dt.date) -> tuple[dt.date, str | None]:
    """The first day of ``?mois=2027-03``; a French warning when the value is not a month."""
    raw = (raw or "").strip()[:20]
    if not raw:
        return default.replace(day=1), None
    match = _MONTH.match(raw)
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1900 <= year <= 2200:
            return dt.date(year, month, 1), None
    return default.replace(day=1), f"Mois ignoré : « {raw} » n'est pas un mois (AAAA-MM)."


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return first, last


def build_month(first: dt.date, events: list[Event], *, truncated: bool = False) -> MonthGrid:
    today = timezone.localdate()
    days_in_grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[dt.date, list[Event]] = {}
    _, last = month_bounds(first)
    for event in events:
        start = max(timezone.localtime(event.starts_at).date(), first)
        end = min(timezone.localtime(event.ends_at).date(), last)
        day = start
        while day <= end:
            by_day.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    weeks = [
        [Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week]
        for week in days_in_grid
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    return MonthGrid(first, french_month(first), weeks, previous, following, truncated)
