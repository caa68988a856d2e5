"""What a registrant changes themselves (the self-service page, docs/registration.md): their
name, the companions they bring, their session. Same rules as registering: seats are
consumed under the pool's row lock, a full pool is a French error and nothing changes, the
waiting list moves up when seats are freed, every change is audited (without personal data).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vocations.core.services import audit_log
from vocations.core.text import has_line_break
from vocations.events import signals
from vocations.events.models import Event, Registration, Session, SessionInvitation
from vocations.events.rules import event_has_ended, event_has_started, registration_closed_reason
from vocations.events.selectors import seats_left

from .pools import (
    _add_confirmed,
    _audit_data,
    _lock_pools,
    _queue_email,
    _scope,
)
from .registration_checks import MAX_NAME, _check_group_size, _count
from .resize import resize_under_lock
from .waitlist import promote_waitlist

Status = Registration.Status
Kind = Registration.Kind

STARTED = "L'événement a commencé : l'inscription ne peut plus être modifiée."
CANCELLED = "Cette inscription est annulée."


def _places(n: int) -> str:
    return f"{n} place{'s' if n > 1 else ''}"


def _current(registration: Registration) -> Registration:
    current = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "session")
        .get(pk=registration.pk)
    )
    if current.status == Status.CANCELLED:
        raise ValidationError({NON_FIELD_ERRORS: CANCELLED})
    return current


def registration_rename(
    *, registration: Registration, first_name: Any, last_name: Any, actor=None
) -> Registration:
    """Correct the name on a registration (a typo, a nickname): until the event ends."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name, value, label in (
        ("first_name", first_name, "Le prénom"),
        ("last_name", last_name, "Le nom"),
    ):
        text = value.strip() if isinstance(value, str) else ""
        if not isinstance(value, str) or not text:
            errors.setdefault(name, []).append(f"{label} est obligatoire.")
        elif len(text) > MAX_NAME:
            errors.setdefault(name, []).append(
                f"{label} ne doit pas dépasser {MAX_NAME} caractères."
            )
        elif has_line_break(text):
            errors.setdefault(name, []).append(f"{label} doit tenir sur une ligne.")
        values[name] = text
    if event_has_ended(registration.event):
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            "L'événement est terminé : l'inscription ne peut plus être modifiée."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _current(registration)
        if (current.first_name, current.last_name) == (values["first_name"], values["last_name"]):
            return current
        current.first_name, current.last_name = values["first_name"], values["last_name"]
        current.save(update_fields=["first_name", "last_name", "updated_at"])
        audit_log(
            actor=actor,
            action="registration.rename",
            target=current,
            organization=current.event.organization,
            data=_audit_data(current),
        )
        signals.registration_changed.send(Registration, registration=current, change="name")
    return current


def registration_change_companions(
    *, registration: Registration, companions: Any, actor=None
) -> Registration:
    """An individual brings more or fewer people (up to ``Event.max_companions``): more must fit
    in the seats left, fewer frees seats for the waiting list."""
    event = registration.event
    if registration.kind != Kind.INDIVIDUAL:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Un groupe change son effectif (élèves, accompagnateurs)."}
        )
    limit = event.max_companions
    count = _count(companions if companions not in (None, "") else 0)
    if not limit:
        raise ValidationError(
            {"companions": "Cet événement n'accepte pas d'accompagnants : une place par personne."}
        )
    if count is None:
        raise ValidationError(
            {"companions": "Le nombre d'accompagnants doit être un nombre entier."}
        )
    if count < 0:
        raise ValidationError({"companions": "Le nombre d'accompagnants ne peut pas être négatif."})
    if count > limit:
        raise ValidationError(
            {
                "companions": f"Au plus {limit} accompagnant{'s' if limit > 1 else ''} "
                "par inscription."
            }
        )
    if event_has_started(event):
        raise ValidationError({NON_FIELD_ERRORS: STARTED})
    with transaction.atomic():
        locked_event, sessions = _lock_pools(event, registration.session)
        current = _current(registration)
        session = sessions.get(current.session_id)
        seats = 1 + count
        errors: dict[str, list[str]] = {}
        _check_group_size(
            locked_event,
            session,
            seats,
            lambda name, message: errors.setdefault("companions", []).append(message),
            individual=True,
        )
        if errors:
            raise ValidationError(errors)
        resize_under_lock(
            current=current,
            locked_event=locked_event,
            session=session,
            seats=seats,
            fields={},
            too_many=lambda left, delta: {
                "companions": f"Il ne reste que {_places(left)} : impossible d'ajouter "
                f"{delta} accompagnant{'s' if delta > 1 else ''}. Votre inscription "
                "reste inchangée."
            },
            action="registration.change_companions",
            change="companions",
            organization=event.organization,
            actor=actor,
        )
    current.refresh_from_db()
    return current


