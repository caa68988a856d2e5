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
from vocations.core.db import update_rows
from vocations.events.models import Event, Registration
from vocations.planner import synthetic
from vocations.planner.selectors import TAIL_DAYS
from vocations.setup.first_fit import FirstFit
from vocations.territories.models import Commune


def build_measured_waves(
    campaign: Campaign,
    event: Event,
    *,
    amounts: dict[str, float],
    waves: list[Wave],
    seed: int,
    quantities: dict[str, int] | None = None,
    cities: list[Commune] = (),
) -> dict[str, object]:
    """For each wave and channel: one national placement (committed = ``amounts[channel]``
    euros, ``quantities[channel]`` units), one daily spend figure per day, one tracked link
    (one per city of ``cities`` for billboards), and registrations at ``event`` attributed to
    that link, drawn from the channel's true curve. Returns the true params."""
    quantities = quantities or {}
    rng = np.random.default_rng(seed)
    truths, registrations, attributions = {}, [], []
    for channel, euros in amounts.items():
        spends, placements = [], []
        for i, wave in enumerate(waves):
            days = (wave.ends_on - wave.starts_on).days + 1
            placement = Placement.objects.create(
                campaign=campaign,
                wave=wave,
                channel=channel,
                name=f"{channel} vague {wave.number}",
                scope=Placement.Scope.NATIONAL,
                starts_on=wave.starts_on,
                ends_on=wave.ends_on,
                planned_cents=round(euros * 100),
                committed_cents=round(euros * 100),
                quantity=quantities.get(channel, 0),
            )
            link = TrackedLink.objects.create(
                code=new_code(),
                campaign=campaign,
                placement=placement,
                landing_path="/",
                target_kind=TrackedLink.TargetKind.PLACEMENT,
                label=placement.name,
            )
            city_links = []
            if channel == "billboard":
                for city in cities:
                    city_link = TrackedLink.objects.create(
                        code=new_code(),
                        campaign=campaign,
                        placement=placement,
                        landing_path="/",
                        target_kind=TrackedLink.TargetKind.PLACEMENT,
                        label=f"{placement.name} — {city.name}",
                        commune=city,
                    )
                    city_links.append((city_link, city.department.code))
            spend = np.zeros(days + TAIL_DAYS)
            spend[:days] = synthetic.daily_spend(euros, days, i, rng)
            spends.append(spend)
            placements.append((placement, link, wave, city_links))
        spending = np.concatenate([s[s > 0] for s in spends])
        truth = synthetic.truth(channel, float(spending.mean()))
        truths[channel] = truth
        figures = []
        for spend, (placement, link, wave, city_links) in zip(spends, placements, strict=True):
            counts = synthetic.registrations(truth, spend, rng)
            # Billboard registrations come through the city links, each city's panels
            # (shared evenly) weighted by its département's known multiplier.
            city_weights = np.array([synthetic.territory_truth(d) for _, d in city_links])
            for d, (amount, count) in enumerate(zip(spend, counts, strict=True)):
                day = wave.starts_on + dt.timedelta(days=d)
                if amount > 0:
                    figures.append(
                        MediaFigure(
                            placement=placement,
                            period_start=day,
                            period_end=day,
                            metric=MediaFigure.Metric.SPEND,
                            value_milli=round(amount * 100) * 1000,
                        )
                    )
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(18)))
                for _ in range(int(count)):
                    registrations.append(
                        Registration(
                            event=event,
                            kind="individual",
                            status="confirmed",
                            seats=1,
                            email=f"planificateur-{len(registrations)}@example.org",
                            first_name="Démo",
                            last_name="Planificateur",
                            consent_at=at,
                        )
                    )
                    via = link
                    if city_links:
                        pick = rng.choice(len(city_links), p=city_weights / city_weights.sum())
                        via = city_links[pick][0]
                    attributions.append((at, via, placement))
        MediaFigure.objects.bulk_create(figures, batch_size=2000)
    created = Registration.objects.bulk_create(registrations, batch_size=2000)
    Attribution.objects.bulk_create(
        [
            Attribution(
                registration_id=registration.pk,
                campaign_id=campaign.pk,
                **{
                    f"{touch}_{name}": value
                    for touch in ("first", "last")
                    for name, value in (
                        ("visit_key", f"k{registration.pk}"),
                        ("at", at),
                        ("link_id", link.pk),
                        ("placement_id", placement.pk),
                        ("wave_id", placement.wave_id),
                        ("channel", placement.channel),
                    )
                },
            )
            for registration, (at, link, placement) in zip(created, attributions, strict=True)
        ],
        batch_size=2000,
    )
    return truths


