"""Celery tasks. In production celery beat runs them (docs/analytics.md):

    CELERY_BEAT_SCHEDULE = {
        "analytics-flush": {"task": "vocations.analytics.tasks.flush_visits", "schedule": 5.0},
        "analytics-salts": {"task": "vocations.analytics.tasks.rotate_salts", "schedule": 3600.0},
    }

Both take no ids: they claim their work, so running one twice, or two at once, is harmless.
"""

from __future__ import annotations

from celery import shared_task

from . import buffer, flusher, rollups, salts


@shared_task(name="vocations.analytics.tasks.flush_visits")
def flush_visits() -> int:
    """Store buffered visits in batches and roll their hours up; with the "direct" buffer
    (visits already stored) roll up what arrived since the last roll-up."""
    processed = flusher.flush()
    if buffer.buffer_name() == "direct":
        rollups.rollup_pending()
    return processed


@shared_task(name="vocations.analytics.tasks.rotate_salts")
def rotate_salts() -> int:
    return salts.rotate_salts()
