"""The events app's Celery tasks, found by the worker's autodiscovery.

The mail tasks live next to the mails (vocations.events.mails), which the services queue: were
they here, services and tasks would import each other. Importing that module registers them.
"""

from celery import shared_task

# Importing these modules registers their mail tasks with the worker.
from vocations.events import mails, notices, press_mails  # noqa: F401


@shared_task
def purge_personal_data() -> dict[str, int]:
    from vocations.events.services.retention import personal_data_purge

    return personal_data_purge()


@shared_task(name="vocations.events.tasks.expire_waitlist_offers")
def expire_waitlist_offers() -> int:
    """Unanswered waiting-list offers pass to the next in line (idempotent, beat schedule)."""
    from vocations.events.services import waitlist_offers_expire

    return waitlist_offers_expire()
