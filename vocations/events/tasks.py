from celery import shared_task

from vocations.events.services.notifications import label_notification_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_label_notification(transition_id: int) -> int:
    return label_notification_send(transition_id=transition_id)
