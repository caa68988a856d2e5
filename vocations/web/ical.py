"""iCalendar files: one event, the finder's results as a feed, a registrant's own session
(shared by the event pages and the self-service page, so neither imports the other)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar
from icalendar import Event as IcsEvent

from vocations.core.text import single_line
from vocations.events.links import event_url, place_line
from vocations.events.models import Event

PRODID = "-//Vocations//Evenements de l'industrie//FR"
FEED_LIMIT = 1000


def uid(event: Event) -> str:
    # Stable across edits so calendar apps update the entry instead of adding another.
    return f"event-{event.pk}@vocations"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _description(event: Event, url: str) -> str:
    parts = [event.summary, event.description]
    if event.is_online and event.online_url:
        parts.append(f"Lien de la session : {event.online_url}")
    parts.append(f"Toutes les informations : {url}")
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    # Line breaks are kept (the library escapes \n); other control characters are not.
    return "\n".join(single_line(line) for line in text.replace("\r\n", "\n").split("\n"))


def vevent(event: Event) -> IcsEvent:
    url = event_url(event)
    entry = IcsEvent()
    entry.add("uid", uid(event))
    entry.add("dtstamp", _utc(event.updated_at))
    entry.add("last-modified", _utc(event.updated_at))
    entry.add("dtstart", _utc(event.starts_at))
    entry.add("dtend", _utc(event.ends_at))
    entry.add("summary", single_line(event.title))
    entry.add("description", _description(event, url))
    entry.add("location", single_line(event.online_url if event.is_online else place_line(event)))
    entry.add("url", single_line(url))
    entry.add("status", "CONFIRMED")
    if event.latitude is not None and event.longitude is not None:
        entry.add("geo", (event.latitude, event.longitude))
    return entry


def calendar(events: Iterable[Event], *, name: str) -> bytes:
    return calendar_of((vevent(event) for event in events), name=name)


def calendar_of(entries: Iterable[IcsEvent], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", single_line(name))
    cal.add("x-wr-timezone", "UTC")
    for entry in entries:
        cal.add_component(entry)
    return cal.to_ical()
