"""Absolute URLs and the place of an event, shared by the page, the .ics files and the API."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse

from vocations.events.models import Event


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("web:event_detail", kwargs={"slug": event.slug})


def event_ics_url(event: Event) -> str:
    return settings.SITE_URL + reverse("web:event_ics", kwargs={"slug": event.slug})


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


def share_links(event: Event) -> list[dict[str, str]]:
    """Plain share URLs (no SDK, no third-party script on our page)."""
    url = event_url(event)
    text = f"{event.title} — {url}"
    return [
        {
            "name": "E-mail",
            "url": "mailto:?" + urlencode({"subject": event.title, "body": text}, quote_via=quote),
        },
        {
            "name": "LinkedIn",
            "url": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {
            "name": "Facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": "X (Twitter)",
            "url": "https://twitter.com/intent/tweet?"
            + urlencode({"url": url, "text": event.title}),
        },
        {"name": "WhatsApp", "url": "https://wa.me/?" + urlencode({"text": text})},
    ]
