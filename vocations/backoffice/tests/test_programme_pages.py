from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vocations.events.models import EventPartner, Session, SessionInvitation, Universe
from vocations.events.services import SessionData, session_create

from .conftest import at, png_bytes, text


def url(name, event, *args):
    return reverse(f"backoffice:{name}", args=[event.pk, *args])


@pytest.mark.django_db
def test_event_page_links_to_partners_and_programme(login, users, draft_event):
    body = text(login(users["owner"]).get(url("event_detail", draft_event)))
    assert url("partner_list", draft_event) in body and url("programme", draft_event) in body


@pytest.mark.django_db
def test_owner_adds_a_partner_with_logo(login, users, draft_event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users["owner"])
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(
        url("partner_list", draft_event),
        {
            "name": "Forges SA",
            "website": "https://forges.example",
            "logo": logo,
            "level": "main_sponsor",
            "position": "1",
        },
    )
    assert response.status_code == 302
    link = EventPartner.objects.get(event=draft_event)
    assert link.partner.logo and link.level == "main_sponsor"
    body = text(client.get(url("partner_list", draft_event)))
    assert "Forges SA" in body and "Partenaire principal" in body


@pytest.mark.django_db
def test_logo_not_an_image_shows_french_error(login, users, draft_event):
    fake = SimpleUploadedFile("logo.png", b"pas une image", content_type="image/png")
    response = login(users["owner"]).post(
        url("partner_list", draft_event),
        {"name": "Forges SA", "logo": fake, "level": "partner", "position": "0"},
    )
    assert response.status_code == 400
    assert "n'est pas une image lisible" in text(response)
    assert not EventPartner.objects.exists()


@pytest.mark.django_db
def test_viewer_gets_403_and_other_organization_404(login, users, draft_event):
    viewer = login(users["viewer"])
    assert viewer.get(url("programme", draft_event)).status_code == 200
    payload = {"name": "Intrus", "level": "partner", "position": "0"}
    assert viewer.post(url("partner_list", draft_event), payload).status_code == 403
    assert viewer.get(url("programme_item_create", draft_event, "univers")).status_code == 403
    other = login(users["other"])
    assert other.get(url("programme", draft_event)).status_code == 404
    assert other.post(url("partner_list", draft_event), payload).status_code == 404
    assert not EventPartner.objects.exists()


@pytest.mark.django_db
def test_universe_space_and_session_flow(login, users, draft_event):
    client = login(users["owner"])
    response = client.post(
        url("programme_item_create", draft_event, "univers"), {"name": "Fabriquer", "position": "0"}
    )
    assert response.status_code == 302
    universe = Universe.objects.get(event=draft_event)
    response = client.post(
        url("programme_item_create", draft_event, "espaces"),
        {"universe": universe.pk, "name": "Atelier soudure", "position": "0"},
    )
    assert response.status_code == 302
    response = client.post(
        url("programme_item_create", draft_event, "seances"),
        {
            "kind": "demonstration",
            "title": "Démo soudure",
            "starts_at": "2027-03-20T10:00",
            "ends_at": "2027-03-20T11:00",
            "capacity": "20",
            "school_groups_only": "on",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(event=draft_event)
    assert session.capacity == 20 and session.school_groups_only
    body = text(client.get(url("programme", draft_event)))
    assert "Atelier soudure" in body and "Démo soudure" in body
    assert (
        client.get(url("programme_item_edit", draft_event, "seances", session.pk)).status_code
        == 200
    )
    client.post(url("programme_item_delete", draft_event, "univers", universe.pk))
    assert not Universe.objects.exists() and Session.objects.exists()


@pytest.mark.django_db
def test_session_outside_event_dates_refused(login, users, draft_event):
    response = login(users["owner"]).post(
        url("programme_item_create", draft_event, "seances"),
        {
            "kind": "conference",
            "title": "Trop tard",
            "starts_at": "2027-03-21T10:00",
            "ends_at": "2027-03-21T11:00",
        },
    )
    assert response.status_code == 400
    assert "pendant l'événement" in text(response)
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_capacity_below_confirmed_seats_refused(login, users, draft_event):
    session = session_create(
        actor=users["owner"],
        event=draft_event,
        data=SessionData(
            kind="slot", title="Visite", starts_at=at(20, 10), ends_at=at(20, 11), capacity=30
        ),
    )
    Session.objects.filter(pk=session.pk).update(seats_confirmed=25)
    response = login(users["owner"]).post(
        url("programme_item_edit", draft_event, "seances", session.pk),
        {
            "kind": "slot",
            "title": "Visite",
            "starts_at": "2027-03-20T10:00",
            "ends_at": "2027-03-20T11:00",
            "capacity": "10",
        },
    )
    assert response.status_code == 400
    assert "25 places déjà confirmées" in text(response)
    session.refresh_from_db()
    assert session.capacity == 30


@pytest.mark.django_db
def test_invitations_page(login, users, draft_event):
    session = session_create(
        actor=users["owner"],
        event=draft_event,
        data=SessionData(
            kind="dinner",
            title="Dîner",
            starts_at=at(20, 12),
            ends_at=at(20, 14),
            invitation_only=True,
        ),
    )
    client = login(users["owner"])
    page = url("session_invitations", draft_event, session.pk)
    response = client.post(page, {"emails": "a@x.fr\nmauvaise"})
    assert response.status_code == 400
    assert "Ligne 2 : « mauvaise » n'est pas une adresse e-mail valide." in text(response)
    assert not SessionInvitation.objects.exists()
    assert client.post(page, {"emails": "a@x.fr\nb@x.fr"}).status_code == 302
    assert "b@x.fr" in text(client.get(page))
    assert SessionInvitation.objects.filter(session=session).count() == 2
