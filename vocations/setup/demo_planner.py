"""Measured waves drawn from the planner's known curves (vocations/planner/synthetic.py):
daily spend figures per channel and registrations attributed to the channel's link that
respond to that spend with Poisson noise. Used by the planner's tests (and meant for the
demo: see docs/planner.md, "Demo"). Bulk inserts, as the other demo generators.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from vocations.analytics.models import Attribution
from vocations.campaigns.models import Campaign, MediaFigure, Placement, TrackedLink, Wave
from vocations.campaigns.services.links import new_code
from vocations.events.models import Event, Registration
from vocations.planner import synthetic
from vocations.planner.selectors import TAIL_DAYS


def build_measured_waves(
    campaign: Campaign, event: Event, *, amounts: dict[str, float], waves: list[Wave], seed: int
) -> dict[str, object]:
    """For each wave and channel: one national placement (committed = ``amounts[channel]``
    euros), one daily spend figure per day, one tracked link, and registrations at ``event``
    attributed to that link, drawn from the channel's true curve. Returns the true params."""
    rng = np.random.default_rng(seed)
    truths, registrations, attributions = {}, [], []
    for channel, euros in amounts.items():
        spends, placements = [], []
        for i, wave in enumerate(waves):
            days = (wave.ends_on - wave.starts_on).days + 1
            placement = Placement.objects.create(
                campaign=campaign, wave=wave, channel=channel, name=f"{channel} vague {wave.number}",
                scope=Placement.Scope.NATIONAL, starts_on=wave.starts_on, ends_on=wave.ends_on,
                planned_cents=round(euros * 100), committed_cents=round(euros * 100),
            )  # fmt: skip
            link = TrackedLink.objects.create(
                code=new_code(), campaign=campaign, placement=placement, landing_path="/",
                target_kind=TrackedLink.TargetKind.PLACEMENT, label=placement.name,
            )  # fmt: skip
            spend = np.zeros(days + TAIL_DAYS)
            spend[:days] = synthetic.daily_spend(euros, days, i, rng)
            spends.append(spend)
            placements.append((placement, link, wave))
        spending = np.concatenate([s[s > 0] for s in spends])
        truth = synthetic.truth(channel, float(spending.mean()))
        truths[channel] = truth
        figures = []
        for spend, (placement, link, wave) in zip(spends, placements, strict=True):
            counts = synthetic.registrations(truth, spend, rng)
            for d, (amount, count) in enumerate(zip(spend, counts, strict=True)):
                day = wave.starts_on + dt.timedelta(days=d)
                if amount > 0:
                    figures.append(MediaFigure(
                        placement=placement, period_start=day, period_end=day,
                        metric=MediaFigure.Metric.SPEND, value_milli=round(amount * 100) * 1000,
                    ))  # fmt: skip
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(18)))
                for _ in range(int(count)):
                    registrations.append(Registration(
                        event=event, kind="individual", status="confirmed", seats=1,
                        email=f"planificateur-{len(registrations)}@example.org", first_name="Démo", last_name="Planificateur",
                        consent_at=at,
                    ))  # fmt: skip
                    attributions.append((at, link, placement))
        MediaFigure.objects.bulk_create(figures, batch_size=2000)
    created = Registration.objects.bulk_create(registrations, batch_size=2000)
    Attribution.objects.bulk_create(
        [
            Attribution(
                registration_id=registration.pk, campaign_id=campaign.pk,
                **{f"{touch}_{name}": value for touch in ("first", "last") for name, value in (
                    ("visit_key", f"k{registration.pk}"), ("at", at), ("link_id", link.pk),
                    ("placement_id", placement.pk), ("wave_id", placement.wave_id),
                    ("channel", placement.channel),
                )},
            )
            for registration, (at, link, placement) in zip(created, attributions, strict=True)
        ],
        batch_size=2000,
    )  # fmt: skip
    return truths
