"""The demo organizer's company shows one token and one webhook with a delivery log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vocations.accounts.models import ApiToken, Membership, User
from vocations.events.services import registration_create
from vocations.events.tests.test_registrations_support import make_event, person
from vocations.webhooks.demo import build_demo_integrations
from vocations.webhooks.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_the_demo_company_has_a_token_and_a_webhook_with_its_log(client, owner):
    user, organization = owner
    event = make_event(organization=organization)
    for email in ("lea@example.fr", "sam@example.fr"):
        registration_create(event=event, data=person(email))
    build_demo_integrations(organization)
    build_demo_integrations(organization)  # a re-run replaces, never doubles
    token = ApiToken.objects.get(organization=organization)
    assert token.created_by == user and token.revoked_at is None
    webhook = Webhook.objects.get(organization=organization)
    statuses = sorted(
        WebhookDelivery.objects.filter(webhook=webhook).values_list("status", flat=True)
    )
    assert statuses == ["retrying", "succeeded", "succeeded"]
    sent = WebhookDelivery.objects.filter(webhook=webhook, event_type="registration.created")
    assert {d.payload["data"]["registration"]["event_id"] for d in sent} == {event.pk}
    client.force_login(user)
    log = client.get(
        reverse("backoffice:webhook_detail", kwargs={"org": organization.pk, "pk": webhook.pk})
    )
    assert "Réponse HTTP 503." in log.content.decode()
    assert Membership.objects.filter(user=user).count() == 1
    assert User.objects.count() == 1
