"""The REST API, version 1: one router per domain, mounted at /api/v1/.

Every error is JSON, French and shaped ``{"detail": str, "errors": {field: [str]}}`` (issue
15, point 10: the fuzzer found a 422 whose ``detail`` was a list, an undocumented 400 on an
unreadable body and an HTML 404). The schema documents those answers on every operation that
can give them: 400 where there is a body, 422 where there are parameters or a body, 404 where
the path holds an identifier.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vocations.core.ratelimit import too_many_json

from .auth import UNAUTHENTICATED, TokenRateLimited
from .events import router as events_router
from .open_data import router as open_data_router
from .organization import router as organization_router
from .registrations import router as registrations_router

UNREADABLE_BODY = "Corps de requête illisible : envoyez un objet JSON valide."
INVALID = "La requête contient des données invalides."
NOT_FOUND = "Ressource introuvable."
# pydantic's error types, in French: the rest are "Valeur invalide."
FRENCH_ERRORS = {
    "missing": "Champ obligatoire.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "string_type": "Texte attendu.",
    "bool_parsing": "Booléen attendu (true ou false).",
    "bool_type": "Booléen attendu (true ou false).",
    "model_attributes_type": "Objet JSON attendu.",
    "dict_type": "Objet JSON attendu.",
    "model_type": "Objet JSON attendu.",
    "json_invalid": UNREADABLE_BODY,
}

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "Message en français."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}


class VocationsAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"$ref": "#/components/schemas/Error"}

        def answer(description: str) -> dict:
            return {
                "description": description,
                "content": {"application/json": {"schema": reference}},
            }

        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("requestBody"):
                    responses.setdefault(400, answer("Corps de requête illisible."))
                if operation.get("requestBody") or operation.get("parameters"):
                    responses.setdefault(422, answer("Données invalides."))
                if "{" in path:
                    responses.setdefault(404, answer("Ressource introuvable."))
        return schema


api = VocationsAPI(
    title="Vocations API",
    version="1",
    description="Données ouvertes et services de Vocations (événements labellisés, inscriptions…). "
    "Le flux des événements et les chiffres agrégés (/api/v1/donnees/) sont publiés sous la "
    "Licence Ouverte / Open Licence version 2.0 (Etalab) : réutilisation libre, y compris "
    "commerciale, en mentionnant la source « Vocations ».",
    urls_namespace="api",
    openapi_extra={
        "info": {
            "license": {
                "name": "Licence Ouverte / Open Licence version 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        }
    },
)


def _field(location: tuple) -> str:
    # ("body", "payload", "email") -> "email"; ("query", "limit") -> "limit".
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "non_field_errors"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = FRENCH_ERRORS.get(error.get("type", ""), "Valeur invalide.")
        errors.setdefault(_field(tuple(error.get("loc", ()))), []).append(message)
    if any(UNREADABLE_BODY in messages for messages in errors.values()):
        return api.create_response(request, {"detail": UNREADABLE_BODY, "errors": {}}, status=400)
    return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = UNREADABLE_BODY if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail, "errors": {}}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": UNAUTHENTICATED, "errors": {}}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(TokenRateLimited)
def token_rate_limited(request: HttpRequest, exc: TokenRateLimited) -> HttpResponse:
    return too_many_json(exc.wait)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND, "errors": {}}, status=404)


api.add_router("/events", events_router)
api.add_router("/donnees", open_data_router)

api.add_router("/", registrations_router)
api.add_router("/", organization_router)
