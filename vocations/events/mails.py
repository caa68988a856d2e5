"""The mails the worker sends, and their tasks: a label's change of state to the organizer's
team, a registration's confirmation, waiting list, promotion or cancellation.

Outside `services` and `tasks.py` so that the services queue these tasks without the services
and the tasks importing each other (docs/architecture.md).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vocations.accounts.models import Membership
from vocations.core.text import single_line
from vocations.events.models import Label, LabelTransition, Registration

logger = logging.getLogger(__name__)
MAIL_RETRIES = 5

Status = Registration.Status

SUBJECTS = {
    Label.State.SUBMITTED: "Demande de label reçue : {title}",
    Label.State.LABELLED: "Votre événement est labellisé : {title}",
    Label.State.CHANGES_REQUESTED: "Modifications demandées pour le label : {title}",
    Label.State.REFUSED: "Label refusé : {title}",
}


def label_notification_send(*, transition_id: int) -> int:
    """Send the mail for one label transition; returns how many mails left."""
    transition = (
        LabelTransition.objects.select_related("label__event__organization")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    event = transition.label.event
    recipients = sorted(
        Membership.objects.filter(
            organization=event.organization,
            role__in=[Membership.Role.OWNER, Membership.Role.EDITOR],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    context = {
        "event": event,
        "transition": transition,
        "state_label": Label.State(transition.to_state).label,
        "event_url": f"{settings.SITE_URL}/organisateur/evenements/{event.pk}/",
    }
    subject = single_line(SUBJECTS[transition.to_state].format(title=event.title))
    body = render_to_string("events/emails/label_transition.txt", context)
    return send_mail(subject, body, None, recipients)


# --- registrations ----------------------------------------------------------------------------

EMAIL_SUBJECTS = {
    "confirmed": "Inscription confirmée : {title}",
    "waitlisted": "Liste d'attente : {title}",
    "promoted": "Une place s'est libérée, votre inscription est confirmée : {title}",
    "resized": "Avec le nouvel effectif, votre inscription est confirmée : {title}",
    "moved": "Changement de séance enregistré : {title}",
    "cancelled": "Inscription annulée : {title}",
    "offered": "Une place vous est proposée : {title}",
    "offer_expired": "La place proposée n'a pas été confirmée à temps : {title}",
}
# The mail is sent only if the registration is still in this state when the task runs.
EMAIL_STATUS = {
    "confirmed": Status.CONFIRMED,
    "waitlisted": Status.WAITLISTED,
    "promoted": Status.CONFIRMED,
    "resized": Status.CONFIRMED,
    "moved": Status.CONFIRMED,
    "cancelled": Status.CANCELLED,
    "offered": Status.WAITLISTED,
    "offer_expired": Status.CANCELLED,
}
# Waiting-list offers have their own templates (the confirm link and its deadline).
EMAIL_TEMPLATES = {"offered": "waitlist_offer", "offer_expired": "waitlist_offer"}


def registration_email_send(*, registration_id: int, kind: str) -> int:
    """Send one registration mail; the ticket mails carry the QR code. Returns mails sent."""
    from email.mime.image import MIMEImage

    from vocations.events.registration_selectors import waitlist_position
    from vocations.events.tickets import qr_png, self_service_url, ticket_payload

    # One query: the templates show the event's commune too (a rush sends 2,000 of these
    # while the web workers need the CPU).
    registration = (
        Registration.objects.select_related("event__commune", "session")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != EMAIL_STATUS[kind]:
        return 0
    if kind == "offered" and not registration.has_pending_offer:
        return 0  # confirmed or expired before the worker got to it: nothing to offer
    if registration.email.endswith("@anonyme.invalid"):  # erased or purged: nobody to write to
        return 0
    event = registration.event
    with_ticket = kind in ("confirmed", "promoted", "resized", "moved")
    context = {
        "kind": kind,
        "registration": registration,
        "event": event,
        "session": registration.session,
        "starts_at": timezone.localtime(
            registration.session.starts_at if registration.session else event.starts_at
        ),
        "self_service_url": self_service_url(registration),
        "waitlist_position": waitlist_position(registration) if kind == "waitlisted" else None,
        "with_ticket": with_ticket,
    }
    template = EMAIL_TEMPLATES.get(kind, "registration")
    if kind == "offered":
        from vocations.events.offer_links import offer_url

        context["offer_url"] = offer_url(registration)
        context["offer_expires_at"] = timezone.localtime(registration.offer_expires_at)
    message = EmailMultiAlternatives(
        single_line(EMAIL_SUBJECTS[kind].format(title=event.title)),
        render_to_string(f"events/emails/{template}.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(
        render_to_string(f"events/emails/{template}.html", context), "text/html"
    )
    if with_ticket:
        # One PNG, shown inline in the HTML (cid:billet) and offered as a file to print.
        message.mixed_subtype = "related"
        image = MIMEImage(qr_png(ticket_payload(registration)), "png")
        image.add_header("Content-ID", "<billet>")
        image.add_header("Content-Disposition", "inline", filename="billet-vocations.png")
        message.attach(image)
    return message.send()


# --- failures: a registrant's mail is never lost silently ------------------------------------
# It carries their only link (ticket, cancel). When it cannot be sent (mail server down, broker
# down, a bug), the registration is flagged (`mail_failed_kind`, `mail_failed_at`) and the
# organizer sees it on the registrations list; the task retries with backoff, and the flag is
# cleared as soon as a send succeeds. Kept here, not in `services`, which queue these tasks.


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


# --- tasks (the services queue them with transaction.on_commit) -------------------------------
# Their names are kept from when they lived in tasks.py, so queued messages survive a deploy.


@shared_task(
    name="vocations.events.tasks.send_label_notification",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_label_notification(transition_id: int) -> int:
    return label_notification_send(transition_id=transition_id)


@shared_task(
    name="vocations.events.tasks.send_registration_email", bind=True, max_retries=MAIL_RETRIES
)
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


def queue_registration_email(registration_id: int, kind: str) -> None:
    """Queue the mail once the transaction commits; a failure to queue is recorded, not lost."""

    def enqueue() -> None:
        try:
            send_registration_email.delay(registration_id, kind)
        except Exception:
            # The registration is committed: the page must not fail, the mail must not vanish.
            logger.exception("Registration mail %s for %s not sent", kind, registration_id)
            registration_email_failed(registration_id=registration_id, kind=kind)

    transaction.on_commit(enqueue)
