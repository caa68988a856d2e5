"""Back-office sessions end after 30 minutes idle (issue 15, point 8): they lasted two weeks."""

from __future__ import annotations

from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def test_an_idle_session_ends_after_thirty_minutes(client, users, _fixed_clock, settings):
    assert settings.BACKOFFICE_IDLE_SECONDS == 1800
    client.force_login(users["owner"])
    assert client.get("/organisateur/").status_code == 200

    _fixed_clock.shift(29 * 60)  # still working: each request moves the clock on
    assert client.get("/organisateur/").status_code == 200
    _fixed_clock.shift(29 * 60)
    assert client.get("/organisateur/").status_code == 200

    _fixed_clock.shift(31 * 60)
    response = client.get("/organisateur/evenements/nouveau/")

    assert response.status_code == 302
    assert response["Location"] == (
        "/organisateur/connexion/?expiree=1&next=%2Forganisateur%2Fevenements%2Fnouveau%2F"
    )
    assert "_auth_user_id" not in client.session
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Votre session a expiré après une période d'inactivité" in page


def test_an_idle_session_ends_on_public_pages_too(client, users, _fixed_clock):
    client.force_login(users["staff"])
    _fixed_clock.shift(31 * 60)
    assert client.get("/mentions-legales/").status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_session_cookie_lasts_a_working_day_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
