"""The "API et webhooks" page: owners create and revoke tokens (shown once), register
webhooks (private addresses refused in French), read the delivery log, test and redeliver."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from vocations.accounts.api_tokens import api_token_create
from vocations.accounts.models import ApiToken
from vocations.webhooks.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


def page(org):
    return reverse("backoffice:integrations", kwargs={"org": org.pk})


def test_an_owner_creates_a_token_shown_once_then_revokes_it(login, users, org):
    client = login(users["owner"])
    response = client.post(
        reverse("backoffice:token_create", kwargs={"org": org.pk}), {"name": "CRM"}
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(organization=org)
    secret = response.context["shown"]["secret"]
    assert secret.startswith(token.prefix) and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(page(org)).content.decode()
    assert secret not in again and f"{token.prefix}…" in again
    client.post(reverse("backoffice:token_revoke", kwargs={"org": org.pk, "pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == users["owner"]


def test_a_past_expiry_is_a_french_form_error(login, users, org):
    response = login(users["owner"]).post(
        reverse("backoffice:token_create", kwargs={"org": org.pk}),
        {"name": "CRM", "expires_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "La date d'expiration doit être dans le futur." in html.unescape(
        response.content.decode()
    )
    assert not ApiToken.objects.exists()


def test_a_viewer_is_refused_and_another_organization_is_not_found(login, users, org, other_org):
    assert login(users["viewer"]).get(page(org)).status_code == 403
    assert login(users["other"]).get(page(org)).status_code == 404
    response = login(users["other"]).post(
        reverse("backoffice:token_create", kwargs={"org": org.pk}), {"name": "Vol"}
    )
    assert response.status_code == 404 and not ApiToken.objects.exists()


def test_a_private_webhook_address_is_refused_in_french(login, users, org, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = login(users["owner"]).post(
        reverse("backoffice:webhook_create", kwargs={"org": org.pk}),
        {"url": "https://192.168.1.20/hooks", "event_types": ["registration.created"]},
    )
    assert response.status_code == 400
    assert "réseau privé ou local (192.168.1.20)" in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_delivery_log_test_and_redeliver(login, users, org, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    client = login(users["owner"])
    response = client.post(
        reverse("backoffice:webhook_create", kwargs={"org": org.pk}),
        {"url": "https://93.184.215.14/hooks", "event_types": ["registration.created"]},
    )
    assert response.status_code == 201
    webhook = Webhook.objects.get()
    assert response.context["shown"]["secret"] == webhook.secret
    queued = []
    monkeypatch.setattr(
        "vocations.webhooks.services.deliver_webhook.delay", lambda pk: queued.append(pk)
    )
    detail = reverse("backoffice:webhook_detail", kwargs={"org": org.pk, "pk": webhook.pk})
    action = reverse(
        "backoffice:webhook_action", kwargs={"org": org.pk, "pk": webhook.pk, "action": "test"}
    )
    with_commit = client.post(action)
    assert with_commit.status_code == 302
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="retrying", attempts=2, response_code=500
    )
    log = client.get(detail).content.decode()
    assert "Nouvel essai prévu" in log and "500" in log and "<code>ping</code>" in log
    client.post(
        reverse(
            "backoffice:delivery_redeliver",
            kwargs={"org": org.pk, "pk": webhook.pk, "delivery": delivery.pk},
        )
    )
    assert WebhookDelivery.objects.filter(redelivery_of=delivery).count() == 1


def _add_rows(org, owner, n: int) -> Webhook:
    for i in range(n):
        api_token_create(actor=owner, organization=org, name=f"Jeton {i}")
        webhook = Webhook.objects.create(
            organization=org, url=f"https://93.184.215.{i}/", event_types=["ping"], secret="s"
        )
        for _ in range(2):
            WebhookDelivery.objects.create(webhook=webhook, event_type="ping", payload={})
    return webhook


def test_the_pages_cost_the_same_queries_with_more_rows(
    login, users, org, django_assert_num_queries
):
    client = login(users["owner"])
    webhook = _add_rows(org, users["owner"], 1)
    log = reverse("backoffice:webhook_detail", kwargs={"org": org.pk, "pk": webhook.pk})
    client.get(page(org))  # warm the session and the user
    # The page: session, user, the organization in scope, the owner's role (the gate: 404 out
    # of scope, 403 for a viewer), tokens (with their creator and revoker joined), webhooks
    # with their latest delivery (subqueries): none per row.
    with django_assert_num_queries(6):
        client.get(page(org))
    # The log: session, user, organization, role, webhook, count, one page of deliveries.
    with django_assert_num_queries(7):
        client.get(log)
    _add_rows(org, users["owner"], 4)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=webhook, event_type="ping", payload={}) for _ in range(10)
    )
    with django_assert_num_queries(6):
        client.get(page(org))
    with django_assert_num_queries(7):
        client.get(log)
