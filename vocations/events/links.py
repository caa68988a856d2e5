"""An event's absolute public URL and its place in words, for every interface (public site,
.ics files, registration pages, API).

Here rather than in the public site: the API may not import the web app, nor one part of the
site another's internals (docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from vocations.events.models import Event


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("web:event_detail", kwargs={"slug": event.slug})


def place_line(event: Event) -> str:
    """« Forges de Lyon, 12 rue …, 69002 Lyon » or « En ligne »."""
    if event.is_online:
        return "En ligne"
    parts = [event.venue_name, event.address]
    town = " ".join(
        p for p in (event.postal_code, event.commune.name if event.commune else "") if p
    )
    parts.append(town)
    return ", ".join(p for p in parts if p)


def short_place(event: Event) -> str:
    """« Lyon (69) » for cards."""
    if event.is_online:
        return "En ligne"
    if event.commune is None:
        return ""
    department = f" ({event.department.code})" if event.department else ""
    return f"{event.commune.name}{department}"
