"""Reads of the planner: the measured history of a campaign per channel and day, the need
index per département, what the last measured wave bought, the plans of a campaign."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from vocations.ambassadors.selectors import members_by_department
from vocations.analytics.models import Attribution
from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, TrackedLink, Wave
from vocations.events.models import Event
from vocations.territories.models import Department
from vocations.territories.selectors import difficult_share, hiring_need_by_department

from .model import Series
from .models import Plan

TAIL_DAYS = 14  # registrations still come in after a wave ends (carry-over)


def plan_list(campaign: Campaign) -> list[Plan]:
    """A campaign's plans, newest first, with their wave (one query)."""
    return list(
        Plan.objects.filter(campaign=campaign)
        .select_related("wave", "created_by")
        .defer("result", "inputs")
    )


def campaign_waves(campaign: Campaign):
    """A campaign's waves in order: a queryset, the plan form's choice field needs one."""
    return Wave.objects.filter(campaign=campaign).order_by("number")


def plans_to_compare(campaign: Campaign, ids: list[int]) -> list[Plan]:
    """The finished plans of a campaign among ``ids``, oldest first (one query)."""
    return list(
        Plan.objects.filter(campaign=campaign, pk__in=ids, status=Plan.Status.DONE)
        .select_related("wave")
        .order_by("created_at", "pk")
    )


def plan_for_campaign(campaign: Campaign, pk: int) -> Plan | None:
    return Plan.objects.filter(campaign=campaign, pk=pk).select_related("wave").first()


def measured_waves(campaign: Campaign, *, before: dt.date | None = None) -> list[Wave]:
    """Waves over (with their carry-over tail) that have spend figures, oldest first."""
    today = before or timezone.localdate()
    waves = Wave.objects.filter(
        campaign=campaign, ends_on__lt=today, placements__figures__metric=MediaFigure.Metric.SPEND
    ).distinct()
    return sorted(waves, key=lambda w: w.starts_on)


def _days(wave: Wave) -> list[dt.date]:
    """The wave's days and its tail, up to yesterday (today is not over)."""
    length = (wave.ends_on - wave.starts_on).days + 1 + TAIL_DAYS
    today = timezone.localdate()
    days = (wave.starts_on + dt.timedelta(days=i) for i in range(length))
    return [d for d in days if d < today]


def wave_series(campaign: Campaign, waves: list[Wave]) -> dict[str, Series]:
    """Per channel, one daily (spend in euros, attributed registrations) pair per wave.

    Spend is each figure's amount spread evenly over its period's days; registrations are
    counted on the day of their last tracked-link visit (last-touch, as the reports do)."""
    channels = list(Channel.values)
    spend = defaultdict(float)
    figures = MediaFigure.objects.filter(
        placement__campaign=campaign,
        placement__wave__in=waves,
        metric=MediaFigure.Metric.SPEND,
    ).values_list("placement__channel", "period_start", "period_end", "value_milli")
    for channel, start, end, milli in figures:
        days = (end - start).days + 1
        for i in range(days):
            spend[channel, start + dt.timedelta(days=i)] += milli / 1000 / 100 / days
    counts = defaultdict(float)
    first = min((w.starts_on for w in waves), default=None)
    if first is not None:
        rows = (
            Attribution.objects.filter(campaign_id=campaign.pk, last_at__date__gte=first)
            .annotate(day=TruncDate("last_at", tzinfo=timezone.get_current_timezone()))
            .values_list("last_channel", "day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for channel, day, n in rows:
            counts[channel, day] += n
    out = {}
    for channel in channels:
        spends, regs = [], []
        for wave in waves:
            days = _days(wave)
            spends.append(np.array([spend.get((channel, d), 0.0) for d in days]))
            regs.append(np.array([counts.get((channel, d), 0.0) for d in days]))
        if sum(float(s.sum()) for s in spends) > 0:
            out[channel] = Series(spend=spends, registrations=regs)
    return out


def wave_amounts(wave: Wave) -> dict[str, float]:
    """Committed euros per channel of a wave."""
    rows = (
        Placement.objects.filter(wave=wave)
        .values("channel")
        .annotate(cents=Sum("committed_cents"))
        .order_by()
    )
    return {r["channel"]: (r["cents"] or 0) / 100 for r in rows}


def wave_quantities(wave: Wave, channel: str) -> int:
    return (
        Placement.objects.filter(wave=wave, channel=channel).aggregate(q=Sum("quantity"))["q"] or 0
    )


def billboard_cities(wave: Wave) -> list[tuple[str, str, str, int]]:
    """(INSEE, city, département code, panels) of a wave's billboard links; panels shared
    evenly between a placement's cities when the plan does not say more."""
    links = list(
        TrackedLink.objects.filter(
            placement__wave=wave, placement__channel=Channel.BILLBOARD, commune__isnull=False
        ).values_list(
            "placement_id",
            "commune__insee_code",
            "commune__name",
            "commune__department__code",
            "placement__quantity",
        )
    )
    per_placement = defaultdict(int)
    for placement_id, *_ in links:
        per_placement[placement_id] += 1
    cities = {}
    for placement_id, insee, name, department, quantity in links:
        panels = (quantity or 0) // per_placement[placement_id]
        prior = cities.get(insee)
        cities[insee] = (insee, name, department, panels + (prior[3] if prior else 0))
    return sorted(cities.values())


def billboard_territories(
    campaign: Campaign, waves: list[Wave]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per département, over the measured waves: registrations attributed (last touch) to
    its billboard city links, and its panels (the weight of its expected share)."""
    rows = (
        Attribution.objects.filter(
            campaign_id=campaign.pk,
            last_channel=Channel.BILLBOARD,
            last_wave_id__in=[w.pk for w in waves],
            last_link__commune__isnull=False,
        )
        .values_list("last_link__commune__department__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    registrations = {code: float(n) for code, n in rows if code}
    panels: dict[str, float] = defaultdict(float)
    for wave in waves:
        for _insee, _name, department, count in billboard_cities(wave):
            if department:
                panels[department] += count
    return registrations, dict(panels)


def need_index(*, difficulty_weight: float) -> tuple[dict[str, float], dict[str, str]]:
    """Département -> hiring need index (mean 1): BMO projects × (1 + w × difficult share),
    and the départements' names. Empty without BMO data."""
    rows = hiring_need_by_department()
    raw = {}
    for row in rows:
        share = (difficult_share(row) or 0) / 100
        raw[row["department_code"]] = row["projects"] * (1 + difficulty_weight * share)
    names = dict(Department.objects.values_list("code", "name"))
    mean = float(np.mean(list(raw.values()))) if raw else 0.0
    if not mean:
        return {}, names
    return {code: value / mean for code, value in raw.items()}, names


def labelled_events_by_department(starts_on: dt.date, ends_on: dt.date) -> dict[str, int]:
    rows = (
        Event.objects.filter(
            label__state="labelled",
            starts_at__date__gte=starts_on,
            starts_at__date__lte=ends_on,
            department__isnull=False,
        )
        .values_list("department__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def ambassadors_by_department() -> dict[str, int]:
    by_id = members_by_department()
    codes = dict(Department.objects.filter(pk__in=by_id).values_list("pk", "code"))
    return {codes[pk]: n for pk, n in by_id.items() if pk in codes}


def measured_by_channel(campaign: Campaign, wave: Wave) -> dict[str, float]:
    """Registrations attributed per channel during a wave and its tail (last touch)."""
    series = wave_series(campaign, [wave])
    return {c: float(s.registrations[0].sum()) for c, s in series.items()}


def department_names() -> dict[str, str]:
    return dict(Department.objects.values_list("code", "name"))
