"""The flusher: buffered visits become Visit rows, then their hours are rolled up.

Apart from the buffer (vocations.analytics.buffer), which only holds and hands out visits, and
from the roll-ups, which ask the buffer whether a flusher runs at all: the flusher uses both.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.db import transaction

from .buffer import get_buffer
from .nginx_links import nginx_dir
from .rollups import rollup_visits
from .storage import store_visits
from .visit_log import ingest as ingest_visit_log


def flush(
    *,
    buffer=None,
    batch_size: int = 1000,
    max_batches: int | None = None,
    lease_seconds: float | None = None,
    pause_in_batch: float = 0.0,
) -> int:
    """Move buffered visits into the Visit table, batch by batch, and roll their hours up.

    Idempotent and safe to run in parallel. ``pause_in_batch`` (seconds, tests only) sleeps
    between a batch's insert and its acknowledgement, to let the kill test strike mid-batch.
    Returns the number of items processed.
    """
    buffer = buffer or get_buffer()
    buffer.recover(lease_seconds=lease_seconds)
    processed = batches = 0
    earliest = None
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            # For the database backend the claim, the insert and the ack commit together.
            batch = buffer.claim_batch(batch_size)
            if not batch.items:
                break
            store_visits(payloads=batch.items)
            if pause_in_batch:
                time.sleep(pause_in_batch)
            if buffer.ack_in_transaction:
                buffer.ack(batch)
        if not buffer.ack_in_transaction:
            buffer.ack(batch)
        processed += len(batch.items)
        batches += 1
        first = min(item["at"] for item in batch.items)
        earliest = first if earliest is None or first < earliest else earliest
    if nginx_dir() is not None:
        # Visits nginx answered itself (tracked links): already anonymous, in its log.
        stats = ingest_visit_log()
        processed += stats["stored"]
        first = stats["earliest"]
        if first is not None and (earliest is None or first < earliest):
            earliest = first
    if earliest is not None:
        rollup_visits(since=datetime.fromisoformat(earliest))
    return processed
