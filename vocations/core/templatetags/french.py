"""French typography in templates: ``{{ n|nombre }}`` → « 31 424 » (narrow no-break space),
``{{ moment|heure }}`` → « 9 h », « 14 h 30 », ``{{ moment|date_heure }}`` → « mardi 16 mars
2027 à 9 h 30 ». One way of writing numbers and times across the site."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from vocations.core.dates import french_datetime, french_number, french_time

register = template.Library()


@register.filter
def nombre(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return french_number(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def heure(value) -> str:
    if not isinstance(value, dt.datetime | dt.time):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return french_time(value)


@register.filter
def date_heure(value) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return french_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