def _target_errors(current: Registration, event: Event, target: Session | None) -> str:
    """Why this registration may not move to ``target`` (display order), or ""."""
    reason = registration_closed_reason(event, target)
    if reason:
        return reason
    if current.kind == Kind.INDIVIDUAL and target is not None and target.school_groups_only:
        return "Ce créneau est réservé aux groupes scolaires."
    if current.kind == Kind.GROUP and not (
        event.accepts_groups or (target is not None and target.school_groups_only)
    ):
        return "Ce créneau n'accepte pas les groupes."
    if target is not None and target.invitation_only:
        invited = SessionInvitation.objects.filter(
            session=target, email__iexact=current.email
        ).exists()
        if not invited:
            return "Cette séance est sur invitation : votre adresse n'a pas été invitée."
    if current.kind == Kind.INDIVIDUAL:
        taken = (
            Registration.objects.filter(
                event=event, scope=_scope(target), email=current.email, kind=Kind.INDIVIDUAL
            )
            .exclude(status=Status.CANCELLED)
            .exclude(pk=current.pk)
            .exists()
        )
        if taken:
            return "Vous êtes déjà inscrit ou inscrite à cette séance avec cette adresse."
    return ""


def registration_change_session(
    *, registration: Registration, session: Session | None, actor=None
) -> Registration:
    """Move to another session of the event (or to the event itself, ``session=None``).

    The target must have the seats: the registration is then confirmed there (a waitlisted one
    too), its old seats go back to its old pool and that waiting list moves up. A full target
    is a French error and nothing changes. The ticket stays the same."""
    event = registration.event
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": "Cette séance n'appartient pas à cet événement."})
    if event_has_started(event):
        raise ValidationError({NON_FIELD_ERRORS: STARTED})
    with transaction.atomic():
        locked_event, sessions = _lock_pools(event, registration.session, session)
        current = _current(registration)
        source = sessions.get(current.session_id)
        target = sessions.get(session.pk) if session is not None else None
        if _scope(target) == current.scope:
            return current
        problem = _target_errors(current, locked_event, target)
        if problem:
            raise ValidationError({"session": problem})
        errors: dict[str, list[str]] = {}
        _check_group_size(
            locked_event,
            target,
            current.seats,
            lambda name, message: errors.setdefault("session", []).append(message),
            individual=current.kind == Kind.INDIVIDUAL,
        )
        if errors:
            raise ValidationError(errors)
        left = seats_left(locked_event, target)
        if left is not None and current.seats > left:
            what = "La séance choisie est complète" if target else "L'événement est complet"
            raise ValidationError(
                {
                    "session": f"{what} : "
                    f"il reste {_places(left)}, votre inscription en demande {current.seats}. "
                    "Votre inscription reste inchangée."
                }
            )
        was_confirmed = current.status == Status.CONFIRMED
        before = current.session_id
        current.session, current.scope = target, _scope(target)
        current.status, current.waitlisted_at = Status.CONFIRMED, None
        if not was_confirmed:
            current.promoted_at = timezone.now()
        try:
            with transaction.atomic():
                current.save(
                    update_fields=[
                        "session", "scope", "status", "waitlisted_at", "promoted_at", "updated_at"
                    ]
                )  # fmt: skip
        except IntegrityError:
            # Only without the lock: the one-address rule still holds in the database.
            raise ValidationError(
                {"session": "Vous êtes déjà inscrit ou inscrite à cette séance avec cette adresse."}
            ) from None
        _add_confirmed(locked_event, target, current.seats)
        if was_confirmed:
            _add_confirmed(locked_event, source, -current.seats)
            promote_waitlist(event=locked_event, session=source)
        audit_log(
            actor=actor,
            action="registration.change_session",
            target=current,
            organization=event.organization,
            data={**_audit_data(current), "session_before": before},
        )
        signals.registration_changed.send(Registration, registration=current, change="session")
        _queue_email(current, "moved")
    current.refresh_from_db()
    return current
