"""Sign-in under attack (issue 15, point 3): a rate limit per address and a lockout per account
with an increasing delay. 100 wrong passwords in 22 s then the right one used to work."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/organisateur/connexion/"


def attempt(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_101st_attempt_is_refused_even_with_the_right_password(client, users):
    for _ in range(100):
        assert attempt(client, "owner@forges.fr", "mauvais").status_code in (200, 429)

    response = attempt(client, "owner@forges.fr", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    assert int(response["Retry-After"]) > 0
    assert "Trop d" in response.content.decode()


def test_lockout_refuses_the_right_password_then_grows(client, users, _fixed_clock):
    for _ in range(5):  # typos: free
        assert attempt(client, "owner@forges.fr", "mauvais").status_code == 200
    assert attempt(client, "owner@forges.fr", "mauvais").status_code == 200  # starts 30 s

    locked = attempt(client, "owner@forges.fr", PASSWORD)
    assert locked.status_code == 429
    assert 1 <= int(locked["Retry-After"]) <= 30
    assert "Trop d'essais infructueux pour ce compte" in unescape(locked.content.decode())
    assert not signed_in(client)

    _fixed_clock.shift(31)
    attempt(client, "owner@forges.fr", "mauvais")  # one more failure: twice as long
    again = attempt(client, "owner@forges.fr", PASSWORD)
    assert again.status_code == 429
    assert 30 < int(again["Retry-After"]) <= 60

    _fixed_clock.shift(61)
    assert attempt(client, "owner@forges.fr", PASSWORD).status_code == 302
    assert signed_in(client)


def test_success_clears_the_failures(client, users):
    for _ in range(4):
        attempt(client, "owner@forges.fr", "mauvais")
    assert attempt(client, "owner@forges.fr", PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        assert attempt(client, "owner@forges.fr", "mauvais").status_code == 200
    assert attempt(client, "owner@forges.fr", PASSWORD).status_code == 302


def test_lockout_is_per_account_and_the_same_for_unknown_addresses(client, users):
    for _ in range(6):
        attempt(client, "inconnu@nulle-part.fr", "x")
    # An unknown address locks like a real one: the answer says nothing about accounts.
    assert attempt(client, "inconnu@nulle-part.fr", "x").status_code == 429
    # Another account from the same address is not locked.
    assert attempt(client, "viewer@forges.fr", PASSWORD).status_code == 302


def test_address_limit_across_accounts(client, users, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": "3/h"}
    for email in ("a@x.fr", "b@x.fr", "c@x.fr"):
        assert attempt(client, email, "x").status_code == 200

    response = attempt(client, "owner@forges.fr", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "<h1>Trop de tentatives</h1>" in body
    # Another client address is not concerned.
    other = attempt(Client(REMOTE_ADDR="203.0.113.9"), "owner@forges.fr", PASSWORD)
    assert other.status_code == 302
