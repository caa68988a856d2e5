"""Short ticket codes: 8 unambiguous characters, unique per event, typed at the door."""

from __future__ import annotations

import importlib
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from vocations.accounts.models import Membership, User
from vocations.events.models import Registration
from vocations.events.models.registrations import SHORT_CODE_ALPHABET
from vocations.events.services import registration_check_in, registration_create
from vocations.events.tickets import normalize_short_code

from .test_registrations_support import group, make_department, make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    make_department("69")
    return make_event(title="Portes ouvertes aux Forges", capacity=60)


@pytest.fixture
def door(event):
    user = User.objects.create_user("accueil@forges.fr", "x")
    Membership.objects.create(user=user, organization=event.organization, role="editor")
    return user


def test_short_code_has_eight_unambiguous_characters(event):
    registration = registration_create(event=event, data=person())
    code = registration.short_code
    assert len(code) == 8
    assert set(code) <= set(SHORT_CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    assert registration.short_code_display == f"{code[:4]}-{code[4:]}"


def test_a_drawn_code_already_used_in_the_event_is_drawn_again(event):
    first = registration_create(event=event, data=person("a@example.fr"))
    draws = iter([first.short_code, "ABCDEFGH"])
    with mock.patch("vocations.events.tickets.new_short_code", lambda: next(draws)):
        second = registration_create(event=event, data=person("b@example.fr"))
    assert second.short_code == "ABCDEFGH"


def test_the_same_code_may_exist_in_another_event(event):
    other = make_event(title="Autre", capacity=10)
    with mock.patch("vocations.events.tickets.new_short_code", lambda: "ABCDEFGH"):
        a = registration_create(event=event, data=person())
        b = registration_create(event=other, data=person())
    assert a.short_code == b.short_code == "ABCDEFGH"


@pytest.mark.parametrize(
    "typed", ["{c}", "{c_lower}", "{c4}-{c8}", " {c4_lower} - {c8_lower} ", "{c4} {c8}"]
)
def test_door_accepts_the_short_code_typed_any_way(event, door, typed):
    klass = registration_create(event=event, data=group(pupils=20, adults=2))
    code = klass.short_code
    text = typed.format(
        c=code,
        c_lower=code.lower(),
        c4=code[:4],
        c8=code[4:],
        c4_lower=code[:4].lower(),
        c8_lower=code[4:].lower(),
    )
    result = registration_check_in(actor=door, event=event, ticket=text)
    assert result.registration.pk == klass.pk
    assert result.attended == 22


def test_another_events_short_code_is_unknown_here_and_reveals_nothing(event, door):
    # Same organization, so a signed ticket of it would be named: a typed short code is not.
    other = make_event(organization=event.organization, title="Salon secret", capacity=10)
    elsewhere = registration_create(event=other, data=person())
    with pytest.raises(ValidationError) as error:
        registration_check_in(actor=door, event=event, ticket=elsewhere.short_code)
    assert error.value.messages == ["Billet non reconnu"]
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_normalize_refuses_ambiguous_letters_and_wrong_lengths():
    assert normalize_short_code("abcd-efgh") == "ABCDEFGH"
    assert normalize_short_code("ABCD-EFG0") is None  # zero is not in the alphabet
    assert normalize_short_code("ABCDEFG") is None
    assert normalize_short_code("ABCDEFGHJ") is None


def test_short_code_is_in_the_confirmation_mail(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=person())
    (message,) = mail.outbox
    assert registration.short_code_display in message.body
    html = message.alternatives[0][0]
    assert registration.short_code_display in html


@pytest.mark.django_db(transaction=True)
def test_data_migration_gives_existing_rows_unique_codes_per_event():
    """Rows registered before short codes existed get one each, unique within their event."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("events", "0009_ticket_short_code_add")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Event = old_apps.get_model("events", "Event")
    Old = old_apps.get_model("events", "Registration")
    Organization = old_apps.get_model("accounts", "Organization")
    organization = Organization.objects.create(name="Forges", slug="forges", kind="company")
    events = [
        Event.objects.create(
            organization=organization,
            kind="open_day",
            title=f"Portes ouvertes {n}",
            slug=f"po-{n}",
            starts_at="2026-12-10T09:00:00+01:00",
            ends_at="2026-12-10T17:00:00+01:00",
        )
        for n in range(2)
    ]
    for event in events:
        for i in range(30):
            Old.objects.create(
                event=event,
                kind="individual",
                status="confirmed",
                seats=1,
                email=f"p{i}@example.fr",
                first_name="A",
                last_name="B",
                consent_at="2026-11-30T09:00:00+01:00",
                ticket_code=f"{event.pk}-{i}",
            )
    # Few codes to draw from, so the loop must draw again within an event.
    module = importlib.import_module(
        "vocations.events.migrations.0010_ticket_short_code_fill_existing"
    )
    pool = [f"AAAA{c}{d}22" for c in "ABCDEF" for d in "GHJKM"]
    draws = iter(pool * 10)
    with mock.patch.object(module, "_code", lambda: next(draws)):
        executor = MigrationExecutor(connection)
        executor.migrate([("events", "0010_ticket_short_code_fill_existing")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    for event in events:
        codes = list(
            Registration.objects.filter(event_id=event.pk).values_list("short_code", flat=True)
        )
        assert len(codes) == 30 and len(set(codes)) == 30
        assert all(normalize_short_code(c) == c for c in codes)
