"""schema.org Event for search engines, rendered safely inside a <script> element."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from vocations.events.links import event_url
from vocations.events.models import Event

# Same escapes as django.utils.html.json_script: no "</script>" or HTML can break out.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def event_jsonld(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if event.is_online
        else "https://schema.org/OfflineEventAttendanceMode",
        "url": event_url(event),
        "description": event.summary or event.description[:500] or event.title,
        "isAccessibleForFree": event.is_free,
        "organizer": {"@type": "Organization", "name": event.organization.name},
    }
    if event.is_online:
        data["location"] = {"@type": "VirtualLocation", "url": event.online_url or event_url(event)}
    else:
        address = {
            "@type": "PostalAddress",
            "streetAddress": event.address,
            "postalCode": event.postal_code,
            "addressLocality": event.commune.name if event.commune else "",
            "addressRegion": event.region.name if event.region else "",
            "addressCountry": "FR",
        }
        place: dict[str, Any] = {
            "@type": "Place",
            "name": event.venue_name or (event.commune.name if event.commune else event.title),
            "address": {k: v for k, v in address.items() if v},
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        data["location"] = place
    if event.is_free:
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": event_url(event),
            "availability": "https://schema.org/InStock",
        }
    if event.image:
        url = event.image.url
        data["image"] = [url if url.startswith("http") else settings.SITE_URL + url]
    return data


def render_jsonld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
