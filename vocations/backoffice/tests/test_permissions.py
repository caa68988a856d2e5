"""Who may reach what: sign-in required, organizations sealed off from each other, staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vocations.events.models import Event, Label, LabelTransition

from .conftest import form_payload, text

pytestmark = pytest.mark.django_db

EVENT_PAGES = [
    "event_detail",
    "event_edit",
    "event_duplicate",
    "kit",
    "kit_qr_svg",
    "kit_qr_png",
    "kit_banner_svg",
]
EVENT_POSTS = ["event_publish", "event_unpublish", "event_submit"]


def snapshot(event: Event) -> tuple:
    event.refresh_from_db()
    label = Label.objects.get(event=event)
    return (
        event.title,
        event.starts_at,
        event.is_published,
        event.updated_at,
        label.state,
        LabelTransition.objects.filter(label=label).count(),
        Event.objects.count(),
    )


@pytest.mark.parametrize("name", ["dashboard", "event_create", "review_queue", "communes_lookup"])
def test_pages_need_sign_in(client, name):
    response = client.get(reverse(f"backoffice:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/organisateur/connexion/?next=")


def test_event_pages_need_sign_in(client, draft_event):
    for name in EVENT_PAGES:
        response = client.get(reverse(f"backoffice:{name}", args=[draft_event.pk]))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/organisateur/connexion/"), name
    for name in EVENT_POSTS:
        response = client.post(reverse(f"backoffice:{name}", args=[draft_event.pk]))
        assert response.status_code == 302, name
    assert Label.objects.get(event=draft_event).state == Label.State.DRAFT


def test_organizer_does_not_see_another_organizations_draft_in_the_list(
    login, users, draft_event, other_draft
):
    response = login(users["owner"]).get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    content = text(response)
    assert draft_event.title in content
    assert other_draft.title not in content
    assert "Autre usine" not in content


@pytest.mark.parametrize("name", EVENT_PAGES)
def test_organizer_cannot_open_another_organizations_event(login, users, other_draft, name):
    # Labelled, so that the kit's "not labelled" refusal cannot be what answers.
    Label.objects.filter(event=other_draft).update(state=Label.State.LABELLED)
    response = login(users["owner"]).get(reverse(f"backoffice:{name}", args=[other_draft.pk]))
    assert response.status_code == 404
    assert other_draft.title.encode() not in response.content
    if name in ("event_detail", "event_edit", "kit"):
        assert "n'appartient pas à l'une de vos organisations" in text(response)


@pytest.mark.parametrize("name", EVENT_POSTS)
def test_forged_posts_on_another_organizations_event_change_nothing(
    login, users, other_draft, name
):
    if name == "event_unpublish":
        other_draft.is_published = True
        other_draft.save(update_fields=["is_published"])
    before = snapshot(other_draft)
    response = login(users["owner"]).post(reverse(f"backoffice:{name}", args=[other_draft.pk]))
    assert response.status_code == 404
    assert snapshot(other_draft) == before


def test_forged_edit_of_another_organizations_event_changes_nothing(login, users, other_draft):
    before = snapshot(other_draft)
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[other_draft.pk]),
        form_payload(title="Piraté"),
    )
    assert response.status_code == 404
    assert snapshot(other_draft) == before


def test_forged_duplicate_of_another_organizations_event_creates_nothing(login, users, other_draft):
    before = snapshot(other_draft)
    response = login(users["owner"]).post(
        reverse("backoffice:event_duplicate", args=[other_draft.pk]),
        {"starts_at": "2027-03-27T09:00"},
    )
    assert response.status_code == 404
    assert snapshot(other_draft) == before


def test_create_for_another_organization_is_refused(login, users, org, other_org):
    response = login(users["owner"]).post(
        reverse("backoffice:event_create"), form_payload(organization=other_org.pk)
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not Event.objects.exists()


def test_viewer_may_see_but_not_change(login, users, draft_event):
    client = login(users["viewer"])
    assert client.get(reverse("backoffice:event_detail", args=[draft_event.pk])).status_code == 200
    before = snapshot(draft_event)
    response = client.post(
        reverse("backoffice:event_edit", args=[draft_event.pk]), form_payload(title="Changé")
    )
    assert response.status_code == 403
    assert "lecteur" in text(response)
    response = client.post(reverse("backoffice:event_submit", args=[draft_event.pk]))
    assert response.status_code == 403
    assert snapshot(draft_event) == before


def test_viewer_cannot_create_events(login, users, org):
    response = login(users["viewer"]).get(reverse("backoffice:event_create"))
    assert response.status_code == 403
    assert "éditeur" in text(response)


@pytest.mark.parametrize("name", EVENT_POSTS)
def test_state_changes_are_post_only(login, users, draft_event, name):
    response = login(users["owner"]).get(reverse(f"backoffice:{name}", args=[draft_event.pk]))
    assert response.status_code == 405


def test_sign_in_with_email_and_sign_out(client, users, org):
    response = client.get(reverse("backoffice:login"))
    content = text(response)
    assert '<label for="id_username">Adresse e-mail' in content
    assert content.count("<h1") == 1

    response = client.post(
        reverse("backoffice:login"),
        {"username": "owner@forges.fr", "password": "faux"},
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in text(response)
    assert 'role="alert"' in text(response)

    response = client.post(
        reverse("backoffice:login"),
        {"username": "Owner@Forges.fr", "password": "mot-de-passe-de-test"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisateur/"
    assert client.get("/organisateur/").status_code == 200

    assert client.get(reverse("backoffice:logout")).status_code == 405
    response = client.post(reverse("backoffice:logout"))
    assert response.status_code == 302
    assert client.get("/organisateur/").status_code == 302
