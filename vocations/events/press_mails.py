"""Mails of a press accreditation: the journalist's acknowledgement on request, then the
organizer's acceptance or refusal (the press page promises "vous répondra par e-mail").

Queued by the accreditation services after commit, retried by the worker; a failure is
recorded on the accreditation (``mail_failed_kind``, ``mail_failed_at``) like a registration's.
Outside ``services`` for the same reason as vocations/events/mails.py.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vocations.core.text import single_line
from vocations.events.links import event_url, place_line
from vocations.events.models import PressAccreditation

logger = logging.getLogger(__name__)
MAIL_RETRIES = 5
Status = PressAccreditation.Status

SUBJECTS = {
    "received": "Demande d'accréditation reçue : {title}",
    "accepted": "Accréditation presse acceptée : {title}",
    "refused": "Accréditation presse refusée : {title}",
}
# Sent only while the request is in this state (None: whatever became of it since).
REQUIRED_STATUS = {"received": None, "accepted": Status.ACCEPTED, "refused": Status.REFUSED}


def accreditation_email_send(*, accreditation_id: int, kind: str) -> int:
    accreditation = (
        PressAccreditation.objects.select_related("event__commune")
        .filter(pk=accreditation_id)
        .first()
    )
    if accreditation is None:
        return 0
    wanted = REQUIRED_STATUS[kind]
    if wanted is not None and accreditation.status != wanted:
        return 0
    event = accreditation.event
    context = {
        "kind": kind,
        "accreditation": accreditation,
        "event": event,
        "starts_at": timezone.localtime(event.starts_at),
        "place": place_line(event),
        "event_url": event_url(event),
    }
    message = EmailMultiAlternatives(
        single_line(SUBJECTS[kind].format(title=event.title)),
        render_to_string("events/emails/accreditation.txt", context),
        to=[accreditation.email],
    )
    message.attach_alternative(
        render_to_string("events/emails/accreditation.html", context), "text/html"
    )
    return message.send()


def _failed(accreditation_id: int, kind: str) -> None:
    PressAccreditation.objects.filter(pk=accreditation_id).update(
        mail_failed_kind=kind, mail_failed_at=timezone.now()
    )


def _succeeded(accreditation_id: int) -> None:
    PressAccreditation.objects.filter(pk=accreditation_id, mail_failed_at__isnull=False).update(
        mail_failed_kind="", mail_failed_at=None
    )


@shared_task(
    name="vocations.events.tasks.send_accreditation_email", bind=True, max_retries=MAIL_RETRIES
)
def send_accreditation_email(self, accreditation_id: int, kind: str) -> int:
    """The journalist's mail; a failure is recorded, then retried (1, 2, 4, 8, 16 minutes)."""
    try:
        sent = accreditation_email_send(accreditation_id=accreditation_id, kind=kind)
    except Exception as exc:
        _failed(accreditation_id, kind)
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Accreditation mail %s for %s failed", kind, accreditation_id)
            return 0
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    if sent:
        _succeeded(accreditation_id)
    return sent


def queue_accreditation_email(accreditation_id: int, kind: str) -> None:
    """Queue the mail once the transaction commits; nothing goes out on a rollback."""

    def enqueue() -> None:
        try:
            send_accreditation_email.delay(accreditation_id, kind)
        except Exception:
            logger.exception("Accreditation mail %s for %s not queued", kind, accreditation_id)
            _failed(accreditation_id, kind)

    transaction.on_commit(enqueue)
