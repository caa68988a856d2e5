"""The campaign team's review queue and decisions; non-staff users are kept out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from vocations.core.models import AuditEntry
from vocations.events.models import Label, LabelTransition
from vocations.events.services import label_submit
from vocations.events.working_days import working_days_between

from .conftest import text

pytestmark = pytest.mark.django_db

QUEUE = "/organisateur/revue/"


@pytest.fixture
def staff_client(login, users):
    return login(users["staff"])


def submit(event, actor, *, days_ago: int = 0):
    label_submit(actor=actor, event=event)
    submitted = timezone.now() - dt.timedelta(days=days_ago)
    Label.objects.filter(event=event).update(submitted_at=submitted)
    return submitted


def row_titles(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/organisateur/revue/\d+/">([^<]+)</a>', page)


@pytest.fixture
def queue_events(org, other_org, users, make_event, places):
    old = make_event(org, title="Forum ancien")
    recent = make_event(
        other_org,
        title="Atelier récent",
        kind="workshop",
        commune_insee="29019",
        postal_code="29200",
    )
    middle = make_event(org, title="Salon du milieu", kind="orientation_fair")
    draft = make_event(org, title="Brouillon pas soumis")
    submit(old, users["owner"], days_ago=21)
    submit(recent, users["other"], days_ago=0)
    submit(middle, users["owner"], days_ago=3)
    return {"old": old, "recent": recent, "middle": middle, "draft": draft}


def test_queue_lists_submitted_events_oldest_first_with_waiting_days(staff_client, queue_events):
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    page = text(response)
    assert row_titles(page) == ["Forum ancien", "Salon du milieu", "Atelier récent"]
    assert "Brouillon pas soumis" not in page
    today = timezone.localdate()
    old_days = working_days_between(
        timezone.localdate(Label.objects.get(event=queue_events["old"]).submitted_at), today
    )
    assert old_days > 4
    assert f"{old_days} jours ouvrés" in page
    assert "0 jour ouvré" in page
    # Only the old one is overdue (more than 4 working days).
    assert page.count('class="is-overdue"') == 1
    overdue_row = re.search(r'<tr class="is-overdue">.*?</tr>', page, re.S).group(0)
    assert "Forum ancien" in overdue_row and "en retard" in overdue_row


def test_queue_filters(staff_client, queue_events):
    page = text(staff_client.get(QUEUE, {"region": "53"}))
    assert row_titles(page) == ["Atelier récent"]
    page = text(staff_client.get(QUEUE, {"kind": "orientation_fair"}))
    assert row_titles(page) == ["Salon du milieu"]
    page = text(staff_client.get(QUEUE, {"min_waiting_days": "5"}))
    assert row_titles(page) == ["Forum ancien"]
    page = text(staff_client.get(QUEUE, {"region": "84", "kind": "workshop"}))
    assert row_titles(page) == []
    assert "0 demande en attente avec ces filtres" in page
    # The région select lists the regions.
    assert '<option value="53">Bretagne</option>' in page


def test_queue_rejects_bad_filters_with_a_french_message(staff_client, queue_events):
    response = staff_client.get(QUEUE, {"min_waiting_days": "-3", "region": "zz"})
    page = text(response)
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in page
    # Bad filters are not applied: everything is listed.
    assert len(row_titles(page)) == 3


@pytest.mark.parametrize("who", ["owner", "other", "viewer"])
def test_non_staff_cannot_open_the_queue_or_a_review_page(login, users, queue_events, who):
    client = login(users[who])
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "réservée à l'équipe de campagne" in text(response)
    response = client.get(reverse("backoffice:review_detail", args=[queue_events["old"].pk]))
    assert response.status_code == 403


def test_dashboard_links_staff_to_the_queue(login, users, org):
    assert QUEUE in text(login(users["staff"]).get("/organisateur/"))
    assert QUEUE not in text(login(users["owner"]).get("/organisateur/"))


@pytest.mark.parametrize("action", ["accept", "request_changes", "refuse"])
def test_forged_review_post_by_non_staff_is_refused_and_changes_nothing(
    login, users, queue_events, action
):
    event = queue_events["old"]
    transitions = LabelTransition.objects.count()
    audits = AuditEntry.objects.count()
    response = login(users["owner"]).post(
        reverse("backoffice:review_decide", args=[event.pk, action]),
        {f"{action}-message": "Je me labellise moi-même."},
    )
    assert response.status_code == 403
    assert "réservée à l'équipe de campagne" in text(response)
    assert Label.objects.get(event=event).state == Label.State.SUBMITTED
    assert LabelTransition.objects.count() == transitions
    assert AuditEntry.objects.count() == audits


def test_review_page_shows_details_conditions_history_and_actions(
    staff_client, queue_events, label_period
):
    event = queue_events["old"]
    page = text(staff_client.get(reverse("backoffice:review_detail", args=[event.pk])))
    assert page.count("<h1") == 1
    assert "Revue : Forum ancien" in page
    for condition in ("Gratuit", "Pendant la campagne", "Ouvert au public"):
        assert condition in page
    assert "rempli" in page
    assert "Forges de Lyon" in page and "Lyon" in page and "50 places" in page
    assert "Brouillon → <strong>En attente de revue</strong>" in page
    for button in ("Labelliser l'événement", "Demander des modifications", "Refuser le label"):
        assert button in page
    assert 'id="id_request_changes-message"' in page
    assert 'for="id_refuse-message"' in page


def test_accept(staff_client, queue_events, users, django_capture_on_commit_callbacks):
    event = queue_events["old"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("backoffice:review_decide", args=[event.pk, "accept"]),
            {"accept-message": ""},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == QUEUE
    assert "« Forum ancien » est labellisé." in text(response)
    label = Label.objects.get(event=event)
    assert label.state == Label.State.LABELLED
    assert label.reviewer == users["staff"]
    assert "Forum ancien" not in row_titles(text(response))
    assert AuditEntry.objects.filter(action="label.accept", target_id=str(event.pk)).exists()
    assert mail.outbox[-1].subject == "Votre événement est labellisé : Forum ancien"

    # The organizer now sees the state, the history and the kit.
    page = text(staff_client.get(reverse("backoffice:event_detail", args=[event.pk])))
    assert "Labellisé" in page and "Kit de communication" in page


def test_request_changes_needs_a_message(staff_client, login, users, queue_events):
    event = queue_events["old"]
    url = reverse("backoffice:review_decide", args=[event.pk, "request_changes"])
    response = staff_client.post(url, {"request_changes-message": "   "})
    assert response.status_code == 400
    page = text(response)
    assert "Expliquez votre décision à l'organisateur." in page
    assert 'role="alert"' in page
    assert 'href="#id_request_changes-message"' in page
    assert Label.objects.get(event=event).state == Label.State.SUBMITTED

    response = staff_client.post(url, {"request_changes-message": "Précisez l'adresse exacte."})
    assert response.status_code == 302
    label = Label.objects.get(event=event)
    assert label.state == Label.State.CHANGES_REQUESTED
    assert label.message == "Précisez l'adresse exacte."

    # The organizer reads the message and may submit again.
    page = text(login(users["owner"]).get(reverse("backoffice:event_detail", args=[event.pk])))
    assert "Modifications demandées" in page
    assert "Précisez l'adresse exacte." in page
    assert "Soumettre à nouveau pour le label" in page


def test_refuse_needs_a_reason_and_the_organizer_sees_it(staff_client, login, users, queue_events):
    event = queue_events["middle"]
    url = reverse("backoffice:review_decide", args=[event.pk, "refuse"])
    assert staff_client.post(url, {}).status_code == 400
    assert Label.objects.get(event=event).state == Label.State.SUBMITTED
    staff_client.post(url, {"refuse-message": "L'événement est payant."})
    assert Label.objects.get(event=event).state == Label.State.REFUSED

    page = text(login(users["owner"]).get(reverse("backoffice:event_detail", args=[event.pk])))
    assert "Refusé" in page
    assert "L'événement est payant." in page


def test_deciding_twice_is_refused_in_french(staff_client, queue_events):
    event = queue_events["old"]
    staff_client.post(reverse("backoffice:review_decide", args=[event.pk, "accept"]))
    response = staff_client.post(
        reverse("backoffice:review_decide", args=[event.pk, "refuse"]),
        {"refuse-message": "Trop tard."},
    )
    assert response.status_code == 400
    assert "Action impossible : le label est « Labellisé »." in text(response)
    assert Label.objects.get(event=event).state == Label.State.LABELLED


def test_unknown_action_and_get_are_refused(staff_client, queue_events):
    event = queue_events["old"]
    url = reverse("backoffice:review_decide", args=[event.pk, "withdraw"])
    assert staff_client.post(url, {"withdraw-message": "x"}).status_code == 404
    accept = reverse("backoffice:review_decide", args=[event.pk, "accept"])
    assert staff_client.get(accept).status_code == 405
    assert Label.objects.get(event=event).state == Label.State.SUBMITTED
