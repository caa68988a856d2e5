"""Share links of an event page (no SDK, no third-party script).

The absolute URL and the place in words are the events app's (`vocations.events.links`):
the API and the registration pages need them too.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from vocations.events.links import event_url
from vocations.events.models import Event


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
