"""Campaign media figures of an event: the join between events and campaigns (which never
import each other) for the event outcome report.

An event is linked to a campaign placement by a tracked link that points at the event and
belongs to that placement (e.g. "Réseaux sociaux — L'Usine extraordinaire"). The social
figures of the report are the media figures imported for those placements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max, Min, Sum

from vocations.campaigns.models import MediaFigure, Placement

SOCIAL_METRICS = (
    MediaFigure.Metric.IMPRESSIONS,
    MediaFigure.Metric.ENGAGEMENTS,
    MediaFigure.Metric.VIDEO_VIEWS,
    MediaFigure.Metric.FOLLOWERS,
)


@dataclass(frozen=True)
class EventMediaFigures:
    placements: list[str] = field(default_factory=list)
    # metric → total; a metric never imported is absent (shown "non déclaré", never 0).
    totals: dict[str, int] = field(default_factory=dict)
    period_start: object = None
    period_end: object = None

    def get(self, metric: str) -> int | None:
        return self.totals.get(metric)


def event_media_figures(event_id: int) -> EventMediaFigures:
    """Two queries: the placements linked to the event, their figures by metric."""
    placements = list(
        Placement.objects.filter(links__event_id=event_id)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    if not placements:
        return EventMediaFigures()
    rows = (
        MediaFigure.objects.filter(
            placement_id__in=[pk for pk, _ in placements], metric__in=SOCIAL_METRICS
        )
        .values("metric")
        .annotate(total=Sum("value_milli"), first=Min("period_start"), last=Max("period_end"))
        .order_by()
    )
    rows = list(rows)
    return EventMediaFigures(
        placements=[name for _, name in placements],
        totals={row["metric"]: int(row["total"] or 0) // 1000 for row in rows},
        period_start=min((row["first"] for row in rows), default=None),
        period_end=max((row["last"] for row in rows), default=None),
    )
