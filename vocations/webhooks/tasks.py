"""The worker's side: one task per delivery, retried with exponential backoff (delivery.py)."""

from __future__ import annotations

from celery import shared_task

from .delivery import MAX_ATTEMPTS, delivery_attempt, delivery_log_purge


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def deliver_webhook(self, delivery_id: int) -> str:
    # Inline (no worker, development) there is no later: one attempt, then the log says so.
    outcome = delivery_attempt(delivery_id=delivery_id, can_retry=not self.request.is_eager)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task
def purge_delivery_log() -> int:
    """Daily (beat): forget deliveries older than WEBHOOK_LOG_DAYS (their payloads)."""
    return delivery_log_purge()
