"""The registration service's query budget (issue 14: the rush pays for every query)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.accounts.models import Organization
from vocations.analytics.tests.support import make_event, register
from vocations.events.models import Registration
from vocations.events.services import DuplicateRegistrationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    org = Organization.objects.create(name="Forges", slug="forges", kind="company")
    return make_event(org, capacity=1)


def _email_lookups(queries) -> int:
    # A look-up *by* e-mail (the column in the WHERE clause), not any read of whole rows.
    return sum(
        q["sql"].startswith("SELECT")
        and "events_registration" in q["sql"]
        and '"email" = ' in q["sql"].split(" WHERE ", 1)[-1]
        for q in queries
    )


def test_the_duplicate_email_lookup_is_done_once(event):
    with CaptureQueriesContext(connection) as queries:
        register(event, email="lea@example.fr")
    assert _email_lookups(queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        registration = register(event, email="paul@example.fr")  # waitlisted: no seat left
    assert registration.status == Registration.Status.WAITLISTED
    assert _email_lookups(queries.captured_queries) == 1


def test_a_duplicate_is_still_refused(event):
    register(event, email="lea@example.fr")
    with pytest.raises(DuplicateRegistrationError):
        register(event, email="lea@example.fr")
    assert Registration.objects.filter(email="lea@example.fr").count() == 1


def test_the_registration_mail_reads_its_registration_in_one_query(event, mailoutbox):
    from vocations.events.mails import registration_email_send

    confirmed = register(event, email="lea@example.fr")
    waiting = register(event, email="paul@example.fr")
    mailoutbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert registration_email_send(registration_id=confirmed.pk, kind="confirmed") == 1
    # The registration with its event, the event's commune and its session: one query.
    assert len(queries.captured_queries) == 1
    (mail,) = mailoutbox
    assert mail.to == ["lea@example.fr"] and "Inscription confirmée" in mail.subject
    with CaptureQueriesContext(connection) as queries:
        assert registration_email_send(registration_id=waiting.pk, kind="waitlisted") == 1
    # And its place in the line, said in the mail.
    assert len(queries.captured_queries) == 2
    assert "position 1" in mailoutbox[-1].body
