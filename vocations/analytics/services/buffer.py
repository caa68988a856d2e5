"""The durable visit buffer: push(visit) in the request, claim_batch(n) / ack(batch) in the flusher.

Backends (``settings.ANALYTICS_BUFFER``):

- ``"direct"`` (embedded default): push writes the Visit row at once; nothing to flush.
- ``"redis"`` (production): RPUSH to one list. A flusher moves a batch into its own processing
  list in one MULTI/EXEC (LMOVE × n), writes it with INSERT … ON CONFLICT DO NOTHING on
  visit_key, then deletes its processing list. A flusher that dies leaves its list behind; the
  next flusher to start moves it back to the queue once the dead one's heartbeat key expired.
- ``"database"``: a VisitBuffer table. A flusher claims rows with a guarded
  ``UPDATE … SET status='claimed' WHERE id IN (…) AND status='pending'``
  (docs/architecture.md rule 4), writes the visits and deletes its rows in one transaction, so a
  kill mid-batch rolls both back; rows claimed longer ago than the lease go back to pending.

Writes are idempotent on visit_key: an item processed twice (a worker killed after its insert but
before its ack) is stored once. So a kill at any point loses nothing and duplicates nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from ..models import VisitBuffer
from .storage import store_visits

DEFAULT_LEASE_SECONDS = 120


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class Batch:
    items: list[dict[str, Any]] = field(default_factory=list)
    token: Any = None


class DirectBuffer:
    name = "direct"
    ack_in_transaction = True

    def push(self, visit: dict[str, Any]) -> None:
        store_visits(payloads=[visit])

    def claim_batch(self, n: int) -> Batch:
        return Batch()

    def ack(self, batch: Batch) -> None:
        return None

    def recover(self, *, lease_seconds: float | None = None) -> int:
        return 0

    def pending(self) -> int:
        return 0


class DatabaseBuffer:
    name = "database"
    # Claim, insert and delete commit together: a kill anywhere rolls the whole batch back.
    ack_in_transaction = True

    def __init__(self, worker: str | None = None) -> None:
        self.worker = worker or worker_name()

    def push(self, visit: dict[str, Any]) -> None:
        VisitBuffer.objects.create(payload=visit)

    def claim_batch(self, n: int) -> Batch:
        token = f"{self.worker}:{secrets.token_hex(4)}"
        pending = VisitBuffer.objects.filter(status=VisitBuffer.Status.PENDING).order_by("id")
        if connection.features.has_select_for_update_skip_locked and connection.in_atomic_block:
            # PostgreSQL: parallel flushers take disjoint batches instead of queueing.
            pending = pending.select_for_update(skip_locked=True)
        ids = list(pending.values_list("id", flat=True)[:n])
        if not ids:
            return Batch()
        # Guarded: a row another flusher claimed in between is not taken twice.
        VisitBuffer.objects.filter(id__in=ids, status=VisitBuffer.Status.PENDING).update(
            status=VisitBuffer.Status.CLAIMED, claimed_by=token, claimed_at=timezone.now()
        )
        rows = VisitBuffer.objects.filter(claimed_by=token, status=VisitBuffer.Status.CLAIMED)
        return Batch(items=[row.payload for row in rows.order_by("id")], token=token)

    def ack(self, batch: Batch) -> None:
        if batch.token:
            VisitBuffer.objects.filter(claimed_by=batch.token).delete()

    def recover(self, *, lease_seconds: float | None = None) -> int:
        lease = DEFAULT_LEASE_SECONDS if lease_seconds is None else lease_seconds
        cutoff = timezone.now() - timezone.timedelta(seconds=lease)
        return VisitBuffer.objects.filter(
            status=VisitBuffer.Status.CLAIMED, claimed_at__lte=cutoff
        ).update(status=VisitBuffer.Status.PENDING, claimed_by="", claimed_at=None)

    def pending(self) -> int:
        return VisitBuffer.objects.count()


class RedisBuffer:
    name = "redis"
    # Deleted from Redis only once the visits are committed in the database.
    ack_in_transaction = False
    QUEUE = "analytics:visits"
    PROCESSING = "analytics:visits:processing:"
    ALIVE = "analytics:visits:alive:"

    def __init__(self, url: str | None = None, worker: str | None = None) -> None:
        import redis

        url = url or getattr(settings, "ANALYTICS_REDIS_URL", "") or settings.REDIS_URL
        if not url:
            raise ImproperlyConfigured('ANALYTICS_BUFFER = "redis" needs REDIS_URL.')
        self.redis = redis.Redis.from_url(url)
        self.worker = worker or worker_name()
        self.processing = self.PROCESSING + self.worker

    def push(self, visit: dict[str, Any]) -> None:
        self.redis.rpush(self.QUEUE, json.dumps(visit, separators=(",", ":")))

    def _heartbeat(self, lease: float) -> None:
        self.redis.set(self.ALIVE + self.worker, "1", ex=max(int(lease), 1))

    def claim_batch(self, n: int) -> Batch:
        self._heartbeat(DEFAULT_LEASE_SECONDS)
        # An earlier batch of ours that was never acknowledged comes first.
        raw = self.redis.lrange(self.processing, 0, -1)
        if not raw:
            pipe = self.redis.pipeline(transaction=True)
            for _ in range(n):
                pipe.lmove(self.QUEUE, self.processing, "LEFT", "RIGHT")
            raw = [item for item in pipe.execute() if item is not None]
        return Batch(items=[json.loads(item) for item in raw], token=self.processing)

    def ack(self, batch: Batch) -> None:
        if batch.token:
            self.redis.delete(batch.token)

    def recover(self, *, lease_seconds: float | None = None) -> int:
        moved = 0
        for key in self.redis.scan_iter(match=self.PROCESSING + "*"):
            name = key.decode() if isinstance(key, bytes) else key
            worker = name[len(self.PROCESSING) :]
            if worker == self.worker or self.redis.exists(self.ALIVE + worker):
                continue
            # Back to the head of the queue, in their order.
            while self.redis.lmove(name, self.QUEUE, "RIGHT", "LEFT") is not None:
                moved += 1
        return moved

    def pending(self) -> int:
        return int(self.redis.llen(self.QUEUE))


BACKENDS = {"direct": DirectBuffer, "database": DatabaseBuffer, "redis": RedisBuffer}


def buffer_name() -> str:
    name = getattr(settings, "ANALYTICS_BUFFER", "direct") or "direct"
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"ANALYTICS_BUFFER={name!r}: expected one of {', '.join(sorted(BACKENDS))}."
        )
    return name


_instances: dict[str, Any] = {}


def get_buffer():
    """The configured backend, one instance per process (the Redis client pools connections)."""
    name = buffer_name()
    if name == "redis":
        if name not in _instances:
            _instances[name] = RedisBuffer()
        return _instances[name]
    return BACKENDS[name]()
