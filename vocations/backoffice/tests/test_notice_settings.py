"""« Avis par e-mail »: a member chooses, per organization, immediate notices, a daily digest
or none; only their own memberships are listed and changed."""

from __future__ import annotations

import pytest

from vocations.accounts.models import Membership
from vocations.core.models import AuditEntry

from .conftest import text

pytestmark = pytest.mark.django_db

URL = "/organisateur/avis/"


def test_a_member_sees_and_changes_their_own_choice(login, users, org, other_org):
    client = login(users["owner"])
    page = text(client.get(URL))
    assert "Forges de Lyon" in page and "Autre usine" not in page
    assert "Un résumé par jour" in page and "Un e-mail à chaque fois" in page
    mine = Membership.objects.get(user=users["owner"], organization=org)
    response = client.post(URL, {f"m{mine.pk}": "immediate"})
    assert response.status_code == 302
    assert "Vos choix d'avis par e-mail sont enregistrés." in text(client.get(URL))
    mine.refresh_from_db()
    assert mine.notifications == "immediate"
    assert AuditEntry.objects.filter(action="membership.notifications_changed").count() == 1


def test_an_unknown_choice_is_refused_in_french_and_nothing_changes(login, users, org):
    client = login(users["viewer"])
    mine = Membership.objects.get(user=users["viewer"])
    response = client.post(URL, {f"m{mine.pk}": "toujours"})
    assert response.status_code == 422
    assert "Choisissez : à chaque fois, un résumé par jour ou aucun e-mail." in text(response)
    mine.refresh_from_db()
    assert mine.notifications == "daily"


def test_another_members_choice_cannot_be_posted(login, users, org, other_org):
    theirs = Membership.objects.get(user=users["other"])
    client = login(users["owner"])
    client.post(URL, {f"m{theirs.pk}": "none"})
    theirs.refresh_from_db()
    assert theirs.notifications == "daily"


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/organisateur/connexion/" in response["Location"]
