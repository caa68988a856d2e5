"""Builds the inputs of the coverage computation (coverage.py) from the database.

Mobilisation on an event: the placements of its campaign's waves running on the event's day
whose territory contains the event's; the event's own audiences. Mobilisation on a wave: every
placement of the wave. Département: the placements running on a day that cover it, and the
published events held there in the next 90 days. Fixed query counts (no query per row).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum
from django.utils import timezone

from vocations.campaigns.models import MediaFigure, Placement
from vocations.events.models import Event, EventAudience

from .coverage import MemberNetworkIn, PlacementIn, Territory, compute_coverage
from .models import Ambassador, Mobilisation
from .selectors import networks_of_members

UPCOMING_DAYS = 90


def territory_of(department=None, region=None) -> Territory:
    if department is not None:
        return Territory(
            region=department.region.code if department.region_id else "",
            department=department.code,
            label=f"{department.name} ({department.code})",
        )
    if region is not None:
        return Territory(region=region.code, label=region.name)
    return Territory()


def _placement_territory(p: Placement) -> Territory:
    department = p.department or (p.commune.department if p.commune_id else None)
    return territory_of(department, p.region if department is None else None)


def _placements_in(queryset) -> list[PlacementIn]:
    """Placements with their audiences (branch message) and reported reach. Three queries."""
    placements = list(
        queryset.select_related(
            "region", "department__region", "commune__department__region"
        ).prefetch_related("branch_message__audiences")
    )
    reach: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        MediaFigure.objects.filter(
            placement__in=[p.pk for p in placements],
            metric__in=[MediaFigure.Metric.IMPRESSIONS, MediaFigure.Metric.CONTACTS],
        )
        .values("placement_id", "metric")
        .annotate(total=Sum("value_milli"))
        .order_by()
    ):
        reach[row["placement_id"]][row["metric"]] = int(row["total"] or 0) // 1000
    result = []
    for p in placements:
        audiences = frozenset(
            a.audience for a in (p.branch_message.audiences.all() if p.branch_message else [])
        )
        figures = reach.get(p.pk, {})
        result.append(
            PlacementIn(
                id=p.pk,
                name=p.name,
                channel=p.channel,
                audiences=audiences,
                territory=_placement_territory(p),
                reach=figures.get("impressions") or figures.get("contacts", 0),
            )
        )
    return result


def members_in(collective) -> list[MemberNetworkIn]:
    return [
        MemberNetworkIn(
            ambassador_id=n.ambassador_id,
            name=n.ambassador.display_name,
            network=n.network,
            audiences=frozenset(n.audiences),
            audience_size=n.audience_size,
            territory=territory_of(n.ambassador.department),
            themes=frozenset(t.pk for t in n.ambassador.themes.all()),
        )
        for n in networks_of_members(collective)
    ]


def mobilisation_coverage(mobilisation: Mobilisation):
    themes = frozenset(t.pk for t in mobilisation.themes.all())
    if mobilisation.wave_id:
        placements = _placements_in(Placement.objects.filter(wave_id=mobilisation.wave_id))
        territories = sorted(
            {p.territory for p in placements if not p.territory.is_national},
            key=lambda t: (t.region, t.department),
        )
        event_audiences: frozenset[str] = frozenset()
        label = mobilisation.wave.name
    else:
        event = mobilisation.event
        here = territory_of(event.department, event.region)
        day = timezone.localdate(event.starts_at)
        placements = []
        if mobilisation.campaign_id:
            candidates = _placements_in(
                Placement.objects.filter(
                    campaign_id=mobilisation.campaign_id,
                    wave__starts_on__lte=day,
                    wave__ends_on__gte=day,
                )
            )
            placements = [p for p in candidates if p.territory.contains(here)]
        territories = [] if here.is_national else [here]
        event_audiences = frozenset(
            EventAudience.objects.filter(event=event).values_list("audience", flat=True)
        )
        label = here.label
    return compute_coverage(
        placements=placements,
        event_audiences=event_audiences,
        members=members_in(mobilisation.collective),
        target_audiences=frozenset(mobilisation.target_audiences),
        territories=territories,
        themes=themes,
        territory_label=label,
    )


def department_coverage(collective, department, *, on: dt.date | None = None):
    """Which audiences no action reaches in this département, and who can fill the gaps;
    ``residents`` are the members who live there."""
    on = on or timezone.localdate()
    here = territory_of(department)
    candidates = _placements_in(
        Placement.objects.filter(starts_on__lte=on, ends_on__gte=on).filter(
            Q(scope=Placement.Scope.NATIONAL)
            | Q(region_id=department.region_id)
            | Q(department=department)
            | Q(commune__department=department)
        )
    )
    placements = [p for p in candidates if p.territory.contains(here)]
    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    events = Event.objects.filter(
        department=department,
        is_published=True,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=UPCOMING_DAYS),
    )
    event_audiences = frozenset(
        EventAudience.objects.filter(event__in=events).values_list("audience", flat=True)
    )
    matrix = compute_coverage(
        placements=placements,
        event_audiences=event_audiences,
        members=members_in(collective),
        territories=[here],
        territory_label=here.label,
    )
    residents = list(
        Ambassador.objects.filter(
            collective=collective, status=Ambassador.Status.ACTIVE, department=department
        ).order_by("display_name", "pk")
    )
    return matrix, residents, events.count()
