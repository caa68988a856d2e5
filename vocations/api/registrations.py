"""Registration endpoints: register (individual or group) and the self-service link.

POST /events/{event_id}/registrations honours an ``Idempotency-Key`` header: a retried request
returns the registration the first one created, never a second one. Errors are French and
structured: ``{"detail": "...", "errors": {field: [message, ...]}}``.

The self-service token is never returned here: it travels only by e-mail, which proves the
address (anyone can type someone else's address into a form).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema
from pydantic import BeforeValidator, Field

from vocations.analytics.registrations import registration_create_from_visit
from vocations.core.ratelimit import Limit, check, hit, too_many_json
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


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
    code: str | None = Field(None, description="« seats_short » : pas assez de places.")
    seats_left: int | None = Field(None, description="Places restantes (code seats_short).")
    seats_asked: int | None = Field(None, description="Places demandées (code seats_short).")


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


def _errors(exc: ValidationError, status: int = 422, **extra) -> JsonResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    errors = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in errors.items()}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return JsonResponse(
        {"detail": detail or "Demande invalide.", "errors": errors, **extra}, status=status
    )


def _is_true(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("1", "true", "on")
    )


@router.post(
    "/events/{event_id}/registrations",
    response={
        201: RegistrationOut,
        404: ErrorOut,
        409: RegistrationOut,
        422: ErrorOut,
        429: RateLimitedOut,
    },
    summary="S'inscrire à un événement (individuel ou groupe)",
)
def create_registration(request: HttpRequest, event_id: int, payload: RegistrationIn):
    wait = check(request, [Limit("registration-ip")])
    if wait is None and payload.email:
        key = f"{event_id}:{payload.email.strip().lower()[:254]}"
        wait = hit(request, "registration-email", key)
    if wait is not None:
        return too_many_json(wait)
    event = public_events().select_related("organization").filter(pk=event_id).first()
    if event is None:
        return JsonResponse({"detail": "Événement introuvable."}, status=404)
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
            # The API has no client credentials yet: its keys replay only for API calls, never
            # for a browser's form. With API tokens, the token id belongs in this scope.
            idempotency_scope="api",
            visit_key=payload.visit_key,
        )
    except DuplicateRegistrationError as exc:
        body = _out(exc.registration, detail=exc.messages[0])
        return JsonResponse(body, status=409)
    except NotEnoughSeatsError as exc:
        # The same choice as the form: send fewer people, or "waitlist": true.
        return _errors(
            exc, code="seats_short", seats_left=exc.seats_left, seats_asked=exc.seats_asked
        )
    except ValidationError as exc:
        return _errors(exc)
    response = JsonResponse(_out(registration), status=201)
    if not registration.created_now:
        response["Idempotent-Replayed"] = "true"
    return response


def _from_token(request: HttpRequest, token: str) -> Registration | JsonResponse:
    wait = check(request, [Limit("token-ip")])
    if wait is not None:
        return too_many_json(wait)
    try:
        return verify_self_service_token(token)
    except TicketError as exc:
        return JsonResponse({"detail": exc.messages[0]}, status=403)


@router.get(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 429: RateLimitedOut},
    summary="Voir son inscription (lien reçu par e-mail)",
)
def read_registration(request: HttpRequest, token: str):
    registration = _from_token(request, token)
    if isinstance(registration, JsonResponse):
        return registration
    return JsonResponse(_detail(registration))


@router.patch(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 422: ErrorOut, 429: RateLimitedOut},
    summary="Changer l'effectif d'un groupe (dans la limite des places restantes)",
)
def change_registration(request: HttpRequest, token: str, payload: GroupChangeIn):
    registration = _from_token(request, token)
    if isinstance(registration, JsonResponse):
        return registration
    try:
        registration = registration_change_group(
            registration=registration, pupils=payload.pupils, adults=payload.adults
        )
    except ValidationError as exc:
        return _errors(exc)
    return JsonResponse(_detail(registration))


@router.delete(
    "/registrations/{token}",
    response={200: RegistrationDetailOut, 403: ErrorOut, 422: ErrorOut, 429: RateLimitedOut},
    summary="Annuler son inscription",
)
def cancel_registration(request: HttpRequest, token: str):
    registration = _from_token(request, token)
    if isinstance(registration, JsonResponse):
        return registration
    try:
        registration = registration_cancel(registration=registration)
    except ValidationError as exc:
        return _errors(exc)
    return JsonResponse(_detail(registration))
