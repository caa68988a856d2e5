import logging

from celery import shared_task

from vocations.events.services.mail_failures import (
    registration_email_failed,
    registration_email_succeeded,
)
from vocations.events.services.notifications import label_notification_send
from vocations.events.services.registrations import registration_email_send

logger = logging.getLogger(__name__)
MAIL_RETRIES = 5


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_label_notification(transition_id: int) -> int:
    return label_notification_send(transition_id=transition_id)


@shared_task(bind=True, max_retries=MAIL_RETRIES)
def send_registration_email(self, registration_id: int, kind: str) -> int:
    """Mail about one registration: confirmed, waitlisted, promoted or cancelled.

    Any failure is recorded on the registration (the organizer sees it) before the task retries
    with backoff (1, 2, 4, 8, 16 minutes); a success clears the record.
    """
    try:
        sent = registration_email_send(registration_id=registration_id, kind=kind)
    except Exception as exc:
        registration_email_failed(registration_id=registration_id, kind=kind)
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # Inline (no worker) there is no later: the record is what remains. Logged.
            logger.exception("Registration mail %s for %s failed", kind, registration_id)
            return 0
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    if sent:
        registration_email_succeeded(registration_id=registration_id)
    return sent


@shared_task
def purge_personal_data() -> dict[str, int]:
    from vocations.events.services.retention import personal_data_purge

    return personal_data_purge()
