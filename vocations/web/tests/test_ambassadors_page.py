# ruff: noqa: F811 - pytest fixtures imported from vocations/ambassadors/tests/conftest.py
"""The collective's public page and the request-to-join form."""

from __future__ import annotations

import html

import pytest

from vocations.ambassadors.models import Invitation
from vocations.ambassadors.services import ProfileData, ambassador_update_profile
from vocations.ambassadors.tests.conftest import (  # noqa: F401 - fixtures
    _measurement,
    alice,
    bruno,
    collective,
    coordinator,
    departments,
    make_member,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_page_shows_themes_what_it_is_not_and_only_public_members(client, alice, bruno):
    ambassador_update_profile(
        actor=alice.user,
        ambassador=alice,
        data=ProfileData(
            display_name="Alice Martin",
            role="Cheffe d'atelier",
            is_public=True,
            department=alice.department,
        ),
    )
    response = client.get("/ambassadeurs/")
    page = text(response)
    assert response.status_code == 200 and not response.cookies
    assert "csrfmiddlewaretoken" not in page
    assert "Inclusion et diversité" in page and "Mobilisations territoriales" in page
    assert "pas un lobby" in page and "pas de comité de validation" in page
    assert "Alice Martin" in page and "Cheffe d'atelier" in page
    assert "Bruno" not in page  # not chosen to be shown
    assert "alice@example.fr" not in page  # never an e-mail


def test_page_changes_when_a_member_chooses_to_be_shown(client, alice):
    assert "Alice Martin" not in text(client.get("/ambassadeurs/"))
    ambassador_update_profile(
        actor=alice.user,
        ambassador=alice,
        data=ProfileData(display_name="Alice Martin", is_public=True),
    )
    assert "Alice Martin" in text(client.get("/ambassadeurs/"))  # the cache was bumped


def test_request_to_join(client, collective, departments):
    response = client.post(
        "/ambassadeurs/rejoindre/",
        {"full_name": "Farid Haddad", "email": "pas-une-adresse", "department": ""},
    )
    assert response.status_code == 200
    assert "Adresse e-mail : Saisissez une adresse de courriel valide" in text(response)
    response = client.post(
        "/ambassadeurs/rejoindre/",
        {
            "full_name": "Farid Haddad",
            "email": "farid@example.fr",
            "department": departments["42"].pk,
            "message": "Je forme des apprentis.",
        },
    )
    assert response.status_code == 302
    request = Invitation.objects.get()
    assert (request.kind, request.status, request.department) == (
        "request",
        "pending",
        departments["42"],
    )
    again = client.post(
        "/ambassadeurs/rejoindre/", {"full_name": "Farid", "email": "farid@example.fr"}
    )
    assert "déjà en attente" in text(again)
