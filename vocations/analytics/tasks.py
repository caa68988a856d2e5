"""Celery tasks. In production celery beat runs them (docs/analytics.md):

    CELERY_BEAT_SCHEDULE = {
        "analytics-flush": {"task": "vocations.analytics.tasks.flush_visits", "schedule": 5.0},
        "analytics-salts": {"task": "vocations.analytics.tasks.rotate_salts", "schedule": 3600.0},
    }

Both take no ids: they claim their work, so running one twice, or two at once, is harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.dispatch import receiver

from . import nginx_links, salts
from .services import buffer, flusher, rollups
from .signals import flush_wanted

logger = logging.getLogger(__name__)


@shared_task(name="vocations.analytics.tasks.flush_visits")
def flush_visits() -> int:
    """Store buffered visits in batches and roll their hours up; with the "direct" buffer
    (visits already stored) roll up what arrived since the last roll-up."""
    processed = flusher.flush()
    if buffer.buffer_name() == "direct":
        rollups.rollup_pending()
    return processed


@receiver(flush_wanted, dispatch_uid="analytics_flush_wanted")
def queue_flush(sender, **kwargs) -> None:
    """The visit service asked for a flush (after its commit): queue the task."""
    try:
        flush_visits.delay()
    except Exception:  # the visit is safe in the buffer; the next gate or beat flushes it
        logger.exception("flush_visits could not be queued")


@shared_task(name="vocations.analytics.tasks.rotate_salts")
def rotate_salts() -> int:
    deleted = salts.rotate_salts()
    # Seen hashes are only needed while their day can still receive visits.
    rollups.purge_seen()
    # nginx hashes with the salts of yesterday, today and tomorrow: hand it the new set.
    nginx_links.export()
    return deleted


@shared_task(
    name="vocations.analytics.tasks.export_nginx_links",
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=5,
)
def export_nginx_links() -> str:
    """Rewrite nginx's link map and handler and reload it (a no-op without ANALYTICS_NGINX_DIR)."""
    return str(nginx_links.export() or "")


def export_nginx_links_soon() -> None:
    """After the commit that changed a link: queue one export (nothing when nginx is not used).

    Until nginx has reloaded, a new link is answered by Django (it is not in the map yet);
    a disabled one is still redirected by nginx for that moment and its visits are stored."""
    if nginx_links.nginx_dir() is None:
        return

    def enqueue() -> None:
        try:
            export_nginx_links.delay()
        except Exception:  # the hourly salt export rewrites the map too
            logger.exception("export_nginx_links could not be queued")

    transaction.on_commit(enqueue)
