"""Registration endpoints: register (individual or group) and the self-service link.

POST /events/{event_id}/registrations honours an ``Idempotency-Key`` header: a retried request
returns the registration the first one created, never a second one. Errors are French and
structured: ``{"detail": "...", "errors": {field: [message, ...]}}``.

The self-service token is never returned here: it travels only by e-mail, which proves the
address (anyone can type someone else's address into a form).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import BeforeValidator, Field

from vocations.analytics.registrations import registration_create_from_visit
from vocations.core.ratelimit import API_TOO_MANY, Limit, check, hit
from vocations.events.models import Registration, Session
from vocations.events.registration_selectors import waitlist_position
from vocations.events.selectors import public_events
from vocations.events.services import (
    DuplicateRegistrationError,
    NotEnoughSeatsError,
    RegistrationData,
    registration_cancel,
    registration_change_group,
)
from vocations.events.tickets import TicketError, verify_self_service_token

from .auth import optional_token

router = Router(tags=["Inscriptions"])


def _keep_booleans(value: Any) -> Any:
    # pydantic reads `true` as 1 for an int: kept as text, the service refuses it in French.
    return str(value).lower() if isinstance(value, bool) else value


# Loose types on purpose: a wrong value gets the service's French message, not a pydantic one.
Count = Annotated[int | str | None, BeforeValidator(_keep_booleans)]


class RegistrationIn(Schema):
    kind: str = Field("individual", description="« individual » ou « group ».")
    session_id: int | str | None = Field(None, description="Séance visée ; vide : l'événement.")
    email: str = Field("", description="Adresse e-mail (de l'enseignant pour un groupe).")
    first_name: str = ""
    last_name: str = ""
    audience: str = Field(
        "", description="Individuel : " + ", ".join(Registration.Audience.values) + "."
    )
    age_bracket: str = Field(
        "", description="Facultatif : " + ", ".join(Registration.AgeBracket.values) + "."
    )
    consent: Any = Field(False, description="Accord pour le traitement des données (requis).")
    parental_consent: Any = Field(False, description="Requis si age_bracket = under_15.")
    school_name: str = ""
    uai: str = Field("", description="Code UAI de l'établissement (facultatif), ex. 0691234A.")
    class_level: str = Field("", description=", ".join(Registration.ClassLevel.values) + ".")
    pupils: Count = Field(None, description="Groupe : nombre d'élèves (≥ 1).")
    adults: Count = Field(0, description="Groupe : nombre d'accompagnateurs.")
    origin_department: str = Field("", description="Groupe : code du département d'origine.")
    visit_key: str = Field(
        "",
        description="Clé de visite opaque reçue d'un lien suivi (paramètre « v »), pour "
        "l'attribution ; facultative.",
    )
    waitlist: Any = Field(
        False,
        description="Groupe plus grand que les places restantes : true l'inscrit en entier sur "
        "liste d'attente. Sans ce choix, la réponse est 422 (code « seats_short ») avec "
        "seats_left et seats_asked.",
    )


class GroupChangeIn(Schema):
    pupils: Count = None
    adults: Count = 0


class RegistrationOut(Schema):
    id: int
    status: str = Field(description="confirmed, waitlisted ou cancelled.")
    kind: str
    seats: int
    waitlist_position: int | None = Field(description="Rang sur la liste d'attente (1 = suivant).")


class RegistrationDetailOut(RegistrationOut):
    event_id: int
    event_title: str
    session_id: int | None
    pupils: int | None
    adults: int
    school_name: str


class DuplicateOut(RegistrationOut):
    detail: str = Field(description="Pourquoi aucune nouvelle inscription n'a été créée.")


class ErrorOut(Schema):
    detail: str = Field(description="Message en français.")
    errors: dict[str, list[str]] = Field({}, description="Messages par champ, en français.")


class SeatsShortOut(ErrorOut):
    """A group asks more seats than remain: send fewer people, or ask the waiting list."""

    code: Literal["seats_short"] = Field(description="Pas assez de places pour ce groupe.")
    seats_left: int = Field(description="Places restantes.")
    seats_asked: int = Field(description="Places demandées.")


class RateLimitedOut(Schema):
    detail: str = Field(description="Message en français.")
    code: str = Field(description="« rate_limited ».")
    retry_after: int = Field(description="Secondes à attendre (aussi dans l'en-tête Retry-After).")


def _out(registration: Registration, **extra) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "status": registration.status,
        "kind": registration.kind,
        "seats": registration.seats,
        "waitlist_position": waitlist_position(registration),
        **extra,
    }


def _detail(registration: Registration) -> dict[str, Any]:
    return _out(
        registration,
        event_id=registration.event_id,
        event_title=registration.event.title,
        session_id=registration.session_id,
        pupils=registration.pupils,
        adults=registration.adults,
        school_name=registration.school_name,
    )


def _errors(exc: ValidationError, status: int = 422, **extra) -> Status:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    errors = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in errors.items()}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return Status(status, {"detail": detail or "Demande invalide.", "errors": errors, **extra})


def _too_many(response: HttpResponse, wait: int) -> Status:
    # The body is checked against RateLimitedOut; the headers go on ninja's response.
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    body = {"detail": API_TOO_MANY.format(seconds=wait), "code": "rate_limited"}
    return Status(429, {**body, "retry_after": wait})


def _is_true(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("1", "true", "on")
    )


@router.post(
    "/events/{event_id}/registrations",
    response={
        201: RegistrationOut,
        401: ErrorOut,
        404: ErrorOut,
        409: DuplicateOut,
        422: SeatsShortOut | ErrorOut,
        429: RateLimitedOut,
    },
    summary="S'inscrire à un événement (individuel ou groupe)",
)
def create_registration(
    request: HttpRequest, response: HttpResponse, event_id: int, payload: RegistrationIn
):
    wait = check(request, [Limit("registration-ip")])
    if wait is None and payload.email:
        key = f"{event_id}:{payload.email.strip().lower()[:254]}"
        wait = hit(request, "registration-email", key)
    if wait is not None:
        return _too_many(response, wait)
    # Public: a partner may call it without a token; with one, its retries replay only its own
    # registrations (the idempotency scope is the token).
    token = optional_token(request)
    event = public_events().select_related("organization").filter(pk=event_id).first()
    if event is None:
        return Status(404, {"detail": "Événement introuvable.", "errors": {}})
    session = None
    if payload.session_id not in (None, ""):
        session_id = str(payload.session_id)
        session = (
            Session.objects.filter(event=event, pk=session_id).first()
            if session_id.isdigit() and len(session_id) < 19
            else None
        )
        if session is None:
            return _errors(
                ValidationError({"session_id": "Séance introuvable pour cet événement."})
            )
    data = RegistrationData(
        kind=payload.kind,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        audience=payload.audience,
        age_bracket=payload.age_bracket,
        consent=_is_true(payload.consent),
        parental_consent=_is_true(payload.parental_consent),
        school_name=payload.school_name,
        uai=payload.uai,
        class_level=payload.class_level,
        pupils=payload.pupils,
        adults=payload.adults,
        origin_department=payload.origin_department,
        waitlist=_is_true(payload.waitlist),
    )
    try:
        # Registers, then credits the tracked-link visit: the same sequence as the public form.
        registration = registration_create_from_visit(
            event=event,
            session=session,
            data=data,
            idempotency_key=request.headers.get("Idempotency-Key"),
            # A key replays only for the caller that sent it: this token, or anonymous API
            # calls, never a browser's form.
            idempotency_scope=f"token:{token.pk}" if token else "api",
            visit_key=payload.visit_key,
        )
    except DuplicateRegistrationError as exc:
        return Status(409, _out(exc.registration, detail=exc.messages[0]))
    except NotEnoughSeatsError as exc:
        # The same choice as the form: send fewer people, or "waitlist": true.
        return _errors(
            exc, code="seats_short", seats_left=exc.seats_left, seats_asked=exc.seats_asked
        )
    except ValidationError as exc:
        return _errors(exc)
    if not registration.created_now:
        response["Idempotent-Replayed"] = "true"
    return Status(201, _out(registration))


def _from_token(request: HttpRequest, response: HttpResponse, token: str) -> Registration | Status:
    wait = check(request, [Limit("token-ip")])
    if wait is not None:
        return _too_many(response, wait)
    try:
        return verify_self_service_token(token)
    except TicketError as exc:
        return Status(403, {"detail": exc.messages[0], "errors": {}})


@router.get(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 429: RateLimitedOut},
    summary="Voir son inscription (lien reçu par e-mail)",
)
def read_registration(request: HttpRequest, response: HttpResponse, token: str):
    registration = _from_token(request, response, token)
    if isinstance(registration, Status):
        return registration
    return Status(200, _detail(registration))


@router.patch(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 422: ErrorOut, 429: RateLimitedOut},
    summary="Changer l'effectif d'un groupe (dans la limite des places restantes)",
)
def change_registration(
    request: HttpRequest, response: HttpResponse, token: str, payload: GroupChangeIn
):
    registration = _from_token(request, response, token)
    if isinstance(registration, Status):
        return registration
    try:
        registration = registration_change_group(
            registration=registration, pupils=payload.pupils, adults=payload.adults
        )
    except ValidationError as exc:
        return _errors(exc)
    return Status(200, _detail(registration))


@router.delete(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 422: ErrorOut, 429: RateLimitedOut},
    summary="Annuler son inscription",
)
def cancel_registration(request: HttpRequest, response: HttpResponse, token: str):
    registration = _from_token(request, response, token)
    if isinstance(registration, Status):
        return registration
    try:
        registration = registration_cancel(registration=registration)
    except ValidationError as exc:
        return _errors(exc)
    return Status(200, _detail(registration))
