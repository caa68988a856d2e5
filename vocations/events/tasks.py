from celery import shared_task

from vocations.events.services.notifications import label_notification_send
from vocations.events.services.registrations import registration_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_label_notification(transition_id: int) -> int:
    return label_notification_send(transition_id=transition_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_registration_email(registration_id: int, kind: str) -> int:
    """Mail about one registration: confirmed, waitlisted, promoted or cancelled."""
    return registration_email_send(registration_id=registration_id, kind=kind)


@shared_task
def purge_personal_data() -> dict[str, int]:
    from vocations.events.services.retention import personal_data_purge

    return personal_data_purge()
