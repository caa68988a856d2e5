"""Campaign report details: one placement link by link, and the days around a TV airing.

Reads only the roll-ups (VisitDaily), the media figures and the attributions, like
reports.py; the definitions are in docs/reports.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate

from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, TrackedLink

from .models import Attribution, VisitDaily
from .periods import day_bounds
from .reports import Figures

LINK_GONE_LABEL = "Lien supprimé ou rattaché à un autre emplacement"
# Daily media figures shown beside the visits (a TV airing day has GRP and contacts).
SERIES_METRICS = (
    MediaFigure.Metric.GRP,
    MediaFigure.Metric.CONTACTS,
    MediaFigure.Metric.IMPRESSIONS,
    MediaFigure.Metric.SPEND,
)


@dataclass
class LinkRow:
    link: TrackedLink | None  # None: a link since deleted or moved to another placement
    link_id: int | None
    label: str
    city: str
    figures: Figures


def _attributions(campaign_id: int):
    return Attribution.objects.filter(campaign_id=campaign_id).exclude(
        registration__status="cancelled"
    )


def link_figures(*, placement: Placement) -> list[LinkRow]:
    """One row per link of ``placement`` (e.g. one per billboard city), sorted by registrations
    then visits, links without any figure included. Four queries whatever the number of links:
    links, daily visits, last-touch and first-touch attributions."""
    by_link: dict[int | None, Figures] = defaultdict(Figures)
    links = list(
        TrackedLink.objects.filter(placement=placement)
        .select_related("commune__department")
        .order_by("pk")
    )
    for link in links:
        by_link[link.pk] = Figures()
    for row in (
        VisitDaily.objects.filter(campaign_id=placement.campaign_id, placement_id=placement.pk)
        .values("link_id")
        .annotate(v=Sum("visits"), u=Sum("unique_visitors"))
        .order_by()
    ):
        figures = by_link[row["link_id"]]
        figures.visits += int(row["v"] or 0)
        figures.unique_visitors += int(row["u"] or 0)
    for touch, prefix in (("last", ""), ("first", "first_")):
        for row in (
            _attributions(placement.campaign_id)
            .filter(**{f"{touch}_placement_id": placement.pk})
            .values(f"{touch}_link_id")
            .annotate(
                n=Count("id"),
                seats=Sum("registration__seats"),
                present=Sum("registration__attended"),
            )
            .order_by()
        ):
            figures = by_link[row[f"{touch}_link_id"]]
            for name, value in (
                ("registrations", row["n"]),
                ("seats", int(row["seats"] or 0)),
                ("attendance", int(row["present"] or 0)),
            ):
                setattr(figures, prefix + name, getattr(figures, prefix + name) + value)
    known = {link.pk: link for link in links}
    rows = []
    for link_id, figures in by_link.items():
        link = known.get(link_id) if link_id is not None else None
        if link is None:
            rows.append(LinkRow(None, link_id, LINK_GONE_LABEL, "", figures))
            continue
        city = ""
        if link.commune is not None:
            city = f"{link.commune.name} ({link.commune.department.code})"
        rows.append(LinkRow(link, link_id, link.label or str(link), city, figures))
    rows.sort(key=lambda r: (-r.figures.registrations, -r.figures.visits, r.city, r.label))
    return rows


def link_totals(*, campaign_id: int, link_ids: list[int]) -> dict[int, Figures]:
    """Visits (daily roll-ups) and registrations of both touches for a page of links of one
    campaign. Three queries whatever the number of links (the links page shows hundreds)."""
    totals: dict[int, Figures] = {pk: Figures() for pk in link_ids}
    if not link_ids:
        return totals
    for row in (
        VisitDaily.objects.filter(campaign_id=campaign_id, link_id__in=link_ids)
        .values("link_id")
        .annotate(v=Sum("visits"), u=Sum("unique_visitors"))
        .order_by()
    ):
        totals[row["link_id"]].visits = int(row["v"] or 0)
        totals[row["link_id"]].unique_visitors = int(row["u"] or 0)
    for touch, prefix in (("last", ""), ("first", "first_")):
        for row in (
            _attributions(campaign_id)
            .filter(**{f"{touch}_link_id__in": link_ids})
            .values(f"{touch}_link_id")
            .annotate(n=Count("id"), seats=Sum("registration__seats"))
            .order_by()
        ):
            figures = totals[row[f"{touch}_link_id"]]
            setattr(figures, prefix + "registrations", row["n"])
            setattr(figures, prefix + "seats", int(row["seats"] or 0))
    return totals


def daily_series(
    *,
    campaign: Campaign,
    center: dt.date,
    days: int = 14,
    wave_id: int | None = None,
    channel: str = "",
) -> list[dict[str, Any]]:
    """One row per day in [center - days, center + days]: visits, unique visitors,
    registrations of both touches, and the media figures reported for that very day
    (``period_start == period_end``; weekly figures belong to no single day). ``tv_airing``:
    a TV placement reported contacts or GRP that day. Four queries."""
    start, end = center - dt.timedelta(days=days), center + dt.timedelta(days=days)
    window_start, window_end = day_bounds(start)[0], day_bounds(end)[1]
    visits = VisitDaily.objects.filter(campaign_id=campaign.pk, day__gte=start, day__lte=end)
    media = MediaFigure.objects.filter(
        placement__campaign=campaign,
        period_start__gte=start,
        period_start__lte=end,
        period_end=F("period_start"),
        metric__in=SERIES_METRICS,
    )
    if wave_id:
        visits = visits.filter(wave_id=wave_id)
        media = media.filter(placement__wave_id=wave_id)
    if channel:
        visits = visits.filter(channel=channel)
        media = media.filter(placement__channel=channel)
    by_day: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in visits.values("day").annotate(v=Sum("visits"), u=Sum("unique_visitors")).order_by():
        by_day[row["day"]]["visits"] += int(row["v"] or 0)
        by_day[row["day"]]["unique_visitors"] += int(row["u"] or 0)
    for touch, prefix in (("last", ""), ("first", "first_")):
        attributions = _attributions(campaign.pk)
        if wave_id:
            attributions = attributions.filter(**{f"{touch}_wave_id": wave_id})
        if channel:
            attributions = attributions.filter(**{f"{touch}_channel": channel})
        for row in (
            # The datetime bounds first: the day is only computed for the window's rows.
            attributions.filter(
                registration__created_at__gte=window_start,
                registration__created_at__lt=window_end,
            )
            .annotate(day=TruncDate("registration__created_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by()
        ):
            by_day[row["day"]][f"{prefix}registrations"] += row["n"]
    for row in (
        media.values("period_start", "metric")
        .annotate(
            total=Sum("value_milli"),
            tv=Count("id", filter=Q(placement__channel=Channel.TV)),
        )
        .order_by()
    ):
        day = by_day[row["period_start"]]
        day[row["metric"]] += int(row["total"] or 0) // 1000
        if row["tv"] and row["metric"] in (MediaFigure.Metric.GRP, MediaFigure.Metric.CONTACTS):
            day["tv_airing"] = 1
    series = []
    for i in range((end - start).days + 1):
        day = start + dt.timedelta(days=i)
        values = by_day.get(day, {})
        series.append(
            {
                "day": day,
                "is_center": day == center,
                "tv_airing": bool(values.get("tv_airing")),
                "visits": values.get("visits", 0),
                "unique_visitors": values.get("unique_visitors", 0),
                "registrations": values.get("registrations", 0),
                "first_registrations": values.get("first_registrations", 0),
                "grp": values.get(MediaFigure.Metric.GRP, 0),
                "contacts": values.get(MediaFigure.Metric.CONTACTS, 0),
                "impressions": values.get(MediaFigure.Metric.IMPRESSIONS, 0),
                "spend_cents": values.get(MediaFigure.Metric.SPEND, 0),
            }
        )
    return series


def tv_airing_days(*, campaign: Campaign) -> list[dt.date]:
    """Days a TV placement reported contacts or GRP for that day alone: the choices offered
    as the series' centre. One query."""
    return list(
        MediaFigure.objects.filter(
            placement__campaign=campaign,
            placement__channel=Channel.TV,
            metric__in=(MediaFigure.Metric.GRP, MediaFigure.Metric.CONTACTS),
            period_end=F("period_start"),
        )
        .values_list("period_start", flat=True)
        .distinct()
        .order_by("period_start")
    )
