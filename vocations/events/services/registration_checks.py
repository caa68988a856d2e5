"""What a registration must satisfy before it is written: the stated data, the window, the
group's size, the idempotency key. Pure checks (and the invitation look-up); the services in
registrations.py run them inside their transaction and raise one French ValidationError.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email

from vocations.events.models import Event, Registration, Session, SessionInvitation
from vocations.events.rules import registration_closed_reason
from vocations.territories.models import Department

Kind = Registration.Kind

UAI_PATTERN = re.compile(r"\d{7}[A-Z]")
MAX_IDEMPOTENCY_KEY = 100
MAX_NAME = 100


@dataclass
class RegistrationData:
    """What a person or a teacher states when registering (form or API payload)."""

    kind: str = Kind.INDIVIDUAL
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    audience: str = ""
    age_bracket: str = ""
    consent: bool = False
    parental_consent: bool = False
    # Groups only. No pupil names: only counts.
    school_name: str = ""
    uai: str = ""
    class_level: str = ""
    pupils: Any = None
    adults: Any = 0
    origin_department: str = ""  # département code: "69", "2A", "974"
    # The group asked more seats than remain and chose to wait for all of them (the other
    # choice is to register fewer people). Without it, registration_create raises
    # NotEnoughSeatsError instead of wait-listing a group that was never told.
    waitlist: bool = False


# --- validation ------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """An integer from a form or JSON value; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        # Bounded, so an absurd count is a French error rather than a database overflow.
        return value if abs(value) < 1_000_000 else None
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    return None


def _check_counts(pupils: Any, adults: Any, add) -> tuple[int, int]:
    n_pupils, n_adults = _count(pupils), _count(adults if adults not in (None, "") else 0)
    if pupils in (None, ""):
        add("pupils", "Indiquez le nombre d'élèves.")
    elif n_pupils is None:
        add("pupils", "Le nombre d'élèves doit être un nombre entier.")
    elif n_pupils < 1:
        add("pupils", "Un groupe compte au moins un élève.")
    if n_adults is None:
        add("adults", "Le nombre d'accompagnateurs doit être un nombre entier.")
    elif n_adults < 0:
        add("adults", "Le nombre d'accompagnateurs ne peut pas être négatif.")
    return n_pupils or 0, n_adults or 0


def _check_group_size(
    event: Event, session: Session | None, seats: int, add, *, individual: bool = False
) -> None:
    """A registration larger than the whole pool is refused, never waitlisted."""
    capacity = session.capacity if session is not None else event.capacity
    what = "de la séance" if session is not None else "de l'événement"
    if individual:
        if capacity is not None and seats > capacity:
            add(NON_FIELD_ERRORS, f"Aucune place n'est ouverte à l'inscription {what}.")
        return
    if event.max_group_size and seats > event.max_group_size:
        add(
            "pupils",
            f"Un groupe ne peut pas dépasser {event.max_group_size} personnes, "
            "accompagnateurs compris.",
        )
    if capacity is not None and seats > capacity:
        add("pupils", f"Ce groupe dépasse la capacité totale {what} ({capacity} places).")


def _check_window(event: Event, session: Session | None, now, add) -> None:
    reason = registration_closed_reason(event, session, now=now)
    if reason:
        add(NON_FIELD_ERRORS, reason)


