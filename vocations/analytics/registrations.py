"""Register, then credit the tracked-link visit the registration came from.

The one sequence the public form and the API run (they used to differ: the form swallowed an
attribution error, the API let it turn a saved registration into a 500). It lives in analytics
because it joins events (the registration) and campaigns (the link): events may not know them.
"""

from __future__ import annotations

import logging

from django.db import transaction

from vocations.events.models import Event, Registration, Session
from vocations.events.services import RegistrationData, registration_create

# Called through the module, so a test can stand in for attribution in one place.
from . import services

logger = logging.getLogger(__name__)


def registration_create_from_visit(
    *,
    event: Event,
    session: Session | None,
    data: RegistrationData,
    idempotency_key: str | None,
    idempotency_scope: str,
    visit_key: str | None,
) -> Registration:
    """``registration_create`` (same arguments, same errors), then attribution of a new one.

    A replayed request (same idempotency key) returns the registration it created without
    attributing it again. Measurement never costs a registration: an attribution error is
    logged and rolled back to its savepoint, and the registration stands.
    """
    registration = registration_create(
        event=event,
        session=session,
        data=data,
        idempotency_key=idempotency_key,
        idempotency_scope=idempotency_scope,
    )
    if registration.created_now and visit_key:
        try:
            with transaction.atomic():
                services.attribute_registration(registration=registration, visit_key=visit_key)
        except Exception:
            logger.exception("registration %s not attributed", registration.pk)
    return registration
