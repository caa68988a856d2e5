"""Webhooks: what the domain announces reaches the organization's endpoints, signed, after the
commit, retried with backoff, logged; private addresses are refused (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ValidationError
from django.db import transaction

from vocations.core.models import AuditEntry
from vocations.events.models import Registration
from vocations.events.payloads import registration_payload
from vocations.events.services import registration_cancel, registration_create
from vocations.events.tests.test_registrations_support import make_event, person
from vocations.webhooks import services as webhook_services
from vocations.webhooks.delivery import MAX_ATTEMPTS
from vocations.webhooks.models import Webhook, WebhookDelivery
from vocations.webhooks.services import webhook_create, webhook_send_test
from vocations.webhooks.tasks import deliver_webhook

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"
ALL = ["registration.created", "registration.cancelled", "registration.checked_in"]


def documented_verify():
    """The verification snippet partners copy from docs/api.md, run as they would run it."""
    text = DOCS.read_text()
    block = re.search(r"<!-- verify-snippet -->\s*```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(block, namespace)  # noqa: S102 - our own documentation, under test
    return namespace["verify_vocations_signature"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block queued for after its commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def hook(owner, receiver):
    user, organization = owner
    webhook, secret = webhook_create(
        actor=user, organization=organization, url=receiver.url, event_types=ALL
    )
    return webhook, secret, organization


def test_a_registration_is_delivered_signed_and_the_documented_snippet_verifies_it(
    hook, receiver, django_capture_on_commit_callbacks
):
    webhook, secret, organization = hook
    event = make_event(organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=person())
    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert sent["headers"]["X-Vocations-Event"] == "registration.created"
    verify = documented_verify()
    signature = sent["headers"]["X-Vocations-Signature"]
    assert verify(secret, signature, sent["body"])
    assert not verify(secret, signature, sent["body"] + b" ")  # a changed body fails
    assert not verify("whsec_autre", signature, sent["body"])  # another secret fails
    body = json.loads(sent["body"])
    registration.refresh_from_db()
    # No more than the token API gives the same organization: the very same representation.
    expected = json.loads(json.dumps(registration_payload(registration), default=str))
    assert body["data"]["registration"]["id"] == registration.pk
    assert set(body["data"]["registration"]) == set(expected)
    assert "ticket_code" not in body["data"]["registration"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)


def test_an_old_signature_is_refused_by_the_snippet(hook, receiver, _fixed_clock, committed):
    webhook, secret, _ = hook
    with committed():
        webhook_send_test(actor=webhook.created_by, webhook=webhook)
    sent = receiver.requests[-1]
    _fixed_clock.shift(dt.timedelta(minutes=10))
    assert not documented_verify()(secret, sent["headers"]["X-Vocations-Signature"], sent["body"])


def test_nothing_is_sent_for_a_rolled_back_registration(hook, receiver):
    _, _, organization = hook
    event = make_event(organization=organization)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        registration_create(event=event, data=person())
        raise Abort
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_only_subscribed_events_of_the_same_organization_are_sent(
    owner, receiver, django_capture_on_commit_callbacks
):
    user, organization = owner
    webhook_create(
        actor=user, organization=organization, url=receiver.url, event_types=["event.published"]
    )
    other_event = make_event()  # another organization
    event = make_event(organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=other_event, data=person())
        registration_create(event=event, data=person("sam@example.fr"))
    assert receiver.requests == []


def test_a_cancellation_and_a_promotion_are_sent(
    hook, receiver, django_capture_on_commit_callbacks
):
    webhook, _, organization = hook
    Webhook.objects.filter(pk=webhook.pk).update(
        event_types=["registration.cancelled", "registration.changed"]
    )
    event = make_event(organization=organization, capacity=1)
    first = registration_create(event=event, data=person())
    registration_create(event=event, data=person("sam@example.fr"))  # waitlisted
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    types = [r["headers"]["X-Vocations-Event"] for r in receiver.requests]
    assert sorted(types) == ["registration.cancelled", "registration.changed"]
    promoted = next(json.loads(r["body"]) for r in receiver.requests if b'"promoted"' in r["body"])
    assert promoted["data"]["registration"]["status"] == "confirmed"


def test_a_failing_receiver_never_costs_the_registration(hook, monkeypatch):
    _, _, organization = hook

    def broken(**kwargs):
        raise RuntimeError("webhooks down")

    monkeypatch.setattr("vocations.webhooks.receivers.emit", broken)
    registration = registration_create(event=make_event(organization=organization), data=person())
    assert Registration.objects.filter(pk=registration.pk, status="confirmed").exists()


def _as_worker(delivery_id: int, retries: int):
    """Run the task as the worker would for its ``retries``-th retry (not inline)."""
    deliver_webhook.push_request(retries=retries, is_eager=False, called_directly=False)
    try:
        return deliver_webhook.run(delivery_id)
    finally:
        deliver_webhook.pop_request()


def _queued_delivery(webhook) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        webhook=webhook, event_type="ping", payload={"type": "ping", "data": {}}
    )


def test_a_500_is_retried_by_the_worker_with_exponential_backoff(hook, receiver, monkeypatch):
    webhook, secret, _ = hook
    receiver.statuses = [500, 503]
    delivery = _queued_delivery(webhook)
    countdowns = []
    monkeypatch.setattr(
        deliver_webhook,
        "retry",
        lambda **kw: countdowns.append(kw["countdown"]) or Retry(when=kw["countdown"]),
    )
    for retries in (0, 1):
        with pytest.raises(Retry):
            _as_worker(delivery.pk, retries)
        delivery.refresh_from_db()
        assert delivery.status == "retrying"
        assert delivery.next_retry_at == delivery.last_attempt_at + dt.timedelta(
            seconds=countdowns[-1]
        )
    assert countdowns == [60, 120]
    assert delivery.response_code == 503
    assert _as_worker(delivery.pk, 2) == "succeeded"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 3, 200)
    assert delivery.next_retry_at is None
    # The same delivery id on each attempt, each one signed anew.
    ids = {r["headers"]["X-Vocations-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.uuid)}
    assert all(
        documented_verify()(secret, r["headers"]["X-Vocations-Signature"], r["body"])
        for r in receiver.requests
    )


def test_after_the_last_attempt_the_delivery_is_failed(hook, receiver, monkeypatch):
    webhook, _, _ = hook
    receiver.statuses = [500] * MAX_ATTEMPTS
    delivery = _queued_delivery(webhook)
    monkeypatch.setattr(deliver_webhook, "retry", lambda **kw: Retry(when=kw["countdown"]))
    for retries in range(MAX_ATTEMPTS - 1):
        with pytest.raises(Retry):
            _as_worker(delivery.pk, retries)
    assert _as_worker(delivery.pk, MAX_ATTEMPTS - 1) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_retry_at) == (
        "failed",
        MAX_ATTEMPTS,
        None,
    )


def test_a_delivery_already_sent_is_not_sent_twice(hook, receiver, committed):
    webhook, _, _ = hook
    with committed():
        delivery = webhook_send_test(actor=webhook.created_by, webhook=webhook)
    assert len(receiver.requests) == 1
    assert _as_worker(delivery.pk, 0) == "skipped"  # a duplicate message from the broker
    assert len(receiver.requests) == 1


def test_redelivery_sends_the_same_payload_as_a_new_logged_delivery(hook, receiver, committed):
    webhook, _, _ = hook
    receiver.statuses = [500]
    with committed():
        first = webhook_send_test(actor=webhook.created_by, webhook=webhook)
    first.refresh_from_db()
    assert first.status == "failed"  # inline: one attempt, then the log says so
    with committed():
        again = webhook_services.delivery_redeliver(actor=webhook.created_by, delivery=first)
    again.refresh_from_db()
    assert again.status == "succeeded" and again.redelivery_of_id == first.pk
    assert again.payload == first.payload
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert AuditEntry.objects.filter(action="webhook.redeliver").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://localhost/hooks",
        "https://0.0.0.0/hooks",
    ],
)
def test_private_and_loopback_addresses_are_refused_in_production(owner, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    user, organization = owner
    with pytest.raises(ValidationError) as refused:
        webhook_create(actor=user, organization=organization, url=url, event_types=ALL)
    assert "réseau privé ou local" in refused.value.message_dict["url"][0]
    assert not Webhook.objects.exists()


def test_plain_http_is_refused_in_production(owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    user, organization = owner
    with pytest.raises(ValidationError) as refused:
        webhook_create(
            actor=user, organization=organization, url="http://93.184.215.14/", event_types=ALL
        )
    assert refused.value.message_dict["url"] == [
        "L'adresse doit commencer par https:// (les envois sont chiffrés)."
    ]


def test_a_public_address_is_accepted_and_audited(owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    user, organization = owner
    webhook, secret = webhook_create(
        actor=user, organization=organization, url="https://93.184.215.14/hooks", event_types=ALL
    )
    assert secret.startswith("whsec_") and webhook.event_types == ALL
    assert AuditEntry.objects.filter(action="webhook.created", organization=organization).exists()


def test_a_delivery_to_an_address_now_private_is_not_sent(hook, receiver, settings, committed):
    webhook, _, _ = hook
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False  # the receiver is on 127.0.0.1
    with committed():
        delivery = webhook_send_test(actor=webhook.created_by, webhook=webhook)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.status == "failed"
    assert delivery.error.startswith("Adresse privée refusée")


def test_only_an_owner_registers_a_webhook(owner, receiver):
    from vocations.accounts.models import Membership, User

    _, organization = owner
    editor = User.objects.create_user("editor@forges.fr", "mot-de-passe-de-test")
    Membership.objects.create(user=editor, organization=organization, role="editor")
    with pytest.raises(Exception) as refused:
        webhook_create(actor=editor, organization=organization, url=receiver.url, event_types=ALL)
    assert type(refused.value).__name__ == "PermissionDenied"


def test_the_log_forgets_finished_deliveries_after_thirty_days(hook, _fixed_clock):
    from vocations.webhooks.tasks import purge_delivery_log

    webhook, _, _ = hook
    old_done = _queued_delivery(webhook)
    old_waiting = _queued_delivery(webhook)
    WebhookDelivery.objects.filter(pk=old_done.pk).update(status="succeeded")
    WebhookDelivery.objects.filter(pk=old_waiting.pk).update(status="retrying")
    _fixed_clock.shift(dt.timedelta(days=31))
    recent = _queued_delivery(webhook)
    assert purge_delivery_log() == 1
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {
        old_waiting.pk,
        recent.pk,
    }


def test_the_deployment_check_refuses_private_webhooks_in_production(settings):
    from vocations.core.checks import webhooks_stay_public

    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    assert [e.id for e in webhooks_stay_public()] == ["vocations.E006"]
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    assert webhooks_stay_public() == []


def test_check_in_and_publication_are_sent(owner, receiver, committed):
    from vocations.events.services import event_publish
    from vocations.events.services.checkin import registration_check_in

    user, organization = owner
    webhook_create(
        actor=user,
        organization=organization,
        url=receiver.url,
        event_types=["registration.checked_in", "event.published"],
    )
    event = make_event(organization=organization)
    registration = registration_create(event=event, data=person())
    draft = make_event(organization=organization, is_published=False)
    with committed():
        registration_check_in(actor=user, event=event, ticket=registration.ticket_code)
        event_publish(actor=user, event=draft)
    sent = {r["headers"]["X-Vocations-Event"]: json.loads(r["body"]) for r in receiver.requests}
    assert set(sent) == {"registration.checked_in", "event.published"}
    assert sent["registration.checked_in"]["data"]["registration"]["attended"] == 1
    assert sent["event.published"]["data"]["event"]["id"] == draft.pk
    assert sent["event.published"]["data"]["event"]["is_published"] is True


def test_self_service_changes_are_sent(hook, receiver, django_capture_on_commit_callbacks):
    """A registrant correcting their name on the self-service page is a change partners see."""
    from vocations.events.services.self_service import registration_rename

    webhook, _, organization = hook
    Webhook.objects.filter(pk=webhook.pk).update(event_types=["registration.changed"])
    event = make_event(organization=organization, capacity=5)
    registration = registration_create(event=event, data=person())
    with django_capture_on_commit_callbacks(execute=True):
        registration_rename(registration=registration, first_name="Léna", last_name="Martin")
    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert request["headers"]["X-Vocations-Event"] == "registration.changed"
    assert body["data"]["change"] == "name"
    assert body["data"]["registration"]["first_name"] == "Léna"