def _clean(*, event: Event, session: Session | None, data: RegistrationData, now) -> dict:
    """Every rule at once; returns the model's field values or raises one ValidationError."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if session is not None and session.event_id != event.pk:
        add("session", "Cette séance n'appartient pas à cet événement.")
        raise ValidationError(errors)
    # PostgreSQL refuses NUL characters in text: refuse them here, by field, in French.
    for name in (
        "kind", "email", "first_name", "last_name", "audience", "age_bracket",
        "school_name", "uai", "class_level", "origin_department",
    ):  # fmt: skip
        value = getattr(data, name)
        if value is not None and not isinstance(value, str):
            add(name, "Valeur non reconnue.")
        elif value and "\x00" in value:
            add(name, "Ce champ contient un caractère non autorisé.")
    if errors:
        raise ValidationError(errors)
    _check_window(event, session, now, add)

    kind = data.kind or Kind.INDIVIDUAL
    email = (data.email or "").strip().lower()
    first_name = (data.first_name or "").strip()
    last_name = (data.last_name or "").strip()
    if kind not in Kind.values:
        add("kind", "Type d'inscription inconnu : individuelle ou de groupe.")
    if not email:
        add("email", "L'adresse e-mail est obligatoire.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            add("email", "Cette adresse e-mail n'est pas valide.")
    for name, value, label in (
        ("first_name", first_name, "Le prénom"),
        ("last_name", last_name, "Le nom"),
    ):
        if not value:
            add(name, f"{label} est obligatoire.")
        elif len(value) > MAX_NAME:
            add(name, f"{label} ne doit pas dépasser {MAX_NAME} caractères.")
    if data.consent is not True:
        add("consent", "Votre accord pour le traitement de ces données est nécessaire.")

    values: dict[str, Any] = {
        "kind": kind,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "consent_at": now,
    }
    if kind == Kind.INDIVIDUAL:
        if session is not None and session.school_groups_only:
            add("kind", "Ce créneau est réservé aux groupes scolaires.")
        if data.audience not in Registration.Audience.values:
            add("audience", "Indiquez qui vous êtes (jeune, parent, demandeur d'emploi…).")
        bracket = data.age_bracket or ""
        if bracket and bracket not in Registration.AgeBracket.values:
            add("age_bracket", "Tranche d'âge inconnue.")
        if bracket == Registration.AgeBracket.UNDER_15 and data.parental_consent is not True:
            add(
                "parental_consent",
                "Avant 15 ans, l'accord d'un parent ou d'un tuteur est obligatoire.",
            )
        values.update(
            audience=data.audience,
            age_bracket=bracket,
            parental_consent=data.parental_consent is True,
            seats=1,
        )
        _check_group_size(event, session, 1, add, individual=True)
    elif kind == Kind.GROUP:
        if not (event.accepts_groups or (session is not None and session.school_groups_only)):
            add("kind", "Cet événement n'accepte pas les inscriptions de groupe.")
        school_name = (data.school_name or "").strip()
        if not school_name:
            add("school_name", "Indiquez le nom de l'établissement.")
        elif len(school_name) > 200:
            add("school_name", "Le nom de l'établissement ne doit pas dépasser 200 caractères.")
        uai = (data.uai or "").strip().upper()
        if uai and not UAI_PATTERN.fullmatch(uai):
            add("uai", "Le code UAI doit comporter 7 chiffres suivis d'une lettre (ex. 0691234A).")
        if data.class_level not in Registration.ClassLevel.values:
            add("class_level", "Indiquez le niveau de la classe.")
        pupils, adults = _check_counts(data.pupils, data.adults, add)
        department = None
        code = (data.origin_department or "").strip().upper()
        if not code:
            add("origin_department", "Indiquez le département d'origine du groupe.")
        else:
            department = Department.objects.filter(code=code).first()
            if department is None:
                add("origin_department", f"Département inconnu : {code}.")
        if pupils >= 1 and "adults" not in errors:
            _check_group_size(event, session, pupils + adults, add)
        values.update(
            audience=Registration.Audience.ADVISERS,
            school_name=school_name,
            uai=uai,
            class_level=data.class_level,
            pupils=pupils,
            adults=adults,
            origin_department=department,
            seats=pupils + adults,
        )

    if session is not None and session.invitation_only and email and "email" not in errors:
        invited = SessionInvitation.objects.filter(session=session, email__iexact=email).exists()
        if not invited:
            add("email", "Cette séance est sur invitation : cette adresse n'a pas été invitée.")
    if errors:
        raise ValidationError(errors)
    return values


def _clean_key(idempotency_key: str | None, scope: str) -> str | None:
    """The stored form of a key: a digest of the caller's scope and the key.

    A key only replays for the caller that sent it first (an API client, or one browser's
    form): a key seen elsewhere, even with the same e-mail, never hands back a registration.
    """
    key = (idempotency_key or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY or "\x00" in key:
        raise ValidationError(
            {"idempotency_key": f"La clé d'idempotence dépasse {MAX_IDEMPOTENCY_KEY} caractères."}
        )
    if not key:
        return None
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
