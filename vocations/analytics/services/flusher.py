"""The flusher: buffered visits become Visit rows, folded into the roll-ups batch by batch.

Apart from the buffer (buffer.py), which only holds and hands out visits, and from the roll-ups:
the flusher uses both.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from ..nginx_links import nginx_dir
from .buffer import get_buffer
from .increments import store_and_fold
from .rollups import mark_rolled, rollup_visits
from .visit_log import ingest as ingest_visit_log


def flush(
    *,
    buffer=None,
    batch_size: int = 1000,
    max_batches: int | None = None,
    lease_seconds: float | None = None,
    pause_in_batch: float = 0.0,
) -> int:
    """Move buffered visits into the Visit table, batch by batch, folding each batch into the
    roll-ups it touches in the same transaction (increments.py).

    Idempotent and safe to run in parallel. ``pause_in_batch`` (seconds, tests only) sleeps
    between a batch's insert and its acknowledgement, to let the kill test strike mid-batch.
    Returns the number of items processed.
    """
    buffer = buffer or get_buffer()
    started = timezone.now()
    buffer.recover(lease_seconds=lease_seconds)
    processed = batches = 0
    recompute = None
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            # For the database backend the claim, the insert and the ack commit together.
            batch = buffer.claim_batch(batch_size)
            if not batch.items:
                break
            result = store_and_fold(payloads=batch.items)
            if pause_in_batch:
                time.sleep(pause_in_batch)
            if buffer.ack_in_transaction:
                buffer.ack(batch)
        if not buffer.ack_in_transaction:
            buffer.ack(batch)
        processed += len(batch.items)
        batches += 1
        first = result["recompute_since"]
        recompute = first if recompute is None or (first and first < recompute) else recompute
    if nginx_dir() is not None:
        # Visits nginx answered itself (tracked links): already anonymous, in its log.
        stats = ingest_visit_log()
        processed += stats["stored"]
        first = stats["earliest"]
        if first is not None and (recompute is None or first < recompute):
            recompute = first
    if recompute is not None:
        # Visits older than the seen window: their hours and days recomputed from the table.
        rollup_visits(since=recompute)
    if buffer.name != "direct":
        # (With "direct", rollup_pending recomputes from the last mark: not to be moved here.)
        with transaction.atomic():
            mark_rolled(until=started)
    return processed
