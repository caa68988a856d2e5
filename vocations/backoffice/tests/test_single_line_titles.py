"""A line break in an event title (issue 15, point 6).

Before: the title was accepted, `/evenements/<slug>.ics` answered 500, and every confirmation
and cancellation mail of the event failed silently in on_commit (Django refuses a header with
a newline): registrants got their confirmation page but never the mail with their link.
"""

from __future__ import annotations

import importlib
import smtplib

import pytest
from celery.exceptions import Retry
from django.apps import apps
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from icalendar import Calendar

from vocations.events.mails import send_registration_email
from vocations.events.models import Event, Registration
from vocations.events.services import registration_cancel, registration_create
from vocations.events.tests.test_registrations_support import make_department, make_event, person

from .conftest import form_payload, text

pytestmark = pytest.mark.django_db

BROKEN = "Portes ouvertes\r\nBcc: tous@example.fr\tet plus"


@pytest.fixture
def event(org):
    make_department("69")
    event = make_event(org, title="Portes ouvertes", capacity=30)
    # Saved before titles were validated (the data migration repairs these; see below).
    Event.objects.filter(pk=event.pk).update(title=BROKEN)
    event.refresh_from_db()
    return event


def test_the_edit_form_refuses_a_multi_line_title_in_french(login, users, draft_event):
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[draft_event.pk]), form_payload(title=BROKEN)
    )
    assert response.status_code == 400
    assert "Le titre doit tenir sur une ligne" in text(response)
    draft_event.refresh_from_db()
    assert "\n" not in draft_event.title


def test_ics_of_an_event_with_a_line_break_is_served(client, event):
    response = client.get(f"/evenements/{event.slug}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Portes ouvertes Bcc: tous@example.fr et plus"
    assert "\n" not in str(calendar["X-WR-CALNAME"])


def test_confirmation_and_cancellation_mails_go_out_with_a_single_line_subject(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=person("lea@example.fr"))
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [
        "Inscription confirmée : Portes ouvertes Bcc: tous@example.fr et plus",
        "Inscription annulée : Portes ouvertes Bcc: tous@example.fr et plus",
    ]
    assert all(m.to == ["lea@example.fr"] for m in mailoutbox)
    assert Registration.objects.get().mail_failed_at is None


def test_a_failed_mail_is_flagged_for_the_organizer_then_cleared_by_the_retry(
    login, users, event, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def smtp_down(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connexion fermée")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=person("lea@example.fr"))
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # the registration itself stands
    assert registration.mail_failed_kind == "confirmed" and registration.mail_failed_at

    page = text(login(users["owner"]).get(f"/organisateur/evenements/{event.pk}/inscriptions/"))
    assert "1 e-mail d'inscription non envoyé" in page
    assert "E-mail non envoyé" in page

    monkeypatch.undo()
    assert send_registration_email.apply(args=[registration.pk, "confirmed"]).get() == 1
    registration.refresh_from_db()
    assert registration.mail_failed_kind == "" and registration.mail_failed_at is None
    assert len(mailoutbox) == 1
    page = text(login(users["owner"]).get(f"/organisateur/evenements/{event.pk}/inscriptions/"))
    assert "non envoyé" not in page


def test_the_worker_retries_a_failed_mail(event, monkeypatch):
    registration = registration_create(event=event, data=person("lea@example.fr"))

    def smtp_down(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connexion fermée")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    scheduled = []
    monkeypatch.setattr(
        send_registration_email,
        "apply_async",
        lambda args=None, kwargs=None, **options: scheduled.append((args, options["countdown"])),
    )
    # As a worker runs it (not inline): the failure is recorded, then a retry is scheduled.
    send_registration_email.push_request(
        id="tache-1",
        args=[registration.pk, "confirmed"],
        kwargs={},
        retries=1,
        is_eager=False,
        called_directly=False,
    )
    try:
        with pytest.raises(Retry):
            send_registration_email.run(registration.pk, "confirmed")
    finally:
        send_registration_email.pop_request()
    assert scheduled == [((registration.pk, "confirmed"), 120)]  # backoff: 2 minutes
    registration.refresh_from_db()
    assert registration.mail_failed_kind == "confirmed"


def test_a_broker_down_at_queue_time_is_recorded(
    event, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis")

    monkeypatch.setattr(send_registration_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=person("lea@example.fr"))
    registration.refresh_from_db()
    assert registration.mail_failed_kind == "confirmed"


def test_data_migration_makes_existing_titles_single_line(event):
    migration = importlib.import_module(
        "vocations.events.migrations.0005_single_line_titles_mail_failures"
    )
    migration.single_line_titles(apps, None)
    event.refresh_from_db()
    assert event.title == "Portes ouvertes Bcc: tous@example.fr et plus"
