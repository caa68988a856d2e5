import datetime as dt

import pytest
from django.core.management import call_command

from vocations.core.models import AuditEntry
from vocations.events.models import PressAccreditation, Registration, Session, SessionInvitation
from vocations.events.services import accreditation_request, registration_create
from vocations.events.services.retention import personal_data_purge

from .test_registrations_support import group, person

pytestmark = pytest.mark.django_db

NOTHING = {"inscriptions": 0, "accréditations": 0, "invitations": 0}


def test_personal_data_go_after_the_retention_delay_counts_stay(draft_event, settings):
    settings.REGISTRATION_RETENTION_DAYS = 90
    Registration.objects.all().delete()
    draft_event.registration_opens_at = draft_event.registration_closes_at = None
    draft_event.accepts_groups = True
    draft_event.save()
    lea = registration_create(event=draft_event, data=person("lea@example.fr"))
    klass = registration_create(event=draft_event, data=group(pupils=20, adults=2))
    press = accreditation_request(
        event=draft_event,
        full_name="Camille",
        email="c@journal.fr",
        outlet="Le Journal",
        role="JRI",
    )

    just_before = draft_event.ends_at + dt.timedelta(days=89)
    assert personal_data_purge(now=just_before) == {
        "inscriptions": 0,
        "accréditations": 0,
        "invitations": 0,
    }
    assert Registration.objects.get(pk=lea.pk).email == "lea@example.fr"

    after = draft_event.ends_at + dt.timedelta(days=91)
    assert personal_data_purge(now=after) == {
        "inscriptions": 2,
        "accréditations": 1,
        "invitations": 0,
    }
    lea.refresh_from_db()
    klass.refresh_from_db()
    assert (lea.email, lea.first_name, lea.last_name) == (
        f"inscription-{lea.pk}@anonyme.invalid",
        "",
        "",
    )
    assert "example" not in klass.email and klass.last_name == ""
    # What the outcome figures need stays.
    assert (klass.pupils, klass.adults, klass.seats, klass.status) == (20, 2, 22, "confirmed")
    press.refresh_from_db()
    assert (press.full_name, press.email, press.outlet) == (
        "Anonyme",
        f"presse-{press.pk}@anonyme.invalid",
        "Le Journal",
    )
    assert AuditEntry.objects.filter(action="personal_data.purged").count() == 1
    # Idempotent: a second pass finds nothing left to anonymize.
    assert personal_data_purge(now=after) == {
        "inscriptions": 0,
        "accréditations": 0,
        "invitations": 0,
    }


def test_command_runs(capsys):
    call_command("purge_personal_data")
    assert "Données personnelles anonymisées (90 jours)" in capsys.readouterr().out
    assert PressAccreditation.objects.count() == 0


def test_invitations_and_the_waiting_list_go_too(draft_event, settings):
    settings.REGISTRATION_RETENTION_DAYS = 90
    Registration.objects.all().delete()
    draft_event.registration_opens_at = draft_event.registration_closes_at = None
    draft_event.capacity = 1
    draft_event.save()
    registration_create(event=draft_event, data=person("premiere@example.fr"))
    waiting = registration_create(event=draft_event, data=person("attente@example.fr"))
    assert waiting.status == "waitlisted"
    dinner = Session.objects.create(
        event=draft_event,
        kind=Session.Kind.values[0],
        title="Dîner",
        starts_at=draft_event.starts_at,
        ends_at=draft_event.ends_at,
        invitation_only=True,
    )
    SessionInvitation.objects.create(session=dinner, email="invite@example.fr")

    just_before = draft_event.ends_at + dt.timedelta(days=89)
    assert personal_data_purge(now=just_before)["invitations"] == 0
    after = draft_event.ends_at + dt.timedelta(days=91)
    counts = personal_data_purge(now=after)

    assert counts["invitations"] == 1 and counts["inscriptions"] == 2
    assert not SessionInvitation.objects.exists()
    waiting.refresh_from_db()
    assert waiting.email == f"inscription-{waiting.pk}@anonyme.invalid"
