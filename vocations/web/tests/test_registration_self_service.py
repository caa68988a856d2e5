"""The self-service page behind the e-mailed link: see, resize a group, cancel, the ticket;
forged, tampered, expired and misused links are refused in French, never with a 500."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.core import signing
from django.utils import timezone

from vocations.api.tests.factories import make_event, make_organization, moment
from vocations.events.models import Event, Registration
from vocations.events.services import registration_create
from vocations.events.tickets import self_service_token, ticket_payload

from .html import find_all
from .registration_support import group_data, make_world, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def event(world):
    return world[1]


@pytest.fixture
def group(event):
    return registration_create(event=event, data=group_data(pupils=20, adults=2))


@pytest.fixture
def person(event):
    return registration_create(event=event, data=person_data())


def url(registration_or_token, suffix: str = "") -> str:
    token = (
        registration_or_token
        if isinstance(registration_or_token, str)
        else self_service_token(registration_or_token)
    )
    return f"/inscription/{token}/{suffix}"


def text(response) -> str:
    return unescape(response.content.decode())


# --- seeing it ---------------------------------------------------------------------------------


def test_self_service_page_shows_the_registration_and_its_ticket(client, group, event):
    token = self_service_token(group)
    response = client.get(url(token))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    page = text(response)
    assert event.title in page
    assert "Confirmée" in page
    assert "20 élèves et 2 accompagnateurs, soit 22 places" in page
    assert "<svg" in page and group.short_code_display in page
    assert find_all(page, "a", href=url(token, "billet.png"))
    assert '<meta name="robots" content="noindex, nofollow">' in page
    # The token must not travel in a canonical link or Open Graph tag.
    assert not find_all(page, "link", rel="canonical")
    assert not find_all(page, "meta", property="og:url")


def test_waitlisted_registration_shows_its_position_and_no_ticket(client, event):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    registration_create(event=event, data=person_data("a@example.fr"))
    registration_create(event=event, data=person_data("b@example.fr"))
    third = registration_create(event=event, data=person_data("c@example.fr"))

    page = text(client.get(url(third)))
    assert "Sur liste d'attente — position 2" in page
    assert "<svg" not in page
    assert client.get(url(third, "billet.png")).status_code == 404


def test_individual_registration_offers_no_group_size_change(client, person):
    page = text(client.get(url(person)))
    assert "Modifier l'effectif" not in page
    assert "Annuler mon inscription" in page


def test_confirmation_page_is_the_same_registration(client, group):
    token = self_service_token(group)
    response = client.get(url(token, "confirmation/"))
    assert response.status_code == 200
    assert "Inscription confirmée" in text(response)
    assert find_all(text(response), "a", href=url(token))


# --- refused links ----------------------------------------------------------------------------


def _tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _other_id(registration: Registration) -> str:
    token = self_service_token(registration)
    value, _, rest = token.partition(".")
    return f"{int(value) + 1}.{rest}"


@pytest.mark.parametrize(
    "make_token, message",
    [
        (lambda r: _tampered(self_service_token(r)), "Ce lien n'est pas valide."),
        (_other_id, "Ce lien n'est pas valide."),
        (
            lambda r: signing.TimestampSigner(
                key="pas-la-cle-du-site", salt="vocations.events.self-service"
            ).sign(f"{r.pk}.{r.ticket_code}"),
            "Ce lien n'est pas valide.",
        ),
        # A ticket (the QR code's content) is not a self-service link.
        (ticket_payload, "Ce lien n'est pas valide."),
        (lambda r: "n'importe-quoi", "Ce lien n'est pas valide."),
        (lambda r: "1." + "x" * 2000, "Ce lien n'est pas valide."),
    ],
    ids=["tampered", "other-id", "forged", "ticket", "garbage", "huge"],
)
@pytest.mark.parametrize("suffix", ["", "confirmation/", "billet.png", "billet.svg"])
def test_forged_or_tampered_links_get_a_french_403(client, group, make_token, message, suffix):
    response = client.get(url(make_token(group), suffix))

    assert response.status_code == 403
    page = text(response)
    assert message in page
    assert group.school_name not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_forged_link_cannot_change_or_cancel(client, group):
    token = _tampered(self_service_token(group))
    assert client.post(url(token), {"action": "cancel"}).status_code == 403
    assert client.post(url(token), {"action": "change", "pupils": "1"}).status_code == 403
    group.refresh_from_db()
    assert (group.status, group.pupils) == ("confirmed", 20)


def test_expired_link_is_refused(client, group, event):
    token = self_service_token(group)
    # The event took place more than 30 days ago: the link has expired.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=41),
        ends_at=timezone.now() - dt.timedelta(days=40),
    )
    response = client.get(url(token))
    assert response.status_code == 403
    assert "Ce lien a expiré." in text(response)


def test_a_link_opens_its_own_registration_only(client, world, group):
    geo, _ = world
    other_event = make_event(
        organization=make_organization("Autre usine"),
        title="Forum de Villeurbanne",
        commune=geo["Villeurbanne"],
        starts_at=moment(15),
        capacity=10,
    )
    other = registration_create(event=other_event, data=person_data("autre@example.fr"))

    page = text(client.get(url(other)))
    assert "Forum de Villeurbanne" in page
    assert group.school_name not in page
    # Another registration's id with this link's code: refused.
    token = self_service_token(other)
    forged = f"{group.pk}.{token.partition('.')[2]}"
    assert client.get(url(forged)).status_code == 403


# --- changing the group's size ----------------------------------------------------------------


def test_group_size_change_within_the_seats_left(client, group, event):
    response = client.post(url(group), {"action": "change", "pupils": "25", "adults": "3"})

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.pupils, group.adults, group.seats) == (25, 3, 28)
    event.refresh_from_db()
    assert event.seats_confirmed == 28
    page = text(client.get(response["Location"]))
    assert "L'effectif du groupe est modifié." in page
    assert "25 élèves et 3 accompagnateurs" in page


@pytest.mark.parametrize(
    "pupils, adults, message",
    [
        ("0", "2", "Un groupe compte au moins un élève."),
        ("", "2", "Indiquez le nombre d'élèves."),
        ("douze", "2", "Le nombre d'élèves doit être un nombre entier."),
        ("20", "-1", "Le nombre d'accompagnateurs ne peut pas être négatif."),
        ("34", "2", "Un groupe ne peut pas dépasser 35 personnes"),
    ],
)
def test_bad_group_size_changes_nothing(client, group, event, pupils, adults, message):
    response = client.post(url(group), {"action": "change", "pupils": pupils, "adults": adults})

    assert response.status_code == 422
    (alert,) = find_all(text(response), "div", role="alert")
    assert message in alert.text
    group.refresh_from_db()
    assert (group.pupils, group.adults) == (20, 2)
    event.refresh_from_db()
    assert event.seats_confirmed == 22


def test_group_cannot_grow_past_the_seats_left(client, group, event):
    registration_create(event=event, data=group_data(pupils=15, adults=1, email="b@lycee.fr"))
    # 40 seats: 22 + 16 taken, 2 left; growing by 5 does not fit.
    response = client.post(url(group), {"action": "change", "pupils": "25", "adults": "2"})

    assert response.status_code == 422
    assert "Il ne reste que 2 places" in text(response)
    group.refresh_from_db()
    assert group.seats == 22


# --- cancelling -------------------------------------------------------------------------------


def test_cancel_asks_for_confirmation_then_frees_the_seats(
    client, group, event, mailoutbox, django_capture_on_commit_callbacks
):
    token = self_service_token(group)
    first = text(client.get(url(token)))
    assert find_all(first, "a", href=url(token) + "?annuler=1#annulation")
    assert not find_all(first, "input", name="action", value="cancel")

    confirm = text(client.get(url(group) + "?annuler=1"))
    assert "Voulez-vous vraiment annuler cette inscription ?" in confirm
    assert find_all(confirm, "input", name="action", value="cancel")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(group), {"action": "cancel"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "cancelled"
    event.refresh_from_db()
    assert event.seats_confirmed == 0
    page = text(client.get(response["Location"]))
    assert "Votre inscription est annulée." in page
    assert "Annulée" in page
    assert "<svg" not in page
    assert "Annuler mon inscription" not in page
    assert mailoutbox[-1].subject.startswith("Inscription annulée")

    # Cancelling twice is harmless.
    assert client.post(url(group), {"action": "cancel"}).status_code == 302
    assert len(mailoutbox) == 1


def test_cancel_promotes_the_waiting_list(client, event):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    first = registration_create(event=event, data=person_data("a@example.fr"))
    second = registration_create(event=event, data=person_data("b@example.fr"))
    assert second.status == "waitlisted"

    client.post(url(first), {"action": "cancel"})

    second.refresh_from_db()
    assert second.status == "confirmed"


def test_cancel_after_the_event_is_refused_in_french(client, person, event):
    token = self_service_token(person)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    page = text(client.get(url(token)))
    assert "Annuler mon inscription" not in page

    response = client.post(url(token), {"action": "cancel"})
    assert response.status_code == 422
    assert "L'événement est terminé : l'inscription ne peut plus être annulée." in text(response)
    person.refresh_from_db()
    assert person.status == "confirmed"


def test_unknown_action_is_refused(client, person):
    response = client.post(url(person), {"action": "supprimer-tout"})
    assert response.status_code == 422
    assert "Action inconnue." in text(response)


# --- the ticket -------------------------------------------------------------------------------


def test_ticket_png_and_svg(client, group, event):
    png = client.get(url(group, "billet.png"))
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert png["Content-Disposition"] == f'attachment; filename="billet-{event.slug}.png"'
    assert "no-store" in png["Cache-Control"]

    svg = client.get(url(group, "billet.svg"))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.decode().lstrip().startswith("<svg")


def test_cancelled_registration_has_no_ticket(client, person):
    client.post(url(person), {"action": "cancel"})
    response = client.get(url(person, "billet.svg"))
    assert response.status_code == 404
    assert "Le billet n'existe que pour une inscription confirmée." in text(response)
