"""Incremental roll-ups equal a full recompute, whatever the batches (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from vocations.analytics.models import RollupSeen, Visit, VisitDaily, VisitHourly
from vocations.analytics.privacy import new_visit_key
from vocations.analytics.services.buffer import DatabaseBuffer
from vocations.analytics.services.flusher import flush
from vocations.analytics.services.rollups import rollup_visits

pytestmark = pytest.mark.django_db


def _rows(model, period):
    names = ("link_id", "placement_id", "channel", "visits", "unique_visitors")
    extra = ("source", "device") if model is VisitHourly else ()
    return sorted(
        (
            (str(getattr(row, period)), *(getattr(row, n) for n in names + extra))
            for row in model.objects.all()
        ),
        key=repr,
    )


visit = st.fixed_dictionaries(
    {
        "link": st.sampled_from([0, 1, 2, None]),
        "minutes_ago": st.integers(min_value=0, max_value=36 * 60),
        "visitor": st.integers(min_value=0, max_value=6),
        "bot": st.booleans(),
        "source": st.sampled_from(["qr", "click"]),
        "device": st.sampled_from(["mobile", "desktop"]),
    }
)


@hsettings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(visit, min_size=1, max_size=12), min_size=1, max_size=5),
       resend=st.booleans())  # fmt: skip
def test_folding_batches_in_equals_recomputing(world, batches, resend):
    Visit.objects.all().delete()
    VisitHourly.objects.all().delete()
    VisitDaily.objects.all().delete()
    RollupSeen.objects.all().delete()
    links = [world.billboard_link, world.tv_link, world.social_link]
    now = timezone.now()
    buffer = DatabaseBuffer()
    sent = []
    for batch in batches:
        for item in batch:
            link = links[item["link"]] if item["link"] is not None else None
            payload = {
                "visit_key": new_visit_key(),
                "at": (now - dt.timedelta(minutes=item["minutes_ago"])).isoformat(),
                "landing_path": "/",
                "source": item["source"] if link else "direct",
                "link_id": link.pk if link else None,
                "placement_id": link.placement_id if link else None,
                "wave_id": link.placement.wave_id if link else None,
                "campaign_id": link.campaign_id if link else None,
                "channel": link.placement.channel if link else "",
                "referrer": "none",
                "device": item["device"],
                "is_bot": item["bot"],
                "visitor_hash": f"{item['visitor']:016x}",
            }
            buffer.push(payload)
            sent.append(payload)
        flush(buffer=buffer)
    if resend:  # a batch handed out twice (a worker killed before its acknowledgement)
        for payload in sent[:5]:
            buffer.push(payload)
        flush(buffer=buffer)
    folded = _rows(VisitHourly, "hour"), _rows(VisitDaily, "day")
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == sum(
        not p["is_bot"] for p in sent
    )
    rollup_visits(since=now - dt.timedelta(days=3))
    assert (_rows(VisitHourly, "hour"), _rows(VisitDaily, "day")) == folded
