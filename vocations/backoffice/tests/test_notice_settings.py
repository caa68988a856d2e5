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


@pytest.fixture
def two_memberships(users, org, other_org):
    """The owner belongs to two organizations: one form, two choices."""
    second = Membership.objects.create(user=users["owner"], organization=other_org, role="viewer")
    return Membership.objects.get(user=users["owner"], organization=org), second


def test_one_wrong_choice_saves_none_of_the_others(login, users, two_memberships):
    first, second = two_memberships
    client = login(users["owner"])
    response = client.post(URL, {f"m{first.pk}": "immediate", f"m{second.pk}": "toujours"})
    assert response.status_code == 422
    assert "Choisissez : à chaque fois, un résumé par jour ou aucun e-mail." in text(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.notifications, second.notifications) == ("daily", "daily")
    assert not AuditEntry.objects.filter(action="membership.notifications_changed").exists()


def test_a_write_failing_in_the_middle_writes_nothing(users, two_memberships, monkeypatch):
    from vocations.accounts import services

    first, second = two_memberships
    real_audit_log = services.audit_log
    calls = []

    def audit_log_failing_the_second_time(**kwargs):
        calls.append(kwargs["action"])
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real_audit_log(**kwargs)

    monkeypatch.setattr(services, "audit_log", audit_log_failing_the_second_time)
    with pytest.raises(RuntimeError):
        services.memberships_notifications_set(
            actor=users["owner"], choices={first.pk: "immediate", second.pk: "none"}
        )
    assert len(calls) == 2  # the first membership was written, then rolled back
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.notifications, second.notifications) == ("daily", "daily")
    assert not AuditEntry.objects.filter(action="membership.notifications_changed").exists()


def test_both_choices_are_saved_and_audited_together(login, users, two_memberships):
    first, second = two_memberships
    client = login(users["owner"])
    response = client.post(URL, {f"m{first.pk}": "immediate", f"m{second.pk}": "none"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.notifications, second.notifications) == ("immediate", "none")
    assert AuditEntry.objects.filter(action="membership.notifications_changed").count() == 2
