"""Reads for the careers app; each owns its joins (select/prefetch)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Branch, QualificationLevel, Sector, Trade


def sector_list() -> QuerySet[Sector]:
    """Sectors by name, with their NAF divisions and their number of trades."""
    return (
        Sector.objects.annotate(trade_count=Count("trades", distinct=True))
        .prefetch_related("naf_divisions")
        .order_by("name")
    )


def branch_list() -> QuerySet[Branch]:
    """Branches by short name, with their sectors."""
    return Branch.objects.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("name"))
    ).order_by("short_name")


def _slug_of(value: Sector | Branch | str) -> str:
    return value if isinstance(value, str) else value.slug


def trade_list(
    *,
    sector: Sector | str | None = None,
    branch: Branch | str | None = None,
    level: QualificationLevel | int | None = None,
) -> QuerySet[Trade]:
    """Trades by title, filtered by sector, branch (instance or slug) or level (3 to 7)."""
    trades = Trade.objects.all()
    if sector is not None:
        trades = trades.filter(sectors__slug=_slug_of(sector))
    if branch is not None:
        trades = trades.filter(branches__slug=_slug_of(branch))
    if level is not None:
        number = level if isinstance(level, int) else level.level
        trades = trades.filter(qualification_levels__level=number)
    # Each filter crosses one many-to-many relation on a unique pair, so no duplicates.
    return trades.prefetch_related("sectors", "qualification_levels").order_by("title")


def trade_detail(slug: str) -> Trade | None:
    """One trade with everything its page shows, or None."""
    return (
        Trade.objects.prefetch_related(
            "naf_divisions",
            "sectors",
            "branches",
            "qualification_levels",
            "appellations",
        )
        .filter(slug=slug)
        .first()
    )


def featured_trades(limit: int = 12) -> QuerySet[Trade]:
    """The trades industry recruits most (with our description), by title."""
    return (
        Trade.objects.filter(is_featured=True)
        .prefetch_related("sectors", "qualification_levels")
        .order_by("title")[:limit]
    )
