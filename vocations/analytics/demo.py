"""Demo visits for the demo campaign: ~50,000 (small) or ~3,000,000 (large), with peaks after
each TV airing, then the roll-ups, and attributions for a share of the demo registrations.

Rows go in with raw executemany in batches of 10,000 (the ORM would take far longer for 3 M
rows); nothing here is personal: hashes, keys and times are drawn from the seeded generator.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import random

from django.db import connection
from django.db.models import F, Min
from django.utils import timezone

from vocations.campaigns.models import Campaign, Channel, MediaFigure, TrackedLink
from vocations.core.db import update_rows

from .models import Attribution, Visit
from .services.rollups import rollup_visits

VISITS = {"small": 50_000, "large": 3_000_000}
BATCH = 10_000
DIRECT_SHARE = 0.3  # arrivals through no link at all
PEAK_SHARE = 0.35  # visits in the two hours after a TV airing
BOT_SHARE = 0.03
# Share of the demo registrations given to a campaign visit; the large demo attributes most
# of them (the benchmarks need ≥ 100,000 attributions, issue 10) and tries a few other
# registration times when the first falls where the campaign brought no visit.
ATTRIBUTED_SHARE = {"small": 0.4, "large": 0.8}
TRIES = {"small": 1, "large": 4}
# How many visits each channel's links bring, relative to each other.
CHANNEL_WEIGHT = {
    Channel.TV: 22,
    Channel.REPLAY: 8,
    Channel.CINEMA: 6,
    Channel.BILLBOARD: 24,
    Channel.WEB: 12,
    Channel.SOCIAL: 18,
    Channel.INFLUENCE: 6,
    Channel.EVENTS: 3,
    Channel.PRESS: 1,
}
# Share of a normal day's visits per local hour (evening heavy: phones after school and work).
HOURLY = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 6, 6, 6, 7, 8, 9, 10, 11, 10, 6, 3]
DEVICES = (("mobile", 65), ("desktop", 28), ("tablet", 7))
REFERRERS = (("none", 55), ("social", 20), ("search", 12), ("email", 5), ("other", 8))
COLUMNS = (
    "visit_key", "at", "landing_path", "source", "link_id", "placement_id", "wave_id",
    "campaign_id", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content",
    "utm_term", "referrer", "device", "is_bot", "visitor_hash",
)  # fmt: skip


def _key(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def _airings(tv_placements, now: dt.datetime) -> list[dt.datetime]:
    """Prime-time TV spots: the days the media buyers reported for a TV placement alone
    (vocations/campaigns/demo.py), at 20:50, so the visit peaks match the media figures."""
    days = (
        MediaFigure.objects.filter(
            placement__in=list(tv_placements),
            metric=MediaFigure.Metric.GRP,
            period_end=F("period_start"),
        )
        .values_list("period_start", flat=True)
        .distinct()
    )
    airings = [timezone.make_aware(dt.datetime.combine(day, dt.time(20, 50))) for day in days]
    return sorted(at for at in airings if at < now)


def build_visits(rng: random.Random, scale: str) -> dict[str, int]:
    campaign = Campaign.objects.filter(placements__isnull=False).order_by("pk").first()
    if campaign is None or Visit.objects.filter(campaign_id=campaign.pk).exists():
        return {}
    now = timezone.now()
    today = timezone.localdate()
    waves = [w for w in campaign.waves.order_by("number") if w.starts_on <= today]
    links = list(
        TrackedLink.objects.filter(campaign=campaign, placement__wave__in=waves)
        .select_related("placement")
        .order_by("pk")
    )
    if not waves or not links:
        return {}
    links_by_wave: dict[int, list] = {}
    for link in links:
        links_by_wave.setdefault(link.placement.wave_id, []).append(link)
    # A channel's weight is shared by its placement's links (65 billboard cities share one).
    per_placement: dict[int, int] = {}
    for link in links:
        per_placement[link.placement_id] = per_placement.get(link.placement_id, 0) + 1
    weights_by_wave = {
        wave_id: [
            CHANNEL_WEIGHT.get(link.placement.channel, 2) / per_placement[link.placement_id]
            for link in wave_links
        ]
        for wave_id, wave_links in links_by_wave.items()
    }
    spans = []
    for wave in waves:
        start = timezone.make_aware(dt.datetime.combine(wave.starts_on, dt.time.min))
        end = min(timezone.make_aware(dt.datetime.combine(wave.ends_on, dt.time.max)), now)
        if end > start:
            spans.append((wave, start, end))
    tv = [link.placement for link in links if link.placement.channel == Channel.TV]
    airings = _airings({p.pk: p for p in tv}.values(), now)
    total = VISITS.get(scale, VISITS["small"])
    span_weights = [(end - start).total_seconds() for _, start, end in spans]
    devices, device_w = zip(*DEVICES, strict=True)
    referrers, referrer_w = zip(*REFERRERS, strict=True)
    # Fewer distinct people than visits: some come back the same day.
    people = max(int(total * 0.75), 1)
    adapt = connection.ops.adapt_datetimefield_value
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO analytics_visit ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    link_visits: list[tuple[dt.datetime, str, TrackedLink]] = []
    rows = []
    inserted = 0

    def when_in(wave, start, end) -> dt.datetime:
        wave_airings = [a for a in airings if start <= a <= end]
        if wave_airings and rng.random() < PEAK_SHARE:
            at = rng.choice(wave_airings) + dt.timedelta(minutes=rng.expovariate(1 / 25))
        else:
            days = max((end - start).days, 1)
            day = start + dt.timedelta(days=rng.randrange(days))
            hour = rng.choices(range(24), HOURLY)[0]
            at = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        return min(at, end)

    with connection.cursor() as cursor:
        for _ in range(total):
            wave, start, end = rng.choices(spans, span_weights)[0]
            at = when_in(wave, start, end)
            link = None
            if rng.random() >= DIRECT_SHARE and wave.pk in links_by_wave:
                link = rng.choices(links_by_wave[wave.pk], weights_by_wave[wave.pk])[0]
            placement = link.placement if link else None
            key = _key(rng)
            is_bot = rng.random() < BOT_SHARE
            if link is None:
                source = "direct"
            elif placement.channel == Channel.BILLBOARD or rng.random() < 0.15:
                source = "qr"
            else:
                source = "click"
            if link is not None and not is_bot:
                link_visits.append((at, key, link))
            rows.append(
                (
                    key, adapt(at), link.landing_path if link else "/", source,
                    link.pk if link else None, placement.pk if placement else None,
                    placement.wave_id if placement else None, campaign.pk if link else None,
                    placement.channel if placement else "",
                    "avec-lindustrie" if link else "", placement.channel if placement else "",
                    f"vague-{wave.number}" if link else "", "", "",
                    rng.choices(referrers, referrer_w)[0], rng.choices(devices, device_w)[0],
                    is_bot, f"{rng.randrange(people):016x}",
                )
            )  # fmt: skip
            if len(rows) >= BATCH:
                _insert(cursor, sql, rows)
                inserted += len(rows)
                rows = []
        if rows:
            _insert(cursor, sql, rows)
            inserted += len(rows)
    first = Visit.objects.aggregate(first=Min("at"))["first"]
    if first is not None:
        rollup_visits(since=first)
    attributed = _attribute(rng, campaign, link_visits, scale=scale)
    return {"visites": inserted, "attributions": attributed}


def _insert(cursor, sql: str, rows: list[tuple]) -> None:
    """A batch of visits: COPY on PostgreSQL (the 3 M rows of the large demo in minutes, not
    tens of minutes of INSERTs), executemany elsewhere."""
    if connection.vendor != "postgresql":
        cursor.executemany(sql, rows)
        return
    columns = ", ".join(COLUMNS)
    with cursor.cursor.copy(f"COPY analytics_visit ({columns}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row(row)


def _attribute(rng: random.Random, campaign: Campaign, link_visits, *, scale: str) -> int:
    """Attribute a share of the demo registrations to a link visit of the 30 days before.

    Demo registrations are all created "now"; an attributed one is given a plausible time
    instead (within the 30 days before its event, never in the future), so that each wave has
    registrations and the daily series shows them after the visits that brought them."""
    from vocations.events.models import Registration

    if not link_visits:
        return 0
    link_visits.sort(key=lambda item: item[0])
    times = [item[0] for item in link_visits]
    window = dt.timedelta(days=campaign.attribution_window_days)
    now = timezone.now()
    share = ATTRIBUTED_SHARE.get(scale, ATTRIBUTED_SHARE["small"])
    tries = TRIES.get(scale, 1)
    attributions, moved = [], []
    registrations = (
        Registration.objects.filter(attribution__isnull=True)
        .select_related("event")
        .only("pk", "created_at", "event__starts_at", "event__registration_opens_at")
    )
    for registration in registrations.iterator(chunk_size=2000):
        if rng.random() >= share:
            continue
        for _ in range(tries):
            touches = _touches(rng, registration, link_visits, times, window, now)
            if touches is not None:
                break
        if touches is None:
            continue
        first, last, registered = touches
        moved.append((registration.pk, registered))
        attributions.append(
            Attribution(
                registration_id=registration.pk,
                campaign_id=campaign.pk,
                **_touch_fields("first", first),
                **_touch_fields("last", last),
            )
        )
    update_rows(Registration, ["created_at"], moved)
    Attribution.objects.bulk_create(attributions, batch_size=2000)
    return len(attributions)


def _touches(rng: random.Random, registration, link_visits, times, window, now):
    """(first touch, last touch, registration time), or None when no campaign visit of the
    window before a plausible registration time could have brought it."""
    at = min(
        registration.event.starts_at - dt.timedelta(hours=rng.uniform(2, 24 * 30)),
        registration.created_at,
        now,
    )
    hi = bisect.bisect_right(times, at)
    lo = bisect.bisect_left(times, at - window)
    if hi <= lo:
        return None
    last = link_visits[rng.randrange(lo, hi)]
    first = link_visits[rng.randrange(lo, hi)] if rng.random() < 0.3 else last
    first = min(first, last, key=lambda item: item[0])
    # Registered a little after the visit that brought it (never before registration
    # opened: such a visit did not bring this registration).
    registered = min(last[0] + dt.timedelta(minutes=rng.uniform(2, 90)), at)
    opens = registration.event.registration_opens_at
    if opens is not None and registered < opens:
        return None
    return first, last, registered


def _touch_fields(prefix: str, item) -> dict:
    at, key, link = item
    return {
        f"{prefix}_visit_key": key,
        f"{prefix}_at": at,
        f"{prefix}_link_id": link.pk,
        f"{prefix}_placement_id": link.placement_id,
        f"{prefix}_wave_id": link.placement.wave_id,
        f"{prefix}_channel": link.placement.channel,
    }


# The previous flagship edition's social campaign, as l'Usine extraordinaire reported it.
PROMOTION_FIGURES = {
    MediaFigure.Metric.IMPRESSIONS: 2_600_000,
    MediaFigure.Metric.ENGAGEMENTS: 16_400,
    MediaFigure.Metric.VIDEO_VIEWS: 176_500,
    MediaFigure.Metric.FOLLOWERS: 3_400,
    MediaFigure.Metric.SPEND: 45_000_00,
}


def build_event_promotion(rng: random.Random, scale: str) -> dict[str, int]:
    """A social placement of the demo campaign promoting the previous flagship edition, with a
    tracked link to the event and its media figures: the outcome report's social figures."""
    from vocations.campaigns.models import Placement
    from vocations.campaigns.services.links import new_code
    from vocations.events.demo_outcomes import previous_flagship

    campaign = Campaign.objects.filter(placements__isnull=False).order_by("pk").first()
    event = previous_flagship()
    if (
        campaign is None
        or event is None
        or TrackedLink.objects.filter(event=event, placement__isnull=False).exists()
    ):
        return {}
    day = timezone.localdate(event.starts_at)
    wave = campaign.waves.filter(starts_on__lte=day, ends_on__gte=day).first()
    wave = wave or campaign.waves.filter(starts_on__lte=day).order_by("-starts_on").first()
    if wave is None:
        return {}
    placement = Placement.objects.create(
        campaign=campaign,
        wave=wave,
        channel=Channel.SOCIAL,
        name=f"Réseaux sociaux — {event.title}"[:200],
        scope=Placement.Scope.NATIONAL,
        quantity=40,
        unit="publications",
        starts_on=wave.starts_on,
        ends_on=wave.ends_on,
        planned_cents=50_000_00,
        committed_cents=48_000_00,
        landing_path=f"/evenements/{event.slug}/",
    )
    TrackedLink.objects.create(
        code=new_code(),
        campaign=campaign,
        # A placement's link that lands on the event: what ties the event to the placement.
        target_kind=TrackedLink.TargetKind.PLACEMENT,
        placement=placement,
        event=event,
        landing_path=placement.landing_path,
        label=f"Événement — {event.title}"[:200],
    )
    MediaFigure.objects.bulk_create(
        MediaFigure(
            placement=placement,
            period_start=wave.starts_on,
            period_end=wave.ends_on,
            metric=metric,
            value_milli=value * 1000,
        )
        for metric, value in PROMOTION_FIGURES.items()
    )
    return {"emplacements de promotion d'événement": 1}
