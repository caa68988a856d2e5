"""Links to pages other parts of the site own (finder, trades, events), never dead.

Their routes may not exist yet: each helper returns None when its route does not resolve, and
templates then show plain text.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from vocations.events.finder import PARAMS


def route(name: str, *args, **kwargs) -> str | None:
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def finder_url(
    *,
    kinds: tuple[str, ...] = (),
    audience: str = "",
    postal_code: str = "",
    sectors: tuple[str, ...] | list[str] = (),
) -> str | None:
    """The event finder, pre-filtered (parameter names from vocations.events.finder.PARAMS)."""
    base = route("web:event_list")
    if base is None:
        return None
    items = [(PARAMS["kind"], kind) for kind in kinds]
    if audience:
        items.append((PARAMS["audience"], audience))
    if postal_code:
        items.append((PARAMS["postal_code"], postal_code))
    items += [(PARAMS["sector"], slug) for slug in sectors]
    return f"{base}?{urlencode(items)}" if items else base


def attach_urls(*, trades=(), events=()) -> None:
    """Set ``url`` on each trade and event (None when the page does not exist yet)."""
    for trade in trades:
        trade.url = route("web:trade_detail", slug=trade.slug)
    for event in events:
        event.url = route("web:event_detail", slug=event.slug)
