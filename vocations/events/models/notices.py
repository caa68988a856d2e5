"""What organizers are told of their events: new registrations, waiting-list moves, press
requests. One row per fact, no personal data (the back-office shows who); each member of the
organization gets them one by one or in a daily digest (``Membership.notifications``).
Sent by vocations/events/notices.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vocations.core.models import TimeStampedModel


class OrganizerNotice(TimeStampedModel):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Nouvelle inscription"
        WAITLIST = "waitlist", "Liste d'attente"
        PRESS = "press", "Demande d'accréditation presse"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    text = models.CharField("avis", max_length=300)
    # The immediate mail that could not be sent, until a retry succeeds (as on Registration).
    mail_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "avis à l'organisateur"
        indexes = [models.Index(fields=["organization", "created_at"], name="notice_org_time")]

    def __str__(self) -> str:
        return self.text


class NoticeDigest(models.Model):
    """One member's digest of one day: the row that makes the daily send happen once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("jour")
    notices = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    mail_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="uniq_notice_digest_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.day}"
