"""Per-event activity counts: the roll-up the territory view sums per département and month.

One row per event with a département (vocations/events/activity.py keeps them in step): its
département and start month, whether it is public (labelled and published), its seats offered,
confirmed seats and people present. Summing ≤ 30,000 small rows replaces joining every
registration to its event on each view.
"""

from __future__ import annotations

from django.db import models


class EventActivity(models.Model):
    event = models.OneToOneField(
        "events.Event", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.CASCADE, related_name="+"
    )
    # First day of the event's start month (Europe/Paris).
    month = models.DateField()
    public = models.BooleanField()
    seats = models.PositiveIntegerField(default=0)
    registrations = models.IntegerField(default=0)
    attendance = models.IntegerField(default=0)

    class Meta:
        verbose_name = "activité d'un événement (cumul)"
        indexes = [
            models.Index(fields=["public", "department", "month"], name="eventactivity_dept")
        ]

    def __str__(self) -> str:
        return f"activité de l'événement {self.event_id}"
