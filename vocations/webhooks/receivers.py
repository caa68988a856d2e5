"""Listen to the domain (vocations/events/signals.py) and turn what it announces into
deliveries for the organization's webhooks.

A receiver runs inside the service's transaction: its work is in a savepoint of its own, and
a failure is logged, never raised — a webhook must not cost anyone their registration.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from vocations.events import signals
from vocations.events.payloads import event_payload, registration_payload

from .models import EventType
from .services import emit

logger = logging.getLogger(__name__)


def _emit(organization_id: int, event_type: str, build) -> None:
    try:
        with transaction.atomic():
            emit(organization_id=organization_id, event_type=event_type, data=build())
    except Exception:
        logger.exception("Webhook %s not queued for organization %s", event_type, organization_id)


def _registration(event_type: str, change: str = ""):
    def handler(sender, *, registration, **kwargs) -> None:
        def build() -> dict:
            data = {"registration": registration_payload(registration)}
            if kwargs.get("change"):
                data["change"] = kwargs["change"]
            return data

        _emit(registration.event.organization_id, event_type, build)

    return handler


def _event(event_type: str):
    def handler(sender, *, event, **kwargs) -> None:
        def build() -> dict:
            data = {"event": event_payload(event)}
            if kwargs.get("change"):
                data["change"] = kwargs["change"]
            return data

        _emit(event.organization_id, event_type, build)

    return handler


# Module-level references: signals hold receivers weakly.
on_registration_created = receiver(signals.registration_created)(
    _registration(EventType.REGISTRATION_CREATED)
)
on_registration_changed = receiver(signals.registration_changed)(
    _registration(EventType.REGISTRATION_CHANGED)
)
on_registration_cancelled = receiver(signals.registration_cancelled)(
    _registration(EventType.REGISTRATION_CANCELLED)
)
on_registration_checked_in = receiver(signals.registration_checked_in)(
    _registration(EventType.REGISTRATION_CHECKED_IN)
)
on_event_published = receiver(signals.event_published)(_event(EventType.EVENT_PUBLISHED))
on_event_changed = receiver(signals.event_changed)(_event(EventType.EVENT_CHANGED))
