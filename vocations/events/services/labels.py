"""The label workflow: submit → accept / request changes / refuse, with history and mail.

Allowed transitions (anything else is refused with a French message):

    draft ─submit→ submitted ─accept→ labelled ─withdraw→ refused
                   submitted ─request_changes→ changes_requested ─submit→ submitted
                   submitted ─refuse→ refused
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vocations.accounts.permissions import require
from vocations.core.services import audit_log
from vocations.events.models import Event, Label, LabelPeriod, LabelTransition

State = Label.State

TRANSITIONS: dict[str, tuple[set[str], str]] = {
    # action: (states it may start from, state it leads to)
    "submit": ({State.DRAFT, State.CHANGES_REQUESTED}, State.SUBMITTED),
    "accept": ({State.SUBMITTED}, State.LABELLED),
    "request_changes": ({State.SUBMITTED}, State.CHANGES_REQUESTED),
    "refuse": ({State.SUBMITTED}, State.REFUSED),
    "withdraw": ({State.LABELLED}, State.REFUSED),
}
STAFF_ACTIONS = {"accept", "request_changes", "refuse", "withdraw"}
ACTIONS_NEEDING_MESSAGE = {"request_changes", "refuse", "withdraw"}


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    # True: met, False: not met, None: the reviewer must judge.
    met: bool | None
    detail: str


def label_conditions(event: Event) -> list[Condition]:
    """The four label conditions, checked where a machine can check them."""
    start, end = timezone.localdate(event.starts_at), timezone.localdate(event.ends_at)
    period = LabelPeriod.objects.filter(starts_on__lte=start, ends_on__gte=end).first()
    shows = bool(event.sectors.exists() or event.trades.exists())
    return [
        Condition(
            "free",
            "Gratuit",
            event.is_free,
            "Gratuit pour les visiteurs." if event.is_free else f"Payant : {event.price_info}",
        ),
        Condition(
            "in_period",
            "Pendant la campagne",
            period is not None,
            f"Dans la période « {period.name} »."
            if period
            else "Les dates ne tombent dans aucune période de labellisation.",
        ),
        Condition(
            "open_to_public",
            "Ouvert au public",
            event.is_open_to_public,
            "Ouvert au public." if event.is_open_to_public else "Réservé à un public fermé.",
        ),
        Condition(
            "shows_industry",
            "Fait découvrir l'industrie",
            True if shows else None,
            "Filières ou métiers de l'industrie indiqués."
            if shows
            else "Aucune filière ni aucun métier indiqué : à vérifier par la revue.",
        ),
    ]


def _transition(*, actor, event: Event, action: str, message: str = "") -> Label:
    if action in STAFF_ACTIONS:
        if not (actor and actor.is_authenticated and actor.is_staff):
            raise PermissionDenied("Seule l'équipe de campagne peut statuer sur un label.")
    else:
        require(actor, "change", event.organization)
    message = (message or "").strip()
    if action in ACTIONS_NEEDING_MESSAGE and not message:
        raise ValidationError({"message": "Expliquez votre décision à l'organisateur."})
    label = Label.objects.select_for_update().get(event=event)
    allowed_from, to_state = TRANSITIONS[action]
    if label.state not in allowed_from:
        raise ValidationError(f"Action impossible : le label est « {label.get_state_display()} ».")
    from_state = label.state
    now = timezone.now()
    label.state = to_state
    if to_state == State.SUBMITTED:
        label.submitted_at = now
        label.decided_at = None
    else:
        label.decided_at = now
        label.reviewer = actor
    label.message = message
    label.save()
    transition = LabelTransition.objects.create(
        label=label, from_state=from_state, to_state=to_state, actor=actor, message=message
    )
    audit_log(
        actor=actor,
        action=f"label.{action}",
        target=event,
        organization=event.organization,
        data={"from": from_state, "to": to_state, "message": message},
    )
    from vocations.events.mails import send_label_notification

    transaction.on_commit(lambda: send_label_notification.delay(transition.pk))
    return label


@transaction.atomic
def label_submit(*, actor, event: Event) -> Label:
    return _transition(actor=actor, event=event, action="submit")


@transaction.atomic
def label_accept(*, actor, event: Event, message: str = "") -> Label:
    return _transition(actor=actor, event=event, action="accept", message=message)


@transaction.atomic
def label_request_changes(*, actor, event: Event, message: str) -> Label:
    return _transition(actor=actor, event=event, action="request_changes", message=message)


@transaction.atomic
def label_refuse(*, actor, event: Event, message: str) -> Label:
    return _transition(actor=actor, event=event, action="refuse", message=message)


@transaction.atomic
def label_withdraw(*, actor, event: Event, message: str) -> Label:
    return _transition(actor=actor, event=event, action="withdraw", message=message)
