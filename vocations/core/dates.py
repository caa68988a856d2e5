"""Dates and times in French words, independent of the server's locale.

In core so that a domain message (« Les inscriptions ouvriront le … ») and a page say a date
the same way. Imports no other app.
"""

from __future__ import annotations

import datetime as dt

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: dt.date) -> str:
    """« mardi 16 mars 2027 » (« 1er » for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def french_month(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def french_time(moment: dt.datetime) -> str:
    """« 9 h », « 9 h 30 »."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def french_datetime(moment: dt.datetime) -> str:
    """« mardi 16 mars 2027 à 9 h 30 » (give a local time: core knows no time zone rule)."""
    return f"{french_date(moment.date())} à {french_time(moment)}"


def french_number(value: int) -> str:
    """« 31 424 »: thousands separated by a narrow no-break space, as French typography wants."""
    return f"{value:,}".replace(",", "\u202f")
