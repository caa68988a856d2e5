"""The token API: an organization's own events and registrations, for its partners' software.

Every endpoint needs ``Authorization: Bearer <token>`` (vocations/api/auth.py) and reads only
the token's organization: another organization's event or registration is 404, as if it did
not exist. The shapes are the webhooks' (vocations/events/payloads.py).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from vocations.events.payloads import event_payload, registration_payload
from vocations.events.selectors import organization_events, organization_registrations

from .auth import token_auth
from .registrations import ErrorOut, RateLimitedOut

router = Router(tags=["Organisation (jeton d'API)"], auth=token_auth)

MAX_LIMIT = 200
NOT_FOUND = "Ressource introuvable."
COMMON = {401: ErrorOut, 429: RateLimitedOut}


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str


class OrgEventOut(Schema):
    id: int
    slug: str
    title: str
    kind: str
    url: str = Field(description="Page publique (si l'événement est publié).")
    starts_at: dt.datetime
    ends_at: dt.datetime
    is_published: bool
    capacity: int | None
    seats_confirmed: int
    updated_at: dt.datetime


class OrgRegistrationOut(Schema):
    id: int
    event_id: int
    session_id: int | None
    kind: str = Field(description="individual ou group.")
    status: str = Field(description="confirmed, waitlisted ou cancelled.")
    seats: int
    email: str
    first_name: str
    last_name: str
    audience: str
    age_bracket: str
    school_name: str
    class_level: str
    pupils: int | None
    adults: int
    attended: int | None
    checked_in_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Taille de page, 1 à {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=10_000_000, description="Nombre d'éléments à sauter.")


class EventList(Schema):
    count: int
    results: list[OrgEventOut]


class RegistrationList(Schema):
    count: int
    results: list[OrgRegistrationOut]


def _page(queryset, paging: Paging, serialize) -> dict:
    count = queryset.count()
    rows = queryset[paging.offset : paging.offset + paging.limit] if paging.offset < count else []
    return {"count": count, "results": [serialize(row) for row in rows]}


@router.get(
    "/organisation",
    response={200: OrganizationOut, **COMMON},
    summary="L'organisation du jeton",
)
def read_organization(request: HttpRequest):
    organization = request.auth.organization
    return Status(
        200, {"id": organization.pk, "name": organization.name, "slug": organization.slug}
    )


@router.get(
    "/organisation/events",
    response={200: EventList, **COMMON},
    summary="Les événements de l'organisation (brouillons compris)",
)
def list_events(request: HttpRequest, paging: Query[Paging]):
    events = organization_events(request.auth.organization)
    return Status(200, _page(events, paging, event_payload))


@router.get(
    "/organisation/events/{event_id}",
    response={200: OrgEventOut, 404: ErrorOut, **COMMON},
    summary="Un événement de l'organisation",
)
def read_event(request: HttpRequest, event_id: int):
    event = organization_events(request.auth.organization).filter(pk=event_id).first()
    if event is None:
        return Status(404, {"detail": NOT_FOUND, "errors": {}})
    return Status(200, event_payload(event))


@router.get(
    "/organisation/events/{event_id}/registrations",
    response={200: RegistrationList, 404: ErrorOut, **COMMON},
    summary="Les inscriptions d'un événement de l'organisation",
)
def list_registrations(request: HttpRequest, event_id: int, paging: Query[Paging]):
    organization = request.auth.organization
    if not organization_events(organization).filter(pk=event_id).exists():
        return Status(404, {"detail": NOT_FOUND, "errors": {}})
    registrations = organization_registrations(organization).filter(event_id=event_id)
    return Status(200, _page(registrations, paging, registration_payload))


@router.get(
    "/organisation/registrations/{registration_id}",
    response={200: OrgRegistrationOut, 404: ErrorOut, **COMMON},
    summary="Une inscription à un événement de l'organisation",
)
def read_registration(request: HttpRequest, registration_id: int):
    registration = (
        organization_registrations(request.auth.organization).filter(pk=registration_id).first()
    )
    if registration is None:
        return Status(404, {"detail": NOT_FOUND, "errors": {}})
    return Status(200, registration_payload(registration))
