"""Reads for the public pages."""

import datetime as dt
import unicodedata

from django.db.models import Max, Q, Sum
from django.utils import timezone

from vocations.careers.models import Sector, Trade
from vocations.events.models import Event
from vocations.events.selectors import public_events
from vocations.territories.models import HiringNeed

from .content import french_number


def _french_sort_key(text: str) -> tuple[str, str]:
    # Databases order by code point ("Agro…" before "Aéro…"); readers expect dictionary order.
    # Accents are ignored first, then break ties, whatever the database's collation.
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold(), text


def sector_list() -> list[Sector]:
    """Every sector (filière) in French dictionary order, for the home page's "Les filières"."""
    return sorted(Sector.objects.order_by("name"), key=lambda s: _french_sort_key(s.name))


def upcoming_public_events(*, limit: int = 6, now: dt.datetime | None = None) -> list[Event]:
    """The next public events, nationwide (the same list for every visitor)."""
    now = now or timezone.now()
    return list(
        public_events()
        .filter(ends_at__gte=now)
        .select_related("commune", "department")
        .order_by("starts_at", "id")[:limit]
    )


def featured_trade_list(limit: int = 6) -> list[Trade]:
    """Featured trades by title (no prefetch: cards show the title and the ROME code)."""
    return list(Trade.objects.filter(is_featured=True).order_by("title")[:limit])


def national_hiring_need() -> dict | None:
    """Total BMO recruitment projects of the latest imported year, or None before any import.

    Two queries: the latest year, then the sum of its projects (masked counts are NULL and
    left out, as in the territories' totals).
    """
    year = HiringNeed.objects.aggregate(year=Max("year"))["year"]
    if year is None:
        return None
    projects = HiringNeed.objects.filter(year=year).aggregate(total=Sum("projects"))["total"]
    return {"year": year, "projects": projects or 0, "projects_text": french_number(projects or 0)}


def trades_for_sectors(
    sector_slugs: list[str], *, levels: tuple[int, ...] = (), limit: int = 5
) -> list[Trade]:
    """Trades suggested for the sectors, best sector first: featured ones, then others.

    Within a sector, trades open at one of ``levels`` (qualification levels) come first. One
    query for the candidates (with their sectors and levels prefetched: two more).
    """
    if not sector_slugs:
        return []
    candidates = list(
        Trade.objects.filter(sectors__slug__in=sector_slugs)
        .distinct()
        .prefetch_related("sectors", "qualification_levels")
        .order_by("title")
    )
    rank = {slug: i for i, slug in enumerate(sector_slugs)}

    def key(trade: Trade) -> tuple:
        best = min(rank[s.slug] for s in trade.sectors.all() if s.slug in rank)
        trade_levels = {q.level for q in trade.qualification_levels.all()}
        fits = not levels or bool(trade_levels & set(levels))
        return (best, not trade.is_featured, not fits, _french_sort_key(trade.title))

    return sorted(candidates, key=key)[:limit]


def upcoming_events_for(
    *, trades: list[Trade], sector_slugs: list[str], limit: int = 6
) -> list[Event]:
    """Upcoming public events showing one of these trades or sectors, soonest first."""
    if not trades and not sector_slugs:
        return []
    match = Q(trades__in=[t.pk for t in trades]) | Q(sectors__slug__in=sector_slugs)
    ids = (
        public_events()
        .filter(match, ends_at__gte=timezone.now())
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        Event.objects.filter(pk__in=ids)
        .select_related("commune", "department")
        .order_by("starts_at", "id")[:limit]
    )


def events_of_kinds(kinds: tuple[str, ...], *, limit: int = 3) -> list[Event]:
    """The next public events of these kinds, nationwide."""
    return list(
        public_events()
        .filter(kind__in=kinds, ends_at__gte=timezone.now())
        .select_related("commune", "department")
        .order_by("starts_at", "id")[:limit]
    )


def featured_trades_at_levels(levels: tuple[int, ...] = (), *, limit: int = 6) -> list[Trade]:
    """Featured trades by title; with ``levels``, only those open at one of these levels."""
    trades = Trade.objects.filter(is_featured=True)
    if levels:
        trades = trades.filter(qualification_levels__level__in=levels).distinct()
    return list(trades.prefetch_related("qualification_levels").order_by("title")[:limit])
