"""French wording of dates and places left, independent of the server's locale."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# Dates and times in French words live in core, so the domain's messages use them too.
from vocations.core.dates import french_date, french_month, french_number, french_time

__all__ = [
    "event_dates",
    "french_date",
    "french_month",
    "french_number",
    "french_time",
    "places_left_text",
]


def event_dates(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """« mardi 16 mars 2027, 9 h – 12 h » or « du … au … » across days, in local time."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        if start == end:
            return f"{french_date(start.date())}, {french_time(start)}"
        return f"{french_date(start.date())}, {french_time(start)} – {french_time(end)}"
    return (
        f"du {french_date(start.date())}, {french_time(start)} "
        f"au {french_date(end.date())}, {french_time(end)}"
    )


def places_left_text(seats_left: int | None) -> str:
    """« Complet », « 1 place restante », « 12 places restantes », or nothing when unlimited."""
    if seats_left is None:
        return ""
    if seats_left <= 0:
        return "Complet"
    if seats_left == 1:
        return "1 place restante"
    return f"{french_number(seats_left)} places restantes"
