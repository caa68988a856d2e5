"""The campaign label: an event's moderation state under the campaign banner."""

from django.conf import settings
from django.db import models


class Label(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SUBMITTED = "submitted", "En attente de revue"
        CHANGES_REQUESTED = "changes_requested", "Modifications demandées"
        LABELLED = "labelled", "Labellisé"
        REFUSED = "refused", "Refusé"

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="label")
    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # When the current wait for a review started (for the queue's waiting time).
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.TextField("dernier message de la revue", blank=True)

    class Meta:
        verbose_name = "label"

    def __str__(self) -> str:
        return f"{self.event} — {self.get_state_display()}"


class LabelTransition(models.Model):
    """The history the organizer sees: each state change with who and why."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Label.State.choices)
    to_state = models.CharField(max_length=20, choices=Label.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class LabelPeriod(models.Model):
    """A campaign period during which events can carry the label (e.g. a wave's weeks)."""

    name = models.CharField("nom", max_length=120)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    # The campaign commits to review a submitted event within this many working days.
    review_working_days = models.PositiveSmallIntegerField(
        "délai de revue (jours ouvrés)", default=4
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name = "période de labellisation"
        verbose_name_plural = "périodes de labellisation"

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"
