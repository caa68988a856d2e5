"""Reads for the careers app; each owns its joins (select/prefetch)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

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


# --------------------------------------------------------------------------------------
# Trades explorer and trade pages (vocations/web/careers)
# --------------------------------------------------------------------------------------


def sector_choices() -> QuerySet[Sector]:
    return Sector.objects.order_by("name").only("slug", "name")


def branch_choices() -> QuerySet[Branch]:
    return Branch.objects.order_by("short_name").only("slug", "short_name", "name")


def trade_ids(condition: Q | None = None) -> list[int]:
    """Ids of the trades matching ``condition``, featured first, then by title (one query)."""
    trades = Trade.objects.all()
    if condition is not None:
        # Filters cross many-to-many relations: a subquery keeps each trade once.
        trades = trades.filter(pk__in=Trade.objects.filter(condition).values("pk"))
    return list(trades.order_by("-is_featured", "title", "pk").values_list("pk", flat=True))


def trades_by_ids(ids: list[int]) -> QuerySet[Trade]:
    """Trades for a page of results, with their sectors and levels (three queries)."""
    return Trade.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("name")), "qualification_levels"
    )


def related_trades(trade: Trade, *, limit: int = 6) -> list[Trade]:
    """Trades of the same ROME domain letter sharing a sector (one query).

    Same professional domain (first three characters, e.g. H29) first, then featured trades.
    """
    sector_ids = [sector.pk for sector in trade.sectors.all()]
    if not sector_ids:
        return []
    candidates = Trade.objects.filter(sectors__in=sector_ids).values("pk")
    trades = list(
        Trade.objects.filter(rome_code__startswith=trade.domain_letter, pk__in=candidates)
        .exclude(pk=trade.pk)
        .only("rome_code", "title", "slug", "is_featured")
    )
    domain = trade.rome_code[:3]
    trades.sort(key=lambda t: (t.rome_code[:3] != domain, not t.is_featured, t.rome_code))
    return trades[:limit]
