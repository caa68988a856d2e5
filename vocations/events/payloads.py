"""The shape of a registration and of an event as an organization's own software sees them:
the token API (/api/v1/organisation/…) and the webhooks send exactly these, so a webhook never
carries more personal data than the API gives the same organization.

No ticket code (it opens the door) and no self-service link (it travels only by e-mail).
"""

from __future__ import annotations

from typing import Any

from vocations.events.links import event_url
from vocations.events.models import Event, Registration


def registration_payload(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "event_id": registration.event_id,
        "session_id": registration.session_id,
        "kind": registration.kind,
        "status": registration.status,
        "seats": registration.seats,
        "email": registration.email,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "audience": registration.audience,
        "age_bracket": registration.age_bracket,
        "school_name": registration.school_name,
        "class_level": registration.class_level,
        "pupils": registration.pupils,
        "adults": registration.adults,
        "attended": registration.attended,
        "checked_in_at": registration.checked_in_at,
        "cancelled_at": registration.cancelled_at,
        "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }


def event_payload(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "url": event_url(event),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "is_published": event.is_published,
        "capacity": event.capacity,
        "seats_confirmed": event.seats_confirmed,
        "updated_at": event.updated_at,
    }
