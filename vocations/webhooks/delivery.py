"""One attempt at a delivery: claim it, POST the signed JSON, write down what happened.

Retries are the worker's (tasks.py, Celery ``retry``) with exponential backoff: 1, 2, 4, 8,
16, 32, 64 minutes, so eight attempts over about two hours; then the delivery is "failed" and
the organizer can send it again from the back-office. Any 2xx is success; a redirect is not
followed (it could lead inside our network) and counts as a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .addresses import allow_private_urls, is_public, resolve
from .models import WebhookDelivery
from .signing import HEADER, sign

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60
TIMEOUT_SECONDS = 10
# A delivery left "sending" this long ago belongs to a worker that died: it may be claimed.
STALE_SENDING = dt.timedelta(minutes=5)
USER_AGENT = "Vocations-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None  # seconds until the next attempt, when there is one


def backoff(attempts: int) -> int:
    """Seconds before the next attempt, after ``attempts`` failed ones (1 → 60 s, 2 → 120 s…)."""
    return RETRY_BASE_SECONDS * 2 ** (attempts - 1)


def _claim(delivery_id: int, now) -> bool:
    # A guarded UPDATE: of two workers holding the same message, one sends.
    claimable = Q(status__in=[Status.PENDING, Status.RETRYING]) | Q(
        status=Status.SENDING, last_attempt_at__lt=now - STALE_SENDING
    )
    return bool(
        WebhookDelivery.objects.filter(claimable, pk=delivery_id).update(
            status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
        )
    )


def _private_target(url: str) -> str:
    """The private address ``url`` leads to now, or ""."""
    if allow_private_urls():
        return ""
    parts = urlsplit(url)
    for ip in resolve(parts.hostname or "", parts.port or 443):
        if not is_public(ip):
            return str(ip)
    return ""


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(response code, error) of one POST; never raises for a network problem."""
    private = _private_target(delivery.webhook.url)
    if private:
        return None, f"Adresse privée refusée ({private})."
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Vocations-Event": delivery.event_type,
        "X-Vocations-Delivery": str(delivery.uuid),
        HEADER: sign(secret=delivery.webhook.secret, timestamp=timestamp, body=body),
    }
    try:
        response = requests.post(
            delivery.webhook.url,
            data=body,
            headers=headers,
            timeout=getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", TIMEOUT_SECONDS),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"Pas de réponse : {type(exc).__name__}."[:300]
    response.close()
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"Réponse HTTP {response.status_code}."


def delivery_attempt(*, delivery_id: int, can_retry: bool = True) -> Outcome:
    """Send ``delivery_id`` once and record it; says whether and when to try again.

    ``can_retry`` is False when no later attempt can happen (no worker: tasks run inline)."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return Outcome(status="skipped")
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if not delivery.webhook.is_active:
        code, error = None, "Webhook désactivé : envoi abandonné."
        can_retry = False
    else:
        code, error = _post(delivery)
    if not error:
        status, retry_in = Status.SUCCEEDED, None
    elif can_retry and delivery.attempts < MAX_ATTEMPTS and not error.startswith("Adresse"):
        status, retry_in = Status.RETRYING, backoff(delivery.attempts)
    else:
        status, retry_in = Status.FAILED, None
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        response_code=code,
        error=error,
        next_retry_at=now + dt.timedelta(seconds=retry_in) if retry_in else None,
    )
    if status == Status.FAILED:
        logger.warning("Webhook delivery %s failed for good: %s", delivery_id, error)
    return Outcome(status=status, retry_in=retry_in)


def delivery_log_purge() -> int:
    """Delete finished deliveries older than ``settings.WEBHOOK_LOG_DAYS``: the log is for
    checking recent sends, and each payload is a copy of a registrant's data."""
    cutoff = timezone.now() - dt.timedelta(days=settings.WEBHOOK_LOG_DAYS)
    finished = [Status.SUCCEEDED, Status.FAILED]
    deleted, _ = WebhookDelivery.objects.filter(created_at__lt=cutoff, status__in=finished).delete()
    return deleted
