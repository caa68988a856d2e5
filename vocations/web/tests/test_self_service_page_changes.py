"""The self-service page's changes and downloads: correct the name, companions, change session,
the ticket as a PDF with its QR and short code, the registrant's session as an .ics."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core import mail
from icalendar import Calendar
from pypdf import PdfReader

from vocations.events.models import Event, Registration
from vocations.events.services import registration_create
from vocations.events.tickets import self_service_token

from .html import find_all
from .registration_support import flagship_with_sessions, group_data, make_world, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def flagship(world):
    return flagship_with_sessions(world[0])


_tokens: dict[int, str] = {}


def url(registration: Registration, suffix: str = "") -> str:
    # One token per registration: a token signed a second later is another (valid) string.
    token = _tokens.setdefault(registration.pk, self_service_token(registration))
    return f"/inscription/{token}/{suffix}"


@pytest.fixture(autouse=True)
def _fresh_tokens():
    _tokens.clear()


def text(response) -> str:
    return unescape(response.content.decode())


def test_page_offers_pdf_calendar_and_name_forms_with_the_short_code(client, world):
    lea = registration_create(event=world[1], data=person_data())
    page = text(client.get(url(lea)))
    assert re.search(rf"Code du billet : <strong[^>]*>{lea.short_code_display}</strong>", page)
    assert find_all(page, "a", href=url(lea, "billet.pdf"))
    assert find_all(page, "a", href=url(lea, "agenda.ics"))
    assert 'name="first_name" value="Léa"' in page
    # No companions on this event, no sessions: neither form is offered.
    assert "Personnes qui vous accompagnent" not in page and "Changer de séance" not in page


def test_name_is_corrected_or_refused_in_french(client, world):
    lea = registration_create(event=world[1], data=person_data())
    response = client.post(
        url(lea), {"action": "rename", "first_name": "Léane", "last_name": "Martin"}
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Votre nom est corrigé." in page and "Léane Martin" in page
    response = client.post(url(lea), {"action": "rename", "first_name": "", "last_name": "M"})
    assert response.status_code == 422
    page = text(response)
    assert "Le prénom est obligatoire." in page and 'aria-invalid="true"' in page
    lea.refresh_from_db()
    assert (lea.first_name, lea.last_name) == ("Léane", "Martin")


def test_companions_form_where_the_event_allows_them(client, world):
    event = world[1]
    Event.objects.filter(pk=event.pk).update(max_companions=2)
    lea = registration_create(event=event, data=person_data())
    page = text(client.get(url(lea)))
    assert "Personnes qui vous accompagnent" in page and "De 0 à 2." in page
    assert client.post(url(lea), {"action": "companions", "companions": "2"}).status_code == 302
    lea.refresh_from_db()
    assert lea.seats == 3
    assert "vous et 2 accompagnants" in text(client.get(url(lea)))
    response = client.post(url(lea), {"action": "companions", "companions": "5"})
    assert response.status_code == 422
    assert "Au plus 2 accompagnants par inscription." in text(response)
    lea.refresh_from_db()
    assert lea.seats == 3


def test_change_session_on_the_page_and_full_session_refused(
    client, flagship, django_capture_on_commit_callbacks
):
    event, sessions = flagship
    lea = registration_create(event=event, data=person_data())
    page = text(client.get(url(lea)))
    assert "Changer de séance" in page and "Conférence hydrogène" in page
    # School-only sessions are not offered to an individual.
    assert "Visite des classes" not in page.split("Changer de séance")[1].split("</form>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(lea), {"action": "session", "session": sessions["talk"].pk})
    assert response.status_code == 302
    lea.refresh_from_db()
    assert lea.session_id == sessions["talk"].pk
    assert [m.subject.split(" :")[0] for m in mail.outbox] == ["Changement de séance enregistré"]
    other = registration_create(event=event, data=person_data("b@example.fr"))
    registration_create(event=event, session=sessions["talk"], data=person_data("c@example.fr"))
    response = client.post(url(other), {"action": "session", "session": sessions["talk"].pk})
    assert response.status_code == 422
    assert "La séance choisie est complète : il reste 0 place" in text(response)
    other.refresh_from_db()
    assert other.session_id is None
    response = client.post(url(other), {"action": "session", "session": "999999"})
    assert "Choisissez une séance de la liste." in text(response)


def test_ticket_pdf_has_the_qr_and_the_short_code(client, world):
    klass = registration_create(event=world[1], data=group_data(pupils=20, adults=2))
    response = client.get(url(klass, "billet.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    reader = PdfReader(io.BytesIO(response.content))
    content = reader.pages[0].extract_text()
    assert klass.short_code_display in content
    assert "Visite de l'usine des Forges" in content
    assert "20 élèves et 2 accompagnateurs" in content
    # The QR is vector paths drawn on the page (segno's SVG), not an empty box.
    assert len(reader.pages[0].get_contents().get_data()) > 2000


def test_no_ticket_pdf_for_a_waitlisted_registration(client, world):
    event = world[1]
    Event.objects.filter(pk=event.pk).update(capacity=1)
    registration_create(event=event, data=person_data("first@example.fr"))
    lea = registration_create(event=event, data=person_data())
    assert lea.status == "waitlisted"
    response = client.get(url(lea, "billet.pdf"))
    assert response.status_code == 404
    assert "n'existe que pour une inscription confirmée" in text(response)


def test_calendar_file_is_the_registrants_session_without_personal_data(client, flagship):
    event, sessions = flagship
    lea = registration_create(event=event, session=sessions["talk"], data=person_data())
    response = client.get(url(lea, "agenda.ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    (entry,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert entry.decoded("dtstart") == sessions["talk"].starts_at
    assert entry.decoded("dtend") == sessions["talk"].ends_at
    assert str(entry["summary"]) == "L'Usine extraordinaire — Conférence hydrogène"
    for private in ("lea@example.fr", "Martin", "/inscription/", lea.ticket_code):
        assert private not in body


def test_downloads_refuse_a_forged_link(client, world):
    lea = registration_create(event=world[1], data=person_data())
    token = self_service_token(lea)
    for suffix in ("billet.pdf", "agenda.ics"):
        response = client.get(f"/inscription/{token[:-2]}xx/{suffix}")
        assert response.status_code == 403
        assert "Ce lien n'est pas valide." in text(response)
