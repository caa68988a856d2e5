"""What an event's organizer records after it for the outcome report: press coverage
(one row per article or broadcast) and facts the platform cannot count itself (officials)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vocations.core.models import TimeStampedModel


class MediaArticle(TimeStampedModel):
    """One piece of press coverage of an event: an article, a report, a broadcast."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="media_articles"
    )
    outlet = models.CharField("média", max_length=150)
    published_on = models.DateField("date de parution")
    title = models.CharField("titre", max_length=300, blank=True)
    url = models.URLField("lien", max_length=500, blank=True)
    # Readers, listeners or viewers as declared by the outlet; unknown stays empty, never 0.
    reach = models.PositiveBigIntegerField("audience déclarée", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "outlet", "pk"]
        verbose_name = "retombée presse"
        verbose_name_plural = "retombées presse"

    def __str__(self) -> str:
        return f"{self.outlet} ({self.published_on:%d/%m/%Y})"


class EventOutcomeFacts(models.Model):
    """Facts of an event's outcome that no registration holds: officials who came."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="outcome_facts"
    )
    # Ministers, members of parliament, prefects…: empty when not recorded, never 0.
    vip_count = models.PositiveIntegerField("personnalités officielles", null=True, blank=True)
    vip_note = models.CharField("précisions", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "faits marquants du bilan"
        verbose_name_plural = "faits marquants des bilans"

    def __str__(self) -> str:
        return f"bilan de {self.event_id}"
