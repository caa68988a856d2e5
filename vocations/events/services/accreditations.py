"""Press accreditations: request (public, no account), accept or refuse (organizer)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from vocations.accounts.permissions import require
from vocations.core.services import audit_log
from vocations.events.models import Event, PressAccreditation
from vocations.events.press_mails import queue_accreditation_email
from vocations.events.rules import event_has_ended

from .notices import notice_for_accreditation

Status = PressAccreditation.Status


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


@transaction.atomic
def accreditation_request(
    *,
    event: Event,
    full_name: str,
    email: str,
    outlet: str,
    role: str,
    phone: str = "",
    press_card_number: str = "",
) -> PressAccreditation:
    errors: dict[str, list[str]] = {}
    full_name, outlet, role = _clean(full_name, 150), _clean(outlet, 150), _clean(role, 100)
    email = (email or "").strip().lower()
    for name, value, message in (
        ("full_name", full_name, "Indiquez votre nom."),
        ("outlet", outlet, "Indiquez votre média."),
        ("role", role, "Indiquez votre fonction."),
    ):
        if not value:
            errors.setdefault(name, []).append(message)
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append("Adresse e-mail invalide.")
    card = _clean(press_card_number, 30)
    if card and not card.replace(" ", "").isalnum():
        errors.setdefault("press_card_number", []).append(
            "Le numéro de carte de presse ne contient que des chiffres et des lettres."
        )
    if event_has_ended(event):
        errors.setdefault("__all__", []).append("Cet événement est terminé.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            accreditation = PressAccreditation.objects.create(
                event=event,
                full_name=full_name,
                email=email,
                phone=_clean(phone, 30),
                outlet=outlet,
                role=role,
                press_card_number=card,
            )
    except IntegrityError:
        raise ValidationError(
            {"email": ["Une demande d'accréditation existe déjà pour cette adresse."]}
        ) from None
    audit_log(
        action="accreditation.requested", target=accreditation, organization=event.organization
    )
    queue_accreditation_email(accreditation.pk, "received")
    notice_for_accreditation(accreditation)
    return accreditation


def _decide(
    *, actor, accreditation: PressAccreditation, status: str, message: str
) -> PressAccreditation:
    accreditation = (
        PressAccreditation.objects.select_for_update()
        .select_related("event__organization")
        .get(pk=accreditation.pk)
    )
    require(actor, "change", accreditation.event.organization)
    if accreditation.status != Status.REQUESTED:
        raise ValidationError(f"Cette demande est déjà « {accreditation.get_status_display()} ».")
    accreditation.status = status
    accreditation.decided_at = timezone.now()
    accreditation.decided_by = actor
    accreditation.decision_message = (message or "").strip()
    accreditation.save(
        update_fields=["status", "decided_at", "decided_by", "decision_message", "updated_at"]
    )
    audit_log(
        actor=actor,
        action=f"accreditation.{status}",
        target=accreditation,
        organization=accreditation.event.organization,
    )
    queue_accreditation_email(accreditation.pk, status)
    return accreditation


@transaction.atomic
def accreditation_accept(
    *, actor, accreditation: PressAccreditation, message: str = ""
) -> PressAccreditation:
    return _decide(
        actor=actor, accreditation=accreditation, status=Status.ACCEPTED, message=message
    )


@transaction.atomic
def accreditation_refuse(
    *, actor, accreditation: PressAccreditation, message: str
) -> PressAccreditation:
    if not (message or "").strip():
        raise ValidationError({"message": "Indiquez la raison du refus au journaliste."})
    return _decide(actor=actor, accreditation=accreditation, status=Status.REFUSED, message=message)
