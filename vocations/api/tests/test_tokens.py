"""API tokens: one organization's token reads only its organization (404 elsewhere); revoked,
expired or unknown tokens get a French 401; each token has its own rate limit (docs/api.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from vocations.accounts.api_tokens import api_token_create, api_token_revoke
from vocations.accounts.models import ApiToken, Membership, User
from vocations.core.models import AuditEntry
from vocations.events.services import registration_create
from vocations.events.tests.test_registrations_support import make_event, make_organization, person

pytestmark = pytest.mark.django_db


def owner_of(organization, email):
    user = User.objects.create_user(email, "mot-de-passe-de-test")
    Membership.objects.create(user=user, organization=organization, role="owner")
    return user


@pytest.fixture
def world():
    org_a, org_b = make_organization(), make_organization()
    owner_a = owner_of(org_a, "a@forges.fr")
    event_a = make_event(organization=org_a)
    event_b = make_event(organization=org_b)
    draft_a = make_event(organization=org_a, is_published=False, title="Brouillon")
    registration_a = registration_create(event=event_a, data=person())
    registration_b = registration_create(event=event_b, data=person("b@example.fr"))
    token, raw = api_token_create(actor=owner_a, organization=org_a, name="CRM")
    return {
        "owner": owner_a,
        "org": org_a,
        "event_a": event_a,
        "event_b": event_b,
        "draft_a": draft_a,
        "registration_a": registration_a,
        "registration_b": registration_b,
        "token": token,
        "raw": raw,
    }


def get(client: Client, path: str, raw: str | None):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return client.get(f"/api/v1{path}", headers=headers)


def test_a_token_reads_its_own_organization_drafts_included(client, world):
    response = get(client, "/organisation/events", world["raw"])
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world["event_a"].pk, world["draft_a"].pk}
    registrations = get(
        client, f"/organisation/events/{world['event_a'].pk}/registrations", world["raw"]
    ).json()
    assert registrations["count"] == 1
    row = registrations["results"][0]
    assert row["email"] == "lea@example.fr" and "ticket_code" not in row
    assert get(client, "/organisation", world["raw"]).json()["id"] == world["org"].pk


def test_another_organizations_objects_are_404(client, world):
    event_b, registration_b = world["event_b"], world["registration_b"]
    for path in (
        f"/organisation/events/{event_b.pk}",
        f"/organisation/events/{event_b.pk}/registrations",
        f"/organisation/registrations/{registration_b.pk}",
    ):
        response = get(client, path, world["raw"])
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Ressource introuvable.", "errors": {}}
    own = get(client, f"/organisation/registrations/{world['registration_a'].pk}", world["raw"])
    assert own.status_code == 200


@pytest.mark.parametrize("case", ["missing", "unknown", "revoked", "expired", "wrong scheme"])
def test_no_valid_token_is_a_french_401(client, world, _fixed_clock, case):
    raw = world["raw"]
    headers = {"Authorization": f"Bearer {raw}"}
    if case == "missing":
        headers = {}
    elif case == "unknown":
        headers = {"Authorization": "Bearer voc_" + "x" * 43}
    elif case == "revoked":
        api_token_revoke(actor=world["owner"], token=world["token"])
    elif case == "expired":
        ApiToken.objects.filter(pk=world["token"].pk).update(
            expires_at=timezone.now() + dt.timedelta(days=1)
        )
        assert client.get("/api/v1/organisation", headers=headers).status_code == 200
        _fixed_clock.shift(dt.timedelta(days=2))
    elif case == "wrong scheme":
        headers = {"Authorization": f"Token {raw}"}
    response = client.get("/api/v1/organisation/events", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Authentification requise")
    assert response.json()["errors"] == {}


def test_the_token_is_stored_hashed_shown_once_and_its_use_recorded(client, world):
    token = ApiToken.objects.get(pk=world["token"].pk)
    assert world["raw"].startswith("voc_") and len(world["raw"]) > 40
    assert world["raw"] not in (token.token_hash, token.prefix)
    assert world["raw"].startswith(token.prefix)
    assert token.last_used_at is None
    get(client, "/organisation", world["raw"])
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_creation_and_revocation_are_audited_and_owners_only(world):
    assert AuditEntry.objects.filter(action="api_token.created", organization=world["org"]).exists()
    api_token_revoke(actor=world["owner"], token=world["token"])
    api_token_revoke(actor=world["owner"], token=world["token"])  # twice: one entry
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
    editor = User.objects.create_user("ed@forges.fr", "mot-de-passe-de-test")
    Membership.objects.create(user=editor, organization=world["org"], role="editor")
    with pytest.raises(PermissionDenied):
        api_token_create(actor=editor, organization=world["org"], name="Mine")


def test_each_token_has_its_own_rate_limit(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-token": "2/h"}
    for _ in range(2):
        assert get(client, "/organisation", world["raw"]).status_code == 200
    refused = get(client, "/organisation", world["raw"])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "rate_limited"
    _, other = api_token_create(actor=world["owner"], organization=world["org"], name="Agenda")
    assert get(client, "/organisation", other).status_code == 200  # same address, own count


def test_a_token_scopes_the_idempotency_key_of_a_registration(client, world):
    body = {
        "kind": "individual",
        "email": "zoe@example.fr",
        "first_name": "Zoé",
        "last_name": "Roux",
        "audience": "young_people",
        "consent": True,
    }
    path = f"/api/v1/events/{world['event_a'].pk}/registrations"
    auth = {"Authorization": f"Bearer {world['raw']}", "Idempotency-Key": "k-1"}
    first = client.post(path, body, content_type="application/json", headers=auth)
    again = client.post(path, body, content_type="application/json", headers=auth)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    bad = client.post(
        path, body, content_type="application/json", headers={"Authorization": "Bearer voc_nope"}
    )
    assert bad.status_code == 401


def test_the_list_endpoints_cost_the_same_queries_with_more_rows(
    client, world, django_assert_num_queries
):
    event = world["event_a"]
    paths = ["/organisation/events", f"/organisation/events/{event.pk}/registrations"]
    get(client, paths[0], world["raw"])  # the token's last use is now recorded
    # Each: the token with its organization (one join), then count and page; the registrations
    # list first checks that the event is the organization's.
    expected = {paths[0]: 3, paths[1]: 4}
    for path in paths:
        with django_assert_num_queries(expected[path]):
            assert get(client, path, world["raw"]).status_code == 200
    for n in range(4):
        make_event(organization=world["org"])
        registration_create(event=event, data=person(f"p{n}@example.fr"))
    for path in paths:
        with django_assert_num_queries(expected[path]):
            assert get(client, path, world["raw"]).json()["count"] >= 5
