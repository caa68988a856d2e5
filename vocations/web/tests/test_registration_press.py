"""Press accreditation requests (/evenements/<slug>/presse/) and the event page's calls to
action (registration and press links, per-session links, seats, no CSRF token)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.utils import timezone

from vocations.api.tests.factories import make_event, make_organization, moment
from vocations.events.models import Event, PressAccreditation
from vocations.events.services import registration_create

from .html import find_all
from .registration_support import flagship_with_sessions, make_world, person_data, started

pytestmark = pytest.mark.django_db

JOURNALIST = {
    "full_name": "Claire Dubois",
    "email": "claire.dubois@journal.fr",
    "outlet": "Le Progrès",
    "role": "Journaliste",
    "press_card_number": "12345",
    "phone": "04 72 00 00 00",
}


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def geo(world):
    return world[0]


@pytest.fixture
def event(world):
    return world[1]


@pytest.fixture
def flagship(geo):
    return flagship_with_sessions(geo)


def text(response) -> str:
    return unescape(response.content.decode())


def press_url(event: Event) -> str:
    return f"/evenements/{event.slug}/presse/"


# --- press accreditation ----------------------------------------------------------------------


def test_press_form_page(client, flagship):
    event, _ = flagship
    response = client.get(press_url(event))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    page = text(response)
    assert "csrfmiddlewaretoken" in page
    for name in JOURNALIST:
        assert len(find_all(page, "input", name=name)) == 1
    (card,) = find_all(page, "label", **{"for": "champ-press-card-number"})
    assert "facultatif" in card.text


def test_journalist_requests_an_accreditation(client, flagship):
    event, _ = flagship
    response = client.post(press_url(event), {**JOURNALIST, "form_started": started()})

    assert response.status_code == 302
    assert response["Location"] == press_url(event) + "?demande=envoyee"
    request = PressAccreditation.objects.get()
    assert (request.event, request.outlet, request.role, request.press_card_number) == (
        event, "Le Progrès", "Journaliste", "12345",
    )  # fmt: skip
    assert request.status == "requested"
    page = text(client.get(response["Location"]))
    assert "Votre demande d'accréditation est enregistrée." in page
    assert "claire.dubois" not in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"outlet": ""}, "outlet", "Indiquez votre média."),
        ({"role": "  "}, "role", "Indiquez votre fonction."),
        ({"full_name": ""}, "full_name", "Indiquez votre nom."),
        ({"email": "claire@"}, "email", "Adresse e-mail invalide."),
        ({"press_card_number": "12-34/5"}, "press_card_number", "chiffres et des lettres"),
    ],
)
def test_bad_press_request_writes_nothing(client, flagship, change, field, message):
    event, _ = flagship
    response = client.post(press_url(event), {**JOURNALIST, "form_started": started(), **change})

    assert response.status_code == 422
    (alert,) = find_all(text(response), "div", role="alert")
    assert message in alert.text
    (control,) = find_all(text(response), "input", name=field)
    assert control.attrs["aria-invalid"] == "true"
    assert PressAccreditation.objects.count() == 0


def test_second_request_from_the_same_address_is_refused_in_french(client, flagship):
    event, _ = flagship
    client.post(press_url(event), {**JOURNALIST, "form_started": started()})
    response = client.post(press_url(event), {**JOURNALIST, "form_started": started()})

    assert response.status_code == 422
    assert "Une demande d'accréditation existe déjà pour cette adresse." in text(response)
    assert PressAccreditation.objects.count() == 1


def test_press_request_for_an_ended_event(client, event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    assert "Cet événement est terminé." in text(client.get(press_url(event)))
    response = client.post(press_url(event), {**JOURNALIST, "form_started": started()})
    assert response.status_code == 422
    assert PressAccreditation.objects.count() == 0


def test_press_page_of_an_unknown_event_is_404(client, db):
    assert client.get("/evenements/inconnu/presse/").status_code == 404


# --- the event page's calls to action ---------------------------------------------------------


def test_event_page_links_to_the_registration_pages_and_stays_free_of_visitor_state(client, event):
    response = client.get(f"/evenements/{event.slug}/")

    assert response.status_code == 200
    page = text(response)
    # The page holds no token: the forms live on their own, uncached pages.
    assert "csrfmiddlewaretoken" not in page
    assert "csrftoken" not in page
    assert not response.cookies
    assert not find_all(page, "form", method="post")
    (individual,) = find_all(page, "a", href=f"/evenements/{event.slug}/inscription/")
    assert individual.text == "S'inscrire"
    (group,) = find_all(page, "a", href=f"/evenements/{event.slug}/inscription/?type=groupe")
    assert group.text == "Inscrire une classe"
    assert "40 places restantes" in page
    # Press requests are offered on flagship events.
    assert "accréditation presse" not in page


def test_event_without_groups_offers_no_class_registration(client, geo):
    solo = make_event(organization=make_organization(), commune=geo["Lyon"], capacity=5)
    page = text(client.get(f"/evenements/{solo.slug}/"))
    assert find_all(page, "a", href=f"/evenements/{solo.slug}/inscription/")
    assert "Inscrire une classe" not in page


def test_full_event_page_announces_the_waiting_list(client, event):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    registration_create(event=event, data=person_data())
    page = text(client.get(f"/evenements/{event.slug}/"))
    assert "Complet pour le moment" in page
    assert "liste d'attente" in page


def test_closed_event_page_says_so_instead_of_linking(client, event):
    Event.objects.filter(pk=event.pk).update(
        registration_opens_at=timezone.now() + dt.timedelta(days=1)
    )
    page = text(client.get(f"/evenements/{event.slug}/"))
    assert "Les inscriptions ouvriront le" in page
    assert not find_all(page, "a", href=f"/evenements/{event.slug}/inscription/")


def test_flagship_page_has_per_session_links_seats_and_the_press_link(client, flagship):
    event, sessions = flagship
    page = text(client.get(f"/evenements/{event.slug}/"))

    base = f"/evenements/{event.slug}/inscription/"
    links = {
        a.attrs["href"]: a.text for a in find_all(page, "a") if "seance=" in a.attrs.get("href", "")
    }
    assert links[f"{base}?type=groupe&seance={sessions['slot'].pk}"].startswith(
        "Inscrire une classe"
    )
    assert links[f"{base}?seance={sessions['talk'].pk}"].startswith("S'inscrire")
    assert "Conférence hydrogène" in links[f"{base}?seance={sessions['talk'].pk}"]
    assert "2 places restantes" in page
    (press,) = find_all(page, "a", href=f"/evenements/{event.slug}/presse/")
    assert press.text == "Journaliste ? Demander une accréditation presse"


def test_past_session_has_no_registration_link(client, flagship):
    event, sessions = flagship
    talk = sessions["talk"]
    type(talk).objects.filter(pk=talk.pk).update(starts_at=moment(-2, 9), ends_at=moment(-2, 10))
    page = text(client.get(f"/evenements/{event.slug}/"))
    assert f"seance={talk.pk}" not in page
