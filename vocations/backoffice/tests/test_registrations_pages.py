"""The organizer's registrations page, its CSV export, cancelling, and the "Bilan" page."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.events.models import Registration
from vocations.events.services import registration_check_in, registration_create
from vocations.events.tests.test_registrations_support import (
    group,
    make_department,
    make_event,
    make_session,
    person,
)

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    make_department("69")
    return make_event(org, title="Portes ouvertes aux Forges", capacity=30)


@pytest.fixture
def regs(event):
    klass = registration_create(event=event, data=group(pupils=20, adults=2))
    lea = registration_create(event=event, data=person("lea@example.fr"))
    second = registration_create(
        event=event,
        data=person("zoe@example.fr", first_name="Zoé", last_name="Waiting"),
    )
    # 6 seats left for a group of 11: it chose to wait for all of them.
    first = registration_create(
        event=event,
        data=group(
            pupils=10, adults=1, email="b@lycee.fr", school_name="Lycée Ampère", waitlist=True
        ),
    )
    assert (first.status, second.status) == ("waitlisted", "confirmed")
    third = registration_create(
        event=event, data=group(pupils=9, adults=1, email="c@cfa.fr", school_name="CFA Soudure")
    )
    assert third.status == "waitlisted"
    return {"klass": klass, "lea": lea, "first": first, "zoe": second, "third": third}


def url(event, suffix=""):
    return f"/organisateur/evenements/{event.pk}/{suffix}"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_list_shows_registrations_and_counts(login, users, event, regs):
    response = login(users["owner"]).get(url(event, "inscriptions/"))
    assert response.status_code == 200
    body = text(response)
    assert "Collège Jean Moulin" in body and "Léa Martin" in body
    assert "20 élèves + 2 adultes" in body
    assert "24</strong> personnes confirmées" in body
    assert "Annuler" in body


def test_search_by_name_school_uai_email_and_ticket_code(login, users, event, regs):
    client = login(users["owner"])
    for q, expected, absent in (
        ("ampère", "Lycée Ampère", "Léa Martin"),
        ("0691234A", "Collège Jean Moulin", "Léa Martin"),
        ("LEA@example", "Léa Martin", "Lycée Ampère"),
        (regs["zoe"].ticket_code.lower(), "Zoé Waiting", "Léa Martin"),
    ):
        body = text(client.get(url(event, "inscriptions/"), {"q": q}))
        assert expected in body, q
        assert absent not in body, q


def test_filters_and_waiting_list_in_order_with_positions(login, users, event, regs):
    client = login(users["owner"])
    body = text(client.get(url(event, "inscriptions/"), {"statut": "waitlisted"}))
    assert body.index("Lycée Ampère") < body.index("CFA Soudure")
    assert "n° 1" in body and "n° 2" in body
    assert "Collège Jean Moulin" not in body
    body = text(client.get(url(event, "inscriptions/"), {"type": "individual"}))
    assert "Léa Martin" in body and "Lycée Ampère" not in body


def test_session_filter(login, users, event, regs):
    session = make_session(event, title="Atelier soudure", capacity=10)
    registration_create(
        event=event, session=session, data=person("atelier@example.fr", last_name="Atelier")
    )
    client = login(users["owner"])
    body = text(client.get(url(event, "inscriptions/"), {"seance": session.pk}))
    assert "Léa Atelier" in body and "Collège Jean Moulin" not in body
    body = text(client.get(url(event, "inscriptions/"), {"seance": "evenement"}))
    assert "Léa Atelier" not in body and "Collège Jean Moulin" in body


def test_list_queries_do_not_grow_with_rows(login, users, event, django_assert_max_num_queries):
    client = login(users["owner"])
    for n in range(3):
        registration_create(event=event, data=person(f"p{n}@example.fr"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(event, "inscriptions/")).status_code == 200
        return len(queries)

    few = count()
    for n in range(3, 25):
        registration_create(event=event, data=person(f"p{n}@example.fr"))
    # Expected queries:
    #  1. session  2. user  3. event in scope (organization, commune, département, label)
    #  4. sessions for the filter  5. counts by status (one aggregate)
    #  6. paginator count  7. one page of rows with session, département and waiting position
    #  8. can("change") membership check
    with django_assert_max_num_queries(8):
        client.get(url(event, "inscriptions/"))
    assert count() == few


def test_csv_export(login, users, event, regs):
    registration_check_in(
        actor=users["owner"], event=event, ticket=regs["klass"].ticket_code, attended=21
    )
    response = login(users["owner"]).get(url(event, "inscriptions/export.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header = rows[0]
    assert header[:3] == ["Statut", "Position en liste d'attente", "Type"]
    assert "Élèves" in header and "Personnes présentes" in header
    by_email = {row[header.index("E-mail")]: row for row in rows[1:]}
    klass = by_email["prof@college.fr"]
    assert klass[header.index("Élèves")] == "20"
    assert klass[header.index("Accompagnateurs")] == "2"
    assert klass[header.index("Personnes présentes")] == "21"
    assert klass[header.index("Département d'origine")] == "69 Département 69"
    assert by_email["b@lycee.fr"][1] == "1" and by_email["c@cfa.fr"][1] == "2"
    assert by_email["b@lycee.fr"][0] == "En liste d'attente"


def test_csv_follows_filters_and_neutralises_formulas(login, users, event):
    registration_create(event=event, data=person("x@example.fr", last_name="=HYPERLINK(1)"))
    registration_create(event=event, data=person("y@example.fr", last_name="Sage"))
    rows = csv_rows(
        login(users["owner"]).get(url(event, "inscriptions/export.csv"), {"q": "hyperlink"})
    )
    assert len(rows) == 2
    assert rows[1][5] == "'=HYPERLINK(1)"


def test_cancel_by_organizer_promotes_waiting_list(login, users, event, regs):
    client = login(users["owner"])
    response = client.post(url(event, f"inscriptions/{regs['klass'].pk}/annuler/"))
    assert response.status_code == 302
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["prof@college.fr"] == "cancelled"
    assert statuses["b@lycee.fr"] == "confirmed"


def test_viewer_sees_but_cannot_cancel(login, users, event, regs):
    client = login(users["viewer"])
    response = client.get(url(event, "inscriptions/"))
    assert response.status_code == 200
    assert "Annuler" not in text(response)
    assert client.get(url(event, "inscriptions/export.csv")).status_code == 200
    response = client.post(url(event, f"inscriptions/{regs['klass'].pk}/annuler/"))
    assert response.status_code == 403
    assert "lecteur" in text(response)
    assert Registration.objects.get(pk=regs["klass"].pk).status == "confirmed"


@pytest.mark.parametrize(
    "suffix", ["inscriptions/", "inscriptions/export.csv", "bilan/", "bilan/export.csv"]
)
def test_other_organization_gets_404(login, users, event, regs, other_org, suffix):
    response = login(users["other"]).get(url(event, suffix))
    assert response.status_code == 404
    assert "n'appartient pas" in text(response)


def test_other_organization_cannot_cancel(login, users, event, regs, other_org):
    response = login(users["other"]).post(url(event, f"inscriptions/{regs['klass'].pk}/annuler/"))
    assert response.status_code == 404
    assert Registration.objects.get(pk=regs["klass"].pk).status == "confirmed"


def test_cancel_registration_of_another_event_is_404(login, users, org, event, regs):
    other_event = make_event(org)
    response = login(users["owner"]).post(
        url(other_event, f"inscriptions/{regs['klass'].pk}/annuler/")
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=regs["klass"].pk).status == "confirmed"


def test_anonymous_is_sent_to_sign_in(client, event):
    response = client.get(url(event, "inscriptions/"))
    assert response.status_code == 302
    assert response["Location"].startswith("/organisateur/connexion/")


def test_outcomes_page_and_csv(login, users, event, regs):
    registration_check_in(
        actor=users["owner"], event=event, ticket=regs["klass"].ticket_code, attended=21
    )
    client = login(users["viewer"])
    body = text(client.get(url(event, "bilan/")))
    assert "24</strong> personnes inscrites" in body
    assert "21</strong> personnes présentes" in body
    assert "Département 69 (69)" in body
    assert "calculé après l'événement" in body
    rows = csv_rows(client.get(url(event, "bilan/export.csv")))
    assert rows[0][0] == "Périmètre"
    assert rows[1][:3] == ["Tout l'événement", "3", "24"]
    assert rows[1][8] == "21"
    assert ["Département d'origine", "Code", "Groupes", "Élèves", "Personnes présentes"] in rows
    assert ["Département 69", "69", "1", "20", "21"] in rows


def test_event_page_links_to_the_new_screens(login, users, event):
    body = text(login(users["owner"]).get(url(event)))
    for suffix in ("inscriptions/", "accueil/", "presse/", "bilan/"):
        assert f'href="/organisateur/evenements/{event.pk}/{suffix}"' in body


def test_list_shows_pending_offers_and_their_deadline(login, users, org):
    event = make_event(org, title="Atelier soudure", capacity=1, waitlist_offer_hours=48)
    holder = registration_create(event=event, data=person("a@example.fr"))
    registration_create(event=event, data=person("b@example.fr", last_name="Suivant"))
    from vocations.events.services import registration_cancel

    registration_cancel(registration=holder)
    body = text(login(users["owner"]).get(url(event, "inscriptions/")))
    assert "Place proposée</strong> jusqu'au" in body
    assert "places proposées par e-mail, 48 h pour confirmer" in body
