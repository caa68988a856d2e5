"""An idempotency key replays only for the caller that sent it (issue 15, point 2).

The attack: someone registers through the API with `Idempotency-Key: K`; an attacker who knows
K and the e-mail posts the public form with `idempotency_key=K` and was redirected to the
victim's confirmation page (their token: name, QR code, cancel link).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vocations.events.models import Registration

from .registration_support import GROUP, INDIVIDUAL, form_url, make_world, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_world()[1]


def browser() -> Client:
    """A browser as production sees it: CSRF enforced, so the form must be loaded first."""
    return Client(enforce_csrf_checks=True)


def submit(client: Client, event, data: dict, key: str):
    page = client.get(form_url(event))
    assert page.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(
        form_url(event),
        {
            **data,
            "idempotency_key": key,
            "csrfmiddlewaretoken": csrf.group(1),
            "form_started": started(),
        },
    )


def api_register(event, body: dict, key: str):
    return Client().post(
        f"/api/v1/events/{event.pk}/registrations",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def api_body(data: dict) -> dict:
    body = dict(data, consent=True)
    for name in ("pupils", "adults"):
        if name in body:
            body[name] = int(body[name])
    return body


def test_form_replay_of_an_api_key_does_not_reveal_the_registration(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    victim = api_register(event, api_body(INDIVIDUAL), "K-123")
    assert victim.status_code == 201
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(browser(), event, INDIVIDUAL, "K-123")

    assert response.status_code == 422  # not a redirect to the victim's confirmation page
    assert "/confirmation/" not in response.get("Location", "")
    assert "/inscription/" not in response.get("Location", "")
    assert Registration.objects.count() == 1
    # What any duplicate gets: the link goes to the victim's own mailbox, not to the caller.
    assert [m.to for m in mailoutbox] == [[INDIVIDUAL["email"]]]


def test_form_replay_from_another_browser_does_not_reveal_a_group(event):
    # The key is scoped to the teacher's browser: the attacker gets a duplicate answer, never
    # the teacher's confirmation page.
    teacher, attacker = browser(), browser()
    first = submit(teacher, event, GROUP, "cle-classe")
    assert first.status_code == 302 and "/confirmation/" in first["Location"]

    response = submit(attacker, event, GROUP, "cle-classe")

    assert response.get("Location") != first["Location"]
    # The teacher's own retry still replays to the same page.
    assert submit(teacher, event, GROUP, "cle-classe")["Location"] == first["Location"]


def test_api_replay_of_a_form_key_is_not_a_replay(event):
    form = submit(browser(), event, GROUP, "cle-formulaire")
    assert form.status_code == 302

    # Another class of the same school: a new group, not the form's one.
    # It asks more than the seats left: the waiting list, as the API lets a partner choose.
    body = {**api_body({**GROUP, "class_level": "4e"}), "waitlist": True}
    response = api_register(event, body, "cle-formulaire")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_api_replay_of_a_form_key_for_the_same_group_is_a_duplicate_without_token(event):
    form = submit(browser(), event, GROUP, "cle-formulaire")
    assert form.status_code == 302

    response = api_register(event, api_body(GROUP), "cle-formulaire")

    # Same e-mail, school and class within minutes: the duplicate answer, no second group.
    assert response.status_code == 409
    assert "token" not in response.content.decode()
    assert Registration.objects.count() == 1


def test_api_retry_still_replays(event):
    first = api_register(event, api_body(GROUP), "K-9")
    again = api_register(event, api_body(GROUP), "K-9")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Registration.objects.count() == 1
