"""Reads for the back-office pages: an organization's webhooks, a webhook's delivery log."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery

from .models import Webhook, WebhookDelivery

DELIVERIES_PER_PAGE = 25


def webhooks_for(organization) -> list[Webhook]:
    """The organization's webhooks, each with the status of its latest delivery (one query)."""
    latest = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    return list(
        Webhook.objects.filter(organization=organization).annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_delivery_at=Subquery(latest.values("created_at")[:1]),
        )
    )


def webhook_deliveries(webhook: Webhook, *, page: int | str = 1) -> Page:
    deliveries = WebhookDelivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")
    return Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(page)


def webhook_of_organization(organization, pk) -> Webhook | None:
    """One webhook of this organization (the permission gate's nested lookup)."""
    webhook = Webhook.objects.filter(organization=organization, pk=pk).first()
    if webhook is not None:
        webhook.organization = organization  # already read: no second query
    return webhook


def delivery_of_webhook(webhook: Webhook, pk) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(webhook=webhook, pk=pk).first()
