"""A plan for a campaign's next wave: its inputs, its state while the worker computes it, and
its result (allocation, expected registrations with intervals, comparisons, backtest)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vocations.core.models import TimeStampedModel


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours de calcul"
        DONE = "done", "Prêt"
        FAILED = "failed", "Impossible"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="plans"
    )
    wave = models.ForeignKey(
        "campaigns.Wave", on_delete=models.PROTECT, related_name="plans", verbose_name="vague"
    )
    name = models.CharField("nom", max_length=120)
    budget_cents = models.BigIntegerField("budget (centimes)")
    fixed_costs_cents = models.BigIntegerField("frais fixes (centimes)", default=0)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    # Constraints and weights as entered (see services.plan_create): amounts in cents.
    inputs = models.JSONField("contraintes et poids", default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape", max_length=200, blank=True)
    error = models.TextField("raison", blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "plan de vague"

    def __str__(self) -> str:
        return self.name


class CurveFit(models.Model):
    """Fitted curves cache: one channel's fit (parameters, posterior draws, intervals) under
    the fingerprint of its history and settings (model.fingerprint)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="curve_fits"
    )
    fingerprint = models.CharField(max_length=64)
    fit = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "fingerprint"], name="uniq_curve_fit")
        ]
        verbose_name = "courbe estimée (cache)"

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.fingerprint[:12]}"
