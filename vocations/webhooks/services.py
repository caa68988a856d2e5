"""Webhook writes: register, switch on or off, delete, send a test, redeliver; and ``emit``,
which the receivers call when the domain announces something (receivers.py).

Deliveries are rows written in the caller's transaction and queued with
``transaction.on_commit``: a rolled-back registration sends nothing, a committed one is never
forgotten (the row stays, with its status, in the organizer's log).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.accounts.permissions import require
from vocations.core.services import audit_log

from .addresses import check_webhook_url
from .models import PING, EventType, Webhook, WebhookDelivery
from .signing import new_secret
from .tasks import deliver_webhook

NO_EVENTS = "Choisissez au moins un événement à recevoir."
UNKNOWN_EVENT = "Événement inconnu : {value}."


def _clean_event_types(event_types: list[str]) -> list[str]:
    values = list(dict.fromkeys(event_types or []))
    if not values:
        raise ValidationError({"event_types": NO_EVENTS})
    unknown = [v for v in values if v not in EventType.values]
    if unknown:
        raise ValidationError({"event_types": UNKNOWN_EVENT.format(value=unknown[0][:40])})
    return [v for v in EventType.values if v in values]


@transaction.atomic
def webhook_create(
    *, actor, organization: Organization, url: str, event_types: list[str]
) -> tuple[Webhook, str]:
    """Register an endpoint; returns it with its signing secret (shown once)."""
    require(actor, "manage", organization)
    url = (url or "").strip()
    errors: dict[str, list[str]] = {}
    for check in (lambda: check_webhook_url(url), lambda: _clean_event_types(event_types)):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    webhook = Webhook.objects.create(
        organization=organization,
        url=url,
        event_types=_clean_event_types(event_types),
        secret=new_secret(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="webhook.created",
        target=webhook,
        organization=organization,
        data={"url": url, "event_types": webhook.event_types},
    )
    return webhook, webhook.secret


@transaction.atomic
def webhook_set_active(*, actor, webhook: Webhook, active: bool) -> Webhook:
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    require(actor, "manage", webhook.organization)
    if webhook.is_active != active:
        webhook.is_active = active
        webhook.save(update_fields=["is_active", "updated_at"])
        audit_log(
            actor=actor,
            action="webhook.enabled" if active else "webhook.disabled",
            target=webhook,
            organization=webhook.organization,
        )
    return webhook


@transaction.atomic
def webhook_delete(*, actor, webhook: Webhook) -> None:
    require(actor, "manage", webhook.organization)
    audit_log(
        actor=actor,
        action="webhook.deleted",
        target=webhook,
        organization=webhook.organization,
        data={"url": webhook.url},
    )
    webhook.delete()


def _queue(delivery: WebhookDelivery) -> WebhookDelivery:
    transaction.on_commit(lambda: deliver_webhook.delay(delivery.pk))
    return delivery


def _new_delivery(webhook: Webhook, event_type: str, payload: dict, **extra) -> WebhookDelivery:
    return _queue(
        WebhookDelivery.objects.create(
            webhook=webhook, event_type=event_type, payload=payload, **extra
        )
    )


def _envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    # Plain JSON now (dates as ISO 8601): the row stores exactly what will be sent.
    body = {"type": event_type, "created_at": timezone.now(), "data": data}
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


@transaction.atomic
def webhook_send_test(*, actor, webhook: Webhook) -> WebhookDelivery:
    """A ``ping`` delivery, to check the partner's endpoint and its signature check."""
    require(actor, "manage", webhook.organization)
    delivery = _new_delivery(
        webhook,
        PING,
        _envelope(PING, {"organization": webhook.organization.name, "webhook_id": webhook.pk}),
    )
    audit_log(actor=actor, action="webhook.test", target=webhook, organization=webhook.organization)
    return delivery


@transaction.atomic
def delivery_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same payload again, as a new delivery (the log keeps both)."""
    webhook = delivery.webhook
    require(actor, "manage", webhook.organization)
    if not webhook.is_active:
        raise ValidationError("Ce webhook est désactivé : réactivez-le avant de renvoyer.")
    again = _new_delivery(webhook, delivery.event_type, delivery.payload, redelivery_of=delivery)
    audit_log(
        actor=actor,
        action="webhook.redeliver",
        target=webhook,
        organization=webhook.organization,
        data={"delivery": delivery.pk},
    )
    return again


def emit(*, organization_id: int, event_type: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active webhook of the organization subscribed to ``event_type``.

    Call it inside the transaction that made the change; the sends wait for its commit."""
    webhooks = [
        w
        for w in Webhook.objects.filter(organization_id=organization_id, is_active=True)
        if event_type in w.event_types
    ]
    if not webhooks:
        return []
    payload = _envelope(event_type, data)
    return [_new_delivery(webhook, event_type, payload) for webhook in webhooks]
