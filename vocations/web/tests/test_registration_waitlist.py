"""A class bigger than the seats left, and the waiting-list offer page (docs/registration.md)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from vocations.events.models import Registration
from vocations.events.offer_links import offer_token
from vocations.events.services import registration_cancel, registration_create
from vocations.events.tickets import self_service_token

from .registration_support import GROUP, make_world, person_data, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    _geo, event = make_world()  # 40 seats, groups up to 35
    for i in range(30):
        registration_create(event=event, data=person_data(f"p{i}@example.fr"))
    return event  # 10 seats left


def test_the_group_form_shows_the_seats_left_and_loads_the_static_script(client, event):
    response = client.get(f"/evenements/{event.slug}/inscription/?type=groupe")
    body = response.content.decode()
    assert "10 places restantes" in body
    assert 'data-seats-left="{&quot;&quot;: 10}"' in body
    assert "web/js/group-seats.js" in body and 'id="places-groupe"' in body
    assert "<script>" not in body  # CSP: no inline script


def test_a_class_bigger_than_the_seats_left_is_told_the_truth_and_offered_the_choices(
    client, event
):
    response = post(client, event, {**GROUP, "pupils": "12", "adults": "2"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Il reste 10 places, votre groupe en demande 14" in body
    assert "complet" not in body.lower().split("choix-places")[1][:2000]
    assert 'name="waitlist" value="1"' in body
    assert "Inscrire les 14 personnes sur liste d'attente" in body
    assert Registration.objects.filter(kind="group").count() == 0  # nothing written
    # What was typed stays, so either choice is one click away.
    assert 'value="12"' in body

    # Choice 1: the whole group waits.
    response = post(client, event, {**GROUP, "pupils": "12", "adults": "2"}, waitlist="1")
    assert response.status_code == 302
    klass = Registration.objects.get(kind="group")
    assert klass.status == "waitlisted" and klass.seats == 14
    # The confirmation page tells the truth, not "complet".
    done = unescape(client.get(response["Location"]).content.decode())
    assert "Il reste 10 places pour les 14 demandées" in done
    assert "personne inscrit après vous ne passera devant" in done
    assert "complet" not in done.split("<h1>")[1].split("</main>")[0].lower()
    # Nobody passes it: the page now says the event is full, a later person waits.
    page = client.get(f"/evenements/{event.slug}/inscription/").content.decode()
    assert "Complet pour le moment" in page


def test_choice_two_a_reduced_class_is_confirmed(client, event):
    post(client, event, {**GROUP, "pupils": "12", "adults": "2"})
    response = post(client, event, {**GROUP, "pupils": "8", "adults": "2"})
    assert response.status_code == 302
    assert Registration.objects.get(kind="group").status == "confirmed"


@pytest.fixture
def offer():
    _geo, event = make_world()
    event.capacity, event.waitlist_offer_hours = 1, 48
    event.save()
    holder = registration_create(event=event, data=person_data("holder@example.fr"))
    waiting = registration_create(event=event, data=person_data("next@example.fr"))
    registration_cancel(registration=holder)
    return Registration.objects.get(pk=waiting.pk)


def test_the_offer_page_confirms_in_one_click_and_only_once(client, offer):
    url = f"/inscription/place-proposee/{offer_token(offer)}/"
    # The self-service page links to the offer too.
    mine = client.get(f"/inscription/{self_service_token(offer)}/").content.decode()
    assert "Une place vous est proposée" in mine and url in mine
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Une place vous est proposée" in body and "Confirmer ma place" in body
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    # Opening the link (a mail scanner, a preview) takes nothing.
    assert Registration.objects.get(pk=offer.pk).status == "waitlisted"
    response = client.post(url)
    assert response.status_code == 302 and "/confirmation/" in response["Location"]
    assert Registration.objects.get(pk=offer.pk).status == "confirmed"
    again = client.post(url)
    assert again.status_code == 410
    assert "Cette place est déjà confirmée" in again.content.decode()
    assert client.get(url).status_code == 410


def test_expired_and_forged_offer_links_get_french_pages(client, offer):
    url = f"/inscription/place-proposee/{offer_token(offer)}/"
    forged = client.get(url.replace(offer_token(offer), offer_token(offer)[:-3] + "abc"))
    assert forged.status_code == 403 and "Ce lien n&#x27;est pas valide." in forged.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        expired = client.post(url)
    assert expired.status_code == 410
    assert "Cette proposition a expiré" in expired.content.decode()
    assert Registration.objects.get(pk=offer.pk).status == "waitlisted"
