"""Check-in at the door: first scan counts, a repeat warns, bad tickets change nothing."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.accounts.models import Membership, User
from vocations.core.models import AuditEntry
from vocations.events.models import Registration
from vocations.events.services import (
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_set_attendance,
)
from vocations.events.tickets import TICKET_SALT, ticket_payload

from .test_registrations_support import group, make_department, make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    make_department("69")
    return make_event(title="Portes ouvertes aux Forges", capacity=60)


@pytest.fixture
def staff(event):
    def member(email, role):
        user = User.objects.create_user(email, "x")
        Membership.objects.create(user=user, organization=event.organization, role=role)
        return user

    return {
        "editor": member("accueil@forges.fr", "editor"),
        "viewer": member("lecteur@forges.fr", "viewer"),
        "stranger": User.objects.create_user("autre@usine.fr", "x"),
    }


@pytest.fixture
def klass(event):
    """A class of 25 pupils and 2 teachers, confirmed."""
    return registration_create(event=event, data=group(pupils=25, adults=2))


def state(registration: Registration) -> tuple:
    registration.refresh_from_db()
    return registration.status, registration.checked_in_at, registration.attended


def check_ins(registration: Registration) -> int:
    return AuditEntry.objects.filter(
        action="registration.check_in", target_id=str(registration.pk)
    ).count()


def test_first_scan_of_a_class_counts_the_whole_group(event, staff, klass):
    result = registration_check_in(actor=staff["editor"], event=event, ticket=ticket_payload(klass))
    assert result.already is False
    assert result.attended == 27
    assert result.registration.pk == klass.pk
    klass.refresh_from_db()
    assert klass.attended == 27
    assert klass.checked_in_at == result.checked_in_at
    entry = AuditEntry.objects.get(action="registration.check_in", target_id=str(klass.pk))
    assert entry.actor == staff["editor"]
    assert entry.data["attended"] == 27


def test_individual_counts_one_person(event, staff):
    lea = registration_create(event=event, data=person())
    result = registration_check_in(actor=staff["editor"], event=event, ticket=ticket_payload(lea))
    assert (result.already, result.attended) == (False, 1)


def test_typed_code_ignores_case_and_spaces(event, staff, klass):
    code = klass.ticket_code
    typed = " ".join(code[i : i + 4] for i in range(0, len(code), 4)).swapcase()
    assert typed.replace(" ", "") != code
    result = registration_check_in(actor=staff["editor"], event=event, ticket=f"  {typed} ")
    assert result.registration.pk == klass.pk
    assert result.already is False


def test_a_group_may_come_with_fewer(event, staff, klass):
    result = registration_check_in(
        actor=staff["editor"], event=event, ticket=klass.ticket_code, attended=26
    )
    assert result.attended == 26
    assert state(klass)[2] == 26


@pytest.mark.parametrize(
    "attended, message",
    [(28, "Au plus 27 personnes"), (-1, "négatif"), ("beaucoup", "nombre entier"), (True, "")],
)
def test_impossible_attendance_is_refused_and_nothing_written(
    event, staff, klass, attended, message
):
    with pytest.raises(ValidationError) as error:
        registration_check_in(
            actor=staff["editor"], event=event, ticket=klass.ticket_code, attended=attended
        )
    assert message in " ".join(error.value.messages)
    assert state(klass) == ("confirmed", None, None)
    assert check_ins(klass) == 0


def test_repeated_scan_warns_with_first_time_and_does_not_count_twice(event, staff, klass):
    first = registration_check_in(
        actor=staff["editor"], event=event, ticket=ticket_payload(klass), attended=26
    )
    again = registration_check_in(
        actor=staff["editor"], event=event, ticket=klass.ticket_code, attended=27
    )
    assert again.already is True
    assert again.checked_in_at == first.checked_in_at
    assert again.attended == 26
    assert state(klass)[2] == 26
    assert check_ins(klass) == 1
    assert AuditEntry.objects.filter(
        action="registration.check_in_repeat", target_id=str(klass.pk)
    ).exists()


def test_a_resent_scan_is_answered_as_the_original(event, staff, klass):
    """The phone lost the answer and sends the same scan again: not a "déjà scanné"."""
    payload = ticket_payload(klass)
    first = registration_check_in(
        actor=staff["editor"], event=event, ticket=payload, scan_id="scan-1"
    )
    resent = registration_check_in(
        actor=staff["editor"], event=event, ticket=payload, scan_id="scan-1"
    )
    other_phone = registration_check_in(
        actor=staff["editor"], event=event, ticket=payload, scan_id="scan-2"
    )
    assert (first.already, resent.already, other_phone.already) == (False, False, True)
    assert resent.checked_in_at == first.checked_in_at
    assert check_ins(klass) == 1


@pytest.mark.parametrize(
    "forge",
    [
        lambda r: ticket_payload(r)[:-2] + ("xx" if ticket_payload(r)[-2:] != "xx" else "yy"),
        lambda r: signing.Signer(key="pas-la-bonne-cle", salt=TICKET_SALT).sign(
            f"{r.pk}.{r.ticket_code}"
        ),
        lambda r: signing.Signer(salt=TICKET_SALT).sign(f"{r.pk}.{'A' * 24}"),
        lambda r: ticket_payload(r).replace(f"{r.pk}.", f"{r.pk + 1000}.", 1),
        lambda r: "ZZZZZZZZZZZZZZZZZZZZZZZZ",
        lambda r: "",
        lambda r: "\x00" + r.ticket_code,
        lambda r: "x" * 5000,
    ],
    ids=["signature", "key", "code", "id", "unknown-code", "empty", "nul", "huge"],
)
def test_forged_or_tampered_tickets_are_not_recognised(event, staff, klass, forge):
    with pytest.raises(ValidationError) as error:
        registration_check_in(actor=staff["editor"], event=event, ticket=forge(klass))
    assert error.value.messages == ["Billet non reconnu"]
    assert state(klass) == ("confirmed", None, None)
    assert check_ins(klass) == 0


def test_ticket_for_another_event_of_the_organization_names_it(event, staff, klass):
    other_event = make_event(event.organization, title="Salon de l'orientation de Lyon")
    other = registration_create(event=other_event, data=person())
    with pytest.raises(ValidationError) as error:
        registration_check_in(actor=staff["editor"], event=event, ticket=ticket_payload(other))
    assert error.value.messages == ["Ce billet est pour « Salon de l'orientation de Lyon »"]
    assert state(other) == ("confirmed", None, None)


def test_ticket_of_another_organization_does_not_reveal_its_event(event, staff, klass):
    # Issue 15, point 8: the message named the other organization's event.
    stranger = make_event(title="Forum confidentiel d'une autre entreprise")
    other = registration_create(event=stranger, data=person())
    with pytest.raises(ValidationError) as error:
        registration_check_in(actor=staff["editor"], event=event, ticket=ticket_payload(other))
    assert error.value.messages == ["Billet d'un autre événement"]
    assert state(other) == ("confirmed", None, None)


@pytest.mark.parametrize("same_organization", [True, False])
def test_typed_codes_are_looked_up_in_this_event_only(event, staff, klass, same_organization):
    other_event = make_event(event.organization if same_organization else None)
    other = registration_create(event=other_event, data=person())
    for typed in (other.ticket_code, other.ticket_code.swapcase()):
        with pytest.raises(ValidationError) as error:
            registration_check_in(actor=staff["editor"], event=event, ticket=typed)
        assert error.value.messages == ["Billet non reconnu"]
    assert state(other) == ("confirmed", None, None)


def test_cancelled_and_waitlisted_registrations_are_refused(event, staff):
    cancelled = registration_create(event=event, data=person("annule@example.fr"))
    registration_cancel(registration=cancelled)
    registration_create(event=event, data=group(pupils=38, adults=2, email="a@college.fr"))
    waiting = registration_create(event=event, data=group(pupils=30, adults=2, waitlist=True))
    assert waiting.status == "waitlisted"
    for registration, message in (
        (cancelled, "Inscription annulée"),
        (waiting, "Inscription en liste d'attente (non confirmée)"),
    ):
        with pytest.raises(ValidationError) as error:
            registration_check_in(
                actor=staff["editor"], event=event, ticket=ticket_payload(registration)
            )
        assert error.value.messages == [message]
        registration.refresh_from_db()
        assert registration.checked_in_at is None and registration.attended is None


@pytest.mark.parametrize("who", ["viewer", "stranger", "anonymous"])
def test_only_staff_with_change_right_check_in(event, staff, klass, who):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else staff[who]
    with pytest.raises(PermissionDenied):
        registration_check_in(actor=actor, event=event, ticket=ticket_payload(klass))
    with pytest.raises(PermissionDenied):
        registration_set_attendance(actor=actor, event=event, registration=klass, attended=3)
    assert state(klass) == ("confirmed", None, None)


def test_campaign_staff_may_check_in(event, klass):
    team = User.objects.create_user("equipe@campagne.fr", "x", is_staff=True)
    assert registration_check_in(actor=team, event=event, ticket=klass.ticket_code).attended == 27


def test_set_attendance_corrects_after_the_scan(event, staff, klass):
    registration_check_in(actor=staff["editor"], event=event, ticket=klass.ticket_code)
    first_time = state(klass)[1]
    updated = registration_set_attendance(
        actor=staff["editor"], event=event, registration=klass.pk, attended="26"
    )
    assert updated.attended == 26
    assert state(klass) == ("confirmed", first_time, 26)
    entry = AuditEntry.objects.get(action="registration.attendance", target_id=str(klass.pk))
    assert entry.data == {"attended": 26, "attended_before": 27, "seats": 27}


def test_set_attendance_refusals(event, staff, klass):
    with pytest.raises(ValidationError, match="pas encore été scanné"):
        registration_set_attendance(
            actor=staff["editor"], event=event, registration=klass, attended=3
        )
    registration_check_in(actor=staff["editor"], event=event, ticket=klass.ticket_code)
    with pytest.raises(ValidationError, match="Au plus 27"):
        registration_set_attendance(
            actor=staff["editor"], event=event, registration=klass, attended=30
        )
    with pytest.raises(ValidationError, match="Indiquez"):
        registration_set_attendance(
            actor=staff["editor"], event=event, registration=klass, attended=""
        )
    other_event = make_event(event.organization)
    with pytest.raises(ValidationError, match="n'existe pas pour cet événement"):
        registration_set_attendance(
            actor=staff["editor"], event=other_event, registration=klass, attended=3
        )
    assert state(klass)[2] == 27
