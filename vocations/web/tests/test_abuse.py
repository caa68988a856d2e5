"""Abuse resistance of the public doors (issue 15, point 3): rate limits with a French 429 and
Retry-After (site and API), honeypot and minimum fill time, duplicate groups, token guessing.
60 registrations, 100 token guesses and ten group mails in a second used to go through."""

from __future__ import annotations

import json
import time
from html import unescape

import pytest
from django.test import Client

from vocations.events.models import PressAccreditation, Registration
from vocations.events.services import registration_create
from vocations.events.tickets import self_service_token
from vocations.web.registration.guard import form_started_value

from .registration_support import GROUP, INDIVIDUAL, form_url, make_world, person_data, post

pytestmark = pytest.mark.django_db

JOURNALIST = {
    "full_name": "Claire Dubois",
    "email": "claire.dubois@journal.fr",
    "outlet": "Le Progrès",
    "role": "Journaliste",
}


@pytest.fixture
def event():
    return make_world()[1]


def text(response) -> str:
    return unescape(response.content.decode())


def limit(settings, **rates):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}


def api_register(event, email: str, client: Client | None = None):
    body = {**INDIVIDUAL, "email": email, "consent": True}
    return (client or Client()).post(
        f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json"
    )


# --- rate limits ------------------------------------------------------------------------------


def test_the_registration_over_the_limit_gets_a_french_429_with_retry_after(
    client, event, settings
):
    limit(settings, **{"registration-ip": "3/h"})
    for n in range(3):
        assert (
            post(client, event, {**INDIVIDUAL, "email": f"p{n}@ex.fr"}, key=f"k{n}").status_code
            == 302
        )

    response = post(client, event, {**INDIVIDUAL, "email": "p9@ex.fr"}, key="k9")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert '<html lang="fr">' in page
    assert "Trop de tentatives en peu de temps. Merci de réessayer dans" in page
    assert Registration.objects.count() == 3
    # Another address still registers.
    other = post(Client(REMOTE_ADDR="198.51.100.7"), event, {**INDIVIDUAL, "email": "z@ex.fr"})
    assert other.status_code == 302


def test_the_api_registration_over_the_limit_gets_a_structured_429(event, settings):
    limit(settings, **{"registration-ip": "2/h"})
    client = Client()
    assert api_register(event, "a@ex.fr", client).status_code == 201
    assert api_register(event, "b@ex.fr", client).status_code == 201

    response = api_register(event, "c@ex.fr", client)

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert body["detail"].startswith("Trop de requêtes : réessayez dans")
    assert Registration.objects.count() == 2


def test_one_address_cannot_be_flooded_with_group_mails(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    # Ten group registrations to one address in a second: one group, at most one re-send.
    answers = [
        post(client, event, GROUP, key=f"g{n}", capture=django_capture_on_commit_callbacks)
        for n in range(10)
    ]

    assert answers[0].status_code == 302
    assert Registration.objects.count() == 1
    assert len(mailoutbox) <= 2
    codes = [a.status_code for a in answers[1:]]
    assert set(codes) <= {422, 429}
    assert 429 in codes  # the per-e-mail limit (5 an hour) ends the burst
    assert "Une inscription existe déjà pour cette adresse" in text(answers[1])


def test_another_class_of_the_same_teacher_is_a_new_group(client, event):
    assert post(client, event, GROUP, key="g1").status_code == 302
    # The second class asks more than the seats left: its teacher chooses the waiting list.
    second = {**GROUP, "class_level": "4e", "waitlist": "1"}
    assert post(client, event, second, key="g2").status_code == 302
    assert Registration.objects.count() == 2


def test_token_guessing_is_limited(client, event, settings):
    limit(settings, **{"token-ip": "5/10m"})
    for n in range(5):
        assert client.get(f"/inscription/faux-jeton-{n}/").status_code == 403

    response = client.get("/inscription/faux-jeton-9/")
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()
    # The API's token door shares the counter: same address, same guesses.
    api = client.get("/api/v1/registrations/faux-jeton")
    assert api.status_code == 429
    assert api.json()["code"] == "rate_limited"


def test_a_genuine_token_still_opens_within_the_limit(client, event):
    registration = registration_create(event=event, data=person_data())
    response = client.get(f"/inscription/{self_service_token(registration)}/")
    assert response.status_code == 200


def test_press_requests_are_limited(client, event, settings):
    limit(settings, **{"press-ip": "2/h"})
    url = f"/evenements/{event.slug}/presse/"
    stamp = form_started_value(time.time() - 60)
    for n in range(2):
        data = {**JOURNALIST, "email": f"j{n}@journal.fr", "form_started": stamp}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {**JOURNALIST, "form_started": stamp})
    assert response.status_code == 429
    assert PressAccreditation.objects.count() == 2


# --- honeypot and fill time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"site_web": "http://spam.example"}, "Le formulaire n'a pas pu être envoyé"),
        ({"form_started": ""}, "Le formulaire n'a pas pu être envoyé"),
        ({"form_started": "forgé:123"}, "Le formulaire n'a pas pu être envoyé"),
        ({"form_started": form_started_value}, "envoyé trop vite"),
    ],
    ids=["honeypot", "no-stamp", "forged-stamp", "too-fast"],
)
def test_bots_are_refused_without_writing_anything(
    client, event, mailoutbox, django_capture_on_commit_callbacks, extra, message
):
    extra = {k: (v() if callable(v) else v) for k, v in extra.items()}
    response = post(client, event, INDIVIDUAL, capture=django_capture_on_commit_callbacks, **extra)

    assert response.status_code == 422
    assert message in text(response)
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_a_quick_person_sends_again_after_the_minimum_time(client, event, _fixed_clock):
    page = text(client.get(form_url(event)))
    stamp = page.split('name="form_started" value="')[1].split('"')[0]
    assert post(client, event, INDIVIDUAL, form_started=stamp).status_code == 422

    _fixed_clock.shift(5)
    assert post(client, event, INDIVIDUAL, form_started=stamp).status_code == 302


def test_an_old_form_has_expired(client, event):
    stamp = form_started_value(time.time() - 2 * 86400)
    response = post(client, event, INDIVIDUAL, form_started=stamp)
    assert response.status_code == 422
    assert "Le formulaire a expiré" in text(response)


def test_press_honeypot_and_fill_time(client, event):
    url = f"/evenements/{event.slug}/presse/"
    trap = client.post(
        url, {**JOURNALIST, "site_web": "x", "form_started": form_started_value(time.time() - 60)}
    )
    fast = client.post(url, {**JOURNALIST, "form_started": form_started_value()})
    assert trap.status_code == fast.status_code == 422
    assert "envoyé trop vite" in text(fast)
    assert PressAccreditation.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(client, event):
    page = text(client.get(form_url(event)))
    trap = page.split('class="reg-form__trap"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in trap
    assert 'tabindex="-1"' in trap


def test_the_csrf_answer_carries_a_start_stamp_for_cached_pages(client, event, _fixed_clock):
    data = json.loads(client.get("/jeton-csrf.json").content)
    assert data["token"]
    _fixed_clock.shift(5)
    response = post(client, event, INDIVIDUAL, form_started=data["form_started"])
    assert response.status_code == 302
