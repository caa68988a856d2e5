"""An organization's webhook endpoints and the log of what was sent to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from vocations.core.models import TimeStampedModel


class EventType(models.TextChoices):
    REGISTRATION_CREATED = "registration.created", "Inscription créée"
    REGISTRATION_CHANGED = "registration.changed", "Inscription modifiée (effectif, promotion)"
    REGISTRATION_CANCELLED = "registration.cancelled", "Inscription annulée"
    REGISTRATION_CHECKED_IN = "registration.checked_in", "Arrivée enregistrée à l'accueil"
    EVENT_PUBLISHED = "event.published", "Événement publié"
    EVENT_CHANGED = "event.changed", "Événement modifié ou dépublié"


# Sent by the "send a test" button only: no subscription needed.
PING = "ping"


class Webhook(TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField("adresse (URL)", max_length=500)
    event_types = models.JSONField("événements", default=list)
    # Needed in clear to sign each delivery; shown to the organizer once, at creation.
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField("actif", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook"

    def __str__(self) -> str:
        return self.url

    def event_type_labels(self) -> list[str]:
        return [EventType(value).label for value in self.event_types if value in EventType.values]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SENDING = "sending", "Envoi en cours"
        RETRYING = "retrying", "Nouvel essai prévu"
        SUCCEEDED = "succeeded", "Reçu"
        FAILED = "failed", "Échec définitif"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # The partner's key to ignore a delivery it already received (retries send it again).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField("événement", max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField("essais", default=0)
    response_code = models.PositiveIntegerField("code de réponse", null=True, blank=True)
    error = models.CharField("erreur", max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_retry_at = models.DateTimeField("prochain essai", null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]
        verbose_name = "envoi de webhook"

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook_id} ({self.status})"
