"""Data-subject rights on a registration (issue 15, point 7; docs/privacy.md): a copy of the
personal data (JSON) and "erase me now".

Erasing cancels what can still be cancelled (seats go back, the waiting list moves up; no
mail: the address is about to go), then anonymizes the row the way the scheduled purge does
(vocations/events/services/retention.py): counts stay for the outcome figures, the person's
name and address go. A checked-in registration or a past event is not cancelled (attendance
is a fact), only anonymized. Audited without personal data.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from vocations.core.services import audit_log
from vocations.events.models import Registration

from .registrations import registration_cancel
from .retention import ANONYMOUS_DOMAIN


def is_erased(registration: Registration) -> bool:
    return registration.email.endswith("@" + ANONYMOUS_DOMAIN)


def registration_personal_data(registration: Registration) -> dict[str, Any]:
    """Everything stored about this person for this registration (right of access, RGPD
    art. 15, and portability, art. 20): plain JSON types, French labels for the choices."""
    event, session = registration.event, registration.session

    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    return {
        "inscription": {
            "numero": registration.pk,
            "type": registration.get_kind_display(),
            "statut": registration.get_status_display(),
            "places": registration.seats,
            "creee_le": when(registration.created_at),
            "consentement_donne_le": when(registration.consent_at),
            "accord_parental": registration.parental_consent,
            "liste_attente_depuis": when(registration.waitlisted_at),
            "confirmee_depuis_liste_le": when(registration.promoted_at),
            "annulee_le": when(registration.cancelled_at),
            "arrivee_le": when(registration.checked_in_at),
            "presents": registration.attended,
        },
        "personne": {
            "adresse_email": registration.email,
            "prenom": registration.first_name,
            "nom": registration.last_name,
            "public": registration.get_audience_display() if registration.audience else "",
            "tranche_age": (
                registration.get_age_bracket_display() if registration.age_bracket else ""
            ),
        },
        "groupe": {
            "etablissement": registration.school_name,
            "code_uai": registration.uai,
            "niveau": registration.get_class_level_display() if registration.class_level else "",
            "eleves": registration.pupils,
            "accompagnateurs": registration.adults,
            "departement_origine": (
                registration.origin_department.code if registration.origin_department else ""
            ),
        }
        if registration.kind == Registration.Kind.GROUP
        else None,
        "evenement": {
            "titre": event.title,
            "debut": when(event.starts_at),
            "fin": when(event.ends_at),
            "organisateur": event.organization.name,
            "seance": session.title if session else None,
        },
        "conservation": (
            "Ces données sont rendues anonymes après l'événement, selon la durée indiquée sur "
            "la page « Données personnelles » du site."
        ),
    }


def registration_erase(*, registration: Registration) -> Registration:
    """Cancel if still possible, then anonymize now. Erasing twice changes nothing."""
    if is_erased(registration):
        return registration
    can_cancel = (
        registration.status != Registration.Status.CANCELLED
        and registration.checked_in_at is None
        and registration.event.ends_at > timezone.now()
    )
    with transaction.atomic():
        if can_cancel:
            registration_cancel(registration=registration, notify=False)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.email = f"inscription-{current.pk}@{ANONYMOUS_DOMAIN}"
        current.first_name = current.last_name = ""
        current.idempotency_key = None
        current.save(
            update_fields=["email", "first_name", "last_name", "idempotency_key", "updated_at"]
        )
        audit_log(
            action="registration.erased",
            target=current,
            organization=current.event.organization,
            data={"kind": current.kind, "status": current.status, "cancelled": can_cancel},
        )
    return current