def shape_demo_attributions(seed: int) -> dict[str, int]:
    """The demo campaign's attributed registrations of its measured waves, re-dated so that
    each channel's daily count follows its known curve (synthetic.TRUTH) of the daily spend
    the media figures report, with multinomial noise.

    The number of attributions is kept (the analytics demo made them from the demo
    registrations); only which channel's link brought each one, and when, changes — so the
    campaign report's sums still reconcile. ``beta`` is scaled to that number; the
    half-saturation and carry-over parameters are the generator's (checked by the tests)."""
    from vocations.campaigns.demo import SLUG
    from vocations.planner.selectors import measured_waves, wave_series

    campaign = Campaign.objects.filter(slug=SLUG).first()
    if campaign is None:
        return {}
    today = timezone.localdate()
    waves = measured_waves(campaign)
    if not waves:
        return {}
    series = wave_series(campaign, waves)
    cells, weights = [], []
    for channel, history in series.items():
        if channel not in synthetic.TRUTH:
            continue
        spending = np.concatenate([s[s > 0] for s in history.spend])
        truth = synthetic.truth(channel, float(spending.mean()))
        for wave, spend in zip(waves, history.spend, strict=True):
            for d, expected in enumerate(truth.daily(spend)):
                day = wave.starts_on + dt.timedelta(days=d)
                if day < today and expected > 0:
                    cells.append((channel, wave, day))
                    weights.append(expected)
    attributions = list(
        Attribution.objects.filter(campaign_id=campaign.pk, last_wave_id__in=[w.pk for w in waves])
        .select_related("registration__event")
        .order_by("pk")
    )
    if not attributions or not cells:
        return {}
    rng = np.random.default_rng(seed)
    links: dict[tuple[int, str], list[TrackedLink]] = {}
    for link in TrackedLink.objects.filter(placement__wave__in=waves).select_related(
        "placement", "commune__department"
    ):
        links.setdefault((link.placement.wave_id, link.placement.channel), []).append(link)
    # Billboards: registrations come through the city links, each in proportion to its
    # panels (its placement's shared evenly between its cities) × its département's known
    # multiplier (synthetic.TERRITORY_TRUTH), which the planner's per-territory fit must find.
    link_weights = {}
    for key, choices in links.items():
        cities = [link for link in choices if link.commune_id]
        if key[1] != "billboard" or not cities:
            continue
        per_placement: dict[int, int] = {}
        for link in cities:
            per_placement[link.placement_id] = per_placement.get(link.placement_id, 0) + 1
        per_link = np.array(
            [
                (link.placement.quantity or 1)
                / per_placement[link.placement_id]
                * synthetic.territory_truth(link.commune.department.code)
                for link in cities
            ]
        )
        links[key] = cities
        link_weights[key] = per_link / per_link.sum()

    # A registration can be re-dated only inside its event's registration window: windows as
    # plain timestamps (this loop runs millions of times on the demo).
    def window(attribution) -> tuple[float, float]:
        event = attribution.registration.event
        opens = event.registration_opens_at.timestamp() if event.registration_opens_at else 0.0
        return opens, (event.starts_at - dt.timedelta(hours=2)).timestamp()

    windows = [window(a) for a in attributions]
    pool = FirstFit(windows)
    # Each wave can take only the registrations whose event was open to registration then:
    # the total drawn is scaled so that every wave's expected share fits in what it can take
    # (otherwise an early wave would come out empty and the curves would seem to change from
    # wave to wave), and the cells are filled in random order so that channels share a
    # period's registrations fairly.
    weights = np.array(weights)
    share = {}
    for wave in waves:
        first = dt.datetime.combine(wave.starts_on, dt.time(0)).timestamp()
        last = dt.datetime.combine(
            wave.ends_on + dt.timedelta(days=TAIL_DAYS + 1), dt.time(0)
        ).timestamp()
        fits = sum(1 for o, c in windows if o < last and c > first)
        expected = weights[[i for i, cell in enumerate(cells) if cell[1] == wave]].sum()
        share[wave.pk] = fits / (expected / weights.sum()) if expected else np.inf
    total = min(len(attributions), int(0.8 * min(share.values())))
    counts = rng.multinomial(total, weights / weights.sum())
    moved = []
    order = rng.permutation(len(cells))
    for (channel, wave, day), count in ((cells[i], counts[i]) for i in order):
        choices = links.get((wave.pk, channel))
        for _ in range(int(count)):
            at = timezone.make_aware(
                dt.datetime.combine(day, dt.time(int(rng.integers(8, 23)), int(rng.integers(60))))
            )
            # A registration can be re-dated only inside its event's registration window.
            stamp = at.timestamp()
            if not choices:
                continue
            index = pool.take(stamp)
            if index is None:
                continue
            attribution = attributions[index]
            if (wave.pk, channel) in link_weights:
                link = choices[int(rng.choice(len(choices), p=link_weights[wave.pk, channel]))]
            else:
                link = choices[int(rng.integers(len(choices)))]
            for touch in ("first", "last"):
                setattr(attribution, f"{touch}_at", at)
                setattr(attribution, f"{touch}_link_id", link.pk)
                setattr(attribution, f"{touch}_placement_id", link.placement_id)
                setattr(attribution, f"{touch}_wave_id", wave.pk)
                setattr(attribution, f"{touch}_channel", channel)
            registration = attribution.registration
            # Registered a little after the visit, and never after its event began.
            registration.created_at = min(
                at + dt.timedelta(minutes=int(rng.integers(2, 90))),
                registration.event.starts_at - dt.timedelta(hours=1),
            )
            moved.append(attribution)
    fields = [
        f"{t}_{n}"
        for t in ("first", "last")
        for n in ("at", "link_id", "placement_id", "wave_id", "channel")
    ]
    # One UPDATE … FROM VALUES per batch (bulk_update's CASE took minutes on PostgreSQL).
    update_rows(Attribution, fields, [(a.pk, *(getattr(a, f) for f in fields)) for a in moved])
    update_rows(
        Registration,
        ["created_at"],
        [(a.registration_id, a.registration.created_at) for a in moved],
    )
    return {"inscriptions attribuées selon les courbes du planificateur": len(moved)}
