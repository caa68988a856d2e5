"""Demo: the demo organizer's company has one API token and one webhook with a short
delivery log (a success, a retry waiting after a 503, a test ping).

Rows are written directly, like the other demo generators (docs/decisions.md): nothing is sent,
and the token's secret is drawn at random and never printed — whoever needs a working token
creates one on the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from vocations.accounts.models import ApiToken, Organization, User
from vocations.events.models import Registration
from vocations.events.payloads import registration_payload

from .models import EventType, Webhook, WebhookDelivery
from .signing import new_secret

DEMO_LABEL = "Agenda régional (synchronisation)"
WEBHOOK_URL = "https://crm.partenaire-demo.example/webhooks/vocations"


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def build_demo_integrations(organization: Organization | None) -> dict[str, int]:
    if organization is None:
        return {}
    owner = (
        User.objects.filter(memberships__organization=organization, memberships__role="owner")
        .order_by("id")
        .first()
    )
    now = timezone.now()
    ApiToken.objects.filter(organization=organization, name=DEMO_LABEL).delete()
    Webhook.objects.filter(organization=organization, url=WEBHOOK_URL).delete()
    raw = "voc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        organization=organization,
        name=DEMO_LABEL,
        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
        prefix=raw[:10],
        created_by=owner,
        last_used_at=now - dt.timedelta(hours=2),
    )
    webhook = Webhook.objects.create(
        organization=organization,
        url=WEBHOOK_URL,
        event_types=[
            EventType.REGISTRATION_CREATED,
            EventType.REGISTRATION_CANCELLED,
            EventType.REGISTRATION_CHECKED_IN,
        ],
        secret=new_secret(),
        created_by=owner,
    )
    registrations = list(
        Registration.objects.filter(event__organization=organization).order_by("-created_at")[:2]
    )
    rows = [
        WebhookDelivery(
            webhook=webhook,
            event_type="ping",
            payload={"type": "ping", "data": {"organization": organization.name}},
            status=WebhookDelivery.Status.SUCCEEDED,
            attempts=1,
            response_code=204,
            last_attempt_at=now - dt.timedelta(days=3),
        )
    ]
    outcomes = [
        # (status, attempts, code, error, next retry)
        (WebhookDelivery.Status.SUCCEEDED, 1, 200, "", None),
        (WebhookDelivery.Status.RETRYING, 2, 503, "Réponse HTTP 503.", dt.timedelta(minutes=2)),
    ]
    for registration, (status, attempts, code, error, retry) in zip(
        registrations, outcomes, strict=False
    ):
        payload = {
            "type": EventType.REGISTRATION_CREATED,
            "created_at": registration.created_at,
            "data": {"registration": registration_payload(registration)},
        }
        rows.append(
            WebhookDelivery(
                webhook=webhook,
                event_type=EventType.REGISTRATION_CREATED,
                payload=_json(payload),
                status=status,
                attempts=attempts,
                response_code=code,
                error=error,
                last_attempt_at=now - dt.timedelta(minutes=1),
                next_retry_at=now + retry if retry else None,
            )
        )
    WebhookDelivery.objects.bulk_create(rows)
    return {"jetons d'API": 1, "webhooks": 1, "envois de webhook": len(rows)}
