"""Registration mails are never lost silently: queued robustly, retried, failures recorded.

A registrant's mail carries their only link (ticket, cancel). When it cannot be sent (mail
server down, broker down, a bug), the registration is flagged (`mail_failed_kind`,
`mail_failed_at`) and the organizer sees it on the registrations list; the Celery task retries
with backoff, and the flag is cleared as soon as a send succeeds.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from vocations.events.models import Registration

logger = logging.getLogger(__name__)


def queue_registration_email(registration_id: int, kind: str) -> None:
    """Queue the mail once the transaction commits; a failure to queue is recorded, not lost."""

    def enqueue() -> None:
        from vocations.events.tasks import send_registration_email

        try:
            send_registration_email.delay(registration_id, kind)
        except Exception:
            # The registration is committed: the page must not fail, the mail must not vanish.
            logger.exception("Registration mail %s for %s not sent", kind, registration_id)
            registration_email_failed(registration_id=registration_id, kind=kind)

    transaction.on_commit(enqueue)


def registration_email_failed(*, registration_id: int, kind: str) -> None:
    """Record that this registration's mail could not be sent (shown to the organizer)."""
    Registration.objects.filter(pk=registration_id).update(
        mail_failed_kind=kind, mail_failed_at=timezone.now()
    )


def registration_email_succeeded(*, registration_id: int) -> None:
    """Clear a recorded failure once a mail went out (no write when there was none)."""
    Registration.objects.filter(pk=registration_id, mail_failed_at__isnull=False).update(
        mail_failed_kind="", mail_failed_at=None
    )
