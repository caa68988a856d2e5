"""Press accreditations: a journalist asks, the organizer accepts or refuses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from vocations.core.models import TimeStampedModel


class PressAccreditation(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Demandée"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="press_accreditations"
    )
    full_name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("adresse e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    outlet = models.CharField("média", max_length=150)
    role = models.CharField("fonction", max_length=100)
    press_card_number = models.CharField("numéro de carte de presse", max_length=30, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decision_message = models.TextField("message de la décision", blank=True)
    # The last mail to the journalist that could not be sent (received, accepted, refused),
    # until a retry succeeds — the same record as Registration.mail_failed_*.
    mail_failed_kind = models.CharField(max_length=12, blank=True, default="")
    mail_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "accréditation presse"
        verbose_name_plural = "accréditations presse"
        constraints = [
            # One open or accepted request per journalist and event; a refused one may retry.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="refused"),
                name="uniq_active_press_accreditation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.outlet})"
