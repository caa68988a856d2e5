"""The durable buffer: nothing acknowledged is lost, nothing is stored twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from vocations.analytics.models import Visit, VisitBuffer, VisitHourly
from vocations.analytics.services import build_visit, record_visit
from vocations.analytics.services.buffer import DatabaseBuffer, DirectBuffer, get_buffer
from vocations.analytics.services.flusher import flush
from vocations.analytics.tasks import flush_visits

from .support import TEST_UA, request

pytestmark = pytest.mark.django_db


def _visits(n: int, when=None) -> list[dict]:
    req = request("/evenements/", ua=TEST_UA)
    return [build_visit(req, landing_path="/evenements/", now=when) for _ in range(n)]


def test_direct_buffer_writes_at_once(world, settings):
    assert isinstance(get_buffer(), DirectBuffer)
    record_visit(visit=_visits(1)[0])
    assert Visit.objects.count() == 1


def test_unknown_backend_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ANALYTICS_BUFFER = "memcached"
    with pytest.raises(ImproperlyConfigured, match="ANALYTICS_BUFFER"):
        get_buffer()


def test_database_buffer_flushes_in_batches_and_rolls_up(world, settings):
    settings.ANALYTICS_BUFFER = "database"
    for visit in _visits(25):
        record_visit(visit=visit)
    assert Visit.objects.count() == 0 and VisitBuffer.objects.count() == 25
    assert flush_visits() == 25
    assert Visit.objects.count() == 25 and VisitBuffer.objects.count() == 0
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 25
    assert flush_visits() == 0


def test_replayed_items_are_stored_once(world):
    buffer = DatabaseBuffer()
    visits = _visits(5)
    for visit in visits + visits[:3]:  # the same keys pushed twice (a replayed batch)
        buffer.push(visit)
    assert flush(buffer=buffer, batch_size=2) == 8
    assert Visit.objects.count() == 5


def test_a_batch_that_fails_mid_way_stays_in_the_buffer(world, monkeypatch):
    buffer = DatabaseBuffer()
    for visit in _visits(6):
        buffer.push(visit)

    def boom(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr("vocations.analytics.services.flusher.store_and_fold", boom)
    with pytest.raises(RuntimeError):
        flush(buffer=buffer, batch_size=4)
    monkeypatch.undo()
    assert VisitBuffer.objects.filter(status="pending").count() == 6
    assert flush(buffer=buffer) == 6
    assert Visit.objects.count() == 6


def test_stale_claims_of_a_dead_worker_are_reclaimed(world):
    dead, alive = DatabaseBuffer("dead"), DatabaseBuffer("alive")
    for visit in _visits(4):
        dead.push(visit)
    batch = dead.claim_batch(3)  # claimed outside a transaction, never acknowledged
    assert len(batch.items) == 3
    assert len(alive.claim_batch(10).items) == 1  # the claimed rows are not taken twice
    VisitBuffer.objects.filter(claimed_by=batch.token).update(
        claimed_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert alive.recover() == 3
    assert flush(buffer=alive) == 3 + 0  # the 4th is still claimed by "alive"'s earlier batch
    assert Visit.objects.count() == 3


def test_flush_is_safe_inside_an_outer_transaction(world):
    buffer = DatabaseBuffer()
    for visit in _visits(3):
        buffer.push(visit)
    with transaction.atomic():
        assert flush(buffer=buffer) == 3
    assert Visit.objects.count() == 3
