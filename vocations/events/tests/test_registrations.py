"""Registration services: every rule, the waiting list, idempotency, counters and mails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from vocations.core.models import AuditEntry
from vocations.events.models import Registration, SessionInvitation
from vocations.events.registration_selectors import (
    registration_counts,
    registration_list,
    waitlist_position,
)
from vocations.events.selectors import seats_left, seats_taken
from vocations.events.services import (
    DuplicateRegistrationError,
    registration_cancel,
    registration_change_group,
    registration_create,
    waitlist_refresh,
)
from vocations.events.tickets import verify_self_service_token

from .test_registrations_support import (
    confirmed_sum,
    counter,
    group,
    make_department,
    make_event,
    make_session,
    person,
    waitlisted_ids,
)

pytestmark = pytest.mark.django_db

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture(autouse=True)
def _department(db):
    make_department("69")


def assert_counters_exact(event, session=None):
    assert counter(event, session) == confirmed_sum(event, session)


def assert_refused(field, message_part, **kwargs):
    with pytest.raises(ValidationError) as info:
        registration_create(**kwargs)
    messages = info.value.message_dict.get(field, [])
    assert any(message_part in m for m in messages), info.value.message_dict
    # Nothing half-written.
    assert Registration.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="registration.").exists()
    event = kwargs["event"]
    assert counter(event) == 0


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": False}, "consent", "accord"),
        ({"email": "pas-une-adresse"}, "email", "n'est pas valide"),
        ({"email": ""}, "email", "obligatoire"),
        ({"first_name": "  "}, "first_name", "obligatoire"),
        ({"last_name": "x" * 101}, "last_name", "100 caractères"),
        ({"audience": "aliens"}, "audience", "Indiquez qui vous êtes"),
        ({"age_bracket": "7_9"}, "age_bracket", "inconnue"),
        ({"kind": "family"}, "kind", "inconnu"),
        ({"age_bracket": "under_15"}, "parental_consent", "Avant 15 ans"),
        ({"first_name": "Léa\x00"}, "first_name", "caractère non autorisé"),
        ({"email": 42}, "email", "Valeur non reconnue"),
    ],
)
def test_individual_rules(overrides, field, message):
    assert_refused(field, message, event=make_event(), data=person(**overrides))


def test_under_15_with_a_parents_consent_is_accepted():
    registration = registration_create(
        event=make_event(), data=person(age_bracket="under_15", parental_consent=True)
    )
    assert registration.parental_consent is True
    assert registration.status == CONFIRMED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pupils": 0}, "pupils", "au moins un élève"),
        ({"pupils": None}, "pupils", "Indiquez le nombre d'élèves"),
        ({"pupils": "vingt"}, "pupils", "nombre entier"),
        ({"pupils": True}, "pupils", "nombre entier"),
        ({"pupils": 10**12}, "pupils", "nombre entier"),
        ({"origin_department": "6\x009"}, "origin_department", "caractère non autorisé"),
        ({"adults": -1}, "adults", "négatif"),
        ({"uai": "069123A"}, "uai", "7 chiffres"),
        ({"uai": "06912345"}, "uai", "7 chiffres"),
        ({"school_name": ""}, "school_name", "établissement"),
        ({"class_level": "master"}, "class_level", "niveau"),
        ({"origin_department": ""}, "origin_department", "Indiquez le département"),
        ({"origin_department": "99"}, "origin_department", "inconnu"),
        ({"email": "prof@"}, "email", "n'est pas valide"),
    ],
)
def test_group_rules(overrides, field, message):
    assert_refused(field, message, event=make_event(), data=group(**{"pupils": 5, **overrides}))


def test_oversized_group_is_refused_against_max_group_size():
    event = make_event(capacity=100, max_group_size=30)
    assert_refused("pupils", "ne peut pas dépasser 30", event=event, data=group(28, 3))


def test_group_larger_than_the_whole_capacity_is_refused_not_waitlisted():
    event = make_event(capacity=10, max_group_size=None)
    assert_refused("pupils", "Ce groupe dépasse la capacité totale", event=event, data=group(9, 2))


def test_groups_refused_when_the_event_does_not_take_them():
    event = make_event(accepts_groups=False)
    assert_refused("kind", "n'accepte pas", event=event, data=group(5))


@pytest.mark.parametrize(
    ("window", "message"),
    [
        # Lambdas: the window is drawn from the test's frozen clock, not from the wall clock
        # at collection time.
        (lambda now: {"registration_opens_at": now + dt.timedelta(days=2)}, "ouvriront le"),
        (lambda now: {"registration_closes_at": now - dt.timedelta(hours=1)}, "closes"),
        (
            lambda now: {
                "starts_at": now - dt.timedelta(days=2),
                "ends_at": now - dt.timedelta(days=1),
                "registration_opens_at": None,
                "registration_closes_at": None,
            },
            "terminé",
        ),
    ],
    ids=["opens", "closes", "ended"],
)
def test_registration_outside_the_window_is_refused(window, message):
    event = make_event(**window(timezone.now()))
    assert_refused("__all__", message, event=event, data=person())


def test_school_only_slot_refuses_individuals_and_takes_groups():
    event = make_event(accepts_groups=False)
    slot = make_session(event, school_groups_only=True, capacity=30)
    assert_refused(
        "kind", "réservé aux groupes scolaires", event=event, session=slot, data=person()
    )
    registration = registration_create(event=event, session=slot, data=group(20, 2))
    assert registration.status == CONFIRMED
    assert registration.uai == "0691234A"  # stored upper
    assert registration.audience == "advisers"


def test_invitation_only_session_checks_the_address():
    event = make_event()
    dinner = make_session(event, kind="dinner", invitation_only=True, capacity=2)
    SessionInvitation.objects.create(session=dinner, email="Invite@Industrie.fr")
    assert_refused(
        "email", "sur invitation", event=event, session=dinner, data=person("intrus@example.fr")
    )
    registration = registration_create(
        event=event, session=dinner, data=person("INVITE@industrie.fr")
    )
    assert registration.email == "invite@industrie.fr"
    assert registration.status == CONFIRMED


def test_a_session_of_another_event_is_refused():
    other_session = make_session(make_event())
    assert_refused("session", "n'appartient pas", event=make_event(), session=other_session,
                   data=person())  # fmt: skip


# --- capacity and waiting list -------------------------------------------------------------


def test_seats_run_out_then_registrations_wait_in_order():
    event = make_event(capacity=10)
    first = registration_create(event=event, data=group(6, 2))
    a = registration_create(event=event, data=person("a@example.fr"))
    b = registration_create(event=event, data=person("b@example.fr"))
    c = registration_create(event=event, data=person("c@example.fr"))
    g = registration_create(event=event, data=group(3, 0, email="autre@lycee.fr"))
    assert [r.status for r in (first, a, b, c, g)] == [CONFIRMED] * 3 + [WAITLISTED] * 2
    assert seats_taken(event) == event.seats_confirmed == 10
    assert seats_left(event) == 0
    assert waitlisted_ids(event) == [c.pk, g.pk]
    assert [waitlist_position(c), waitlist_position(g), waitlist_position(a)] == [1, 2, None]
    assert_counters_exact(event)
    assert registration_counts(event)["waitlisted_seats"] == 4


def test_cancellations_serve_the_line_in_order_and_nobody_passes_a_waiting_group():
    event = make_event(capacity=10)
    big = registration_create(event=event, data=group(7, 1))
    a = registration_create(event=event, data=person("a@example.fr"))
    b = registration_create(event=event, data=person("b@example.fr"))
    w_group = registration_create(event=event, data=group(4, 1, email="w@lycee.fr"))
    w1 = registration_create(event=event, data=person("w1@example.fr"))
    w2 = registration_create(event=event, data=person("w2@example.fr"))
    assert waitlisted_ids(event) == [w_group.pk, w1.pk, w2.pk]

    registration_cancel(registration=a)
    # One seat: the group of 5 at the head does not fit; strict order, so w1 does not pass
    # it, and the seat is kept for the group.
    assert _status(w_group, w1, w2) == [WAITLISTED, WAITLISTED, WAITLISTED]
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held) == (9, 1)
    assert seats_left(event) == 0
    assert_counters_exact(event)

    registration_cancel(registration=b)
    event.refresh_from_db()
    assert _status(w_group, w1, w2) == [WAITLISTED, WAITLISTED, WAITLISTED]
    assert event.seats_held == 2

    # The big group shrinks by 5: 7 seats free, the group goes in, then w1 and w2.
    registration_change_group(registration=big, pupils=2, adults=1)
    assert _status(w_group, w1, w2) == [CONFIRMED, CONFIRMED, CONFIRMED]
    assert waitlisted_ids(event) == []
    assert counter(event) == 3 + 5 + 1 + 1 == confirmed_sum(event)
    event.refresh_from_db()
    assert event.seats_held == 0


def test_promotion_takes_the_earliest_that_fit_first():
    event = make_event(capacity=4)
    holder = registration_create(event=event, data=group(3, 1))
    ids = [registration_create(event=event, data=person(f"p{i}@example.fr")).pk for i in range(3)]
    registration_change_group(registration=holder, pupils=1, adults=0)  # frees 3
    assert list(
        Registration.objects.filter(pk__in=ids).order_by("id").values_list("status", flat=True)
    ) == [CONFIRMED, CONFIRMED, CONFIRMED]
    assert counter(event) == 4


def test_group_grows_only_within_the_seats_left():
    event = make_event(capacity=40)
    g = registration_create(event=event, data=group(20, 2))
    registration_create(event=event, data=person())
    grown = registration_change_group(registration=g, pupils=24, adults=3)  # +5
    assert grown.seats == 27 and counter(event) == 28
    registration_change_group(registration=g, pupils=33, adults=4)  # +10: 12 left, fits
    with pytest.raises(ValidationError) as info:
        registration_change_group(registration=g, pupils=36, adults=4)  # +3, 2 left
    assert info.value.message_dict["pupils"] == [
        "Il ne reste que 2 places : impossible d'ajouter 3 personnes au groupe."
    ]
    g.refresh_from_db()
    assert (g.pupils, g.adults, g.seats) == (33, 4, 37)
    assert counter(event) == 38 == confirmed_sum(event)


@pytest.mark.parametrize(
    ("pupils", "adults", "field", "message"),
    [(0, 2, "pupils", "au moins un élève"), (5, -1, "adults", "négatif"), (41, 0, "pupils", "40")],
)
def test_group_change_rules_change_nothing(pupils, adults, field, message):
    event = make_event(capacity=100)
    g = registration_create(event=event, data=group(10, 1))
    with pytest.raises(ValidationError) as info:
        registration_change_group(registration=g, pupils=pupils, adults=adults)
    assert message in " ".join(info.value.message_dict[field])
    g.refresh_from_db()
    assert (g.pupils, g.adults, g.seats) == (10, 1, 11) and counter(event) == 11


def test_only_groups_change_size_and_a_cancelled_group_cannot():
    event = make_event(capacity=100)
    with pytest.raises(ValidationError):
        registration_change_group(
            registration=registration_create(event=event, data=person()), pupils=2, adults=0
        )
    g = registration_cancel(registration=registration_create(event=event, data=group(5, 1)))
    with pytest.raises(ValidationError, match="annulée"):
        registration_change_group(registration=g, pupils=2, adults=0)


def test_waitlisted_group_keeps_its_place_and_is_promoted_once_it_fits():
    event = make_event(capacity=10)
    registration_create(event=event, data=person("a@example.fr"))
    registration_create(event=event, data=group(7, 1))
    waiting = registration_create(event=event, data=group(3, 1, email="w@lycee.fr", waitlist=True))
    behind = registration_create(event=event, data=group(2, 1, email="v@lycee.fr"))
    assert _status(waiting, behind) == [WAITLISTED, WAITLISTED]
    before = Registration.objects.get(pk=waiting.pk).waitlisted_at
    registration_change_group(registration=waiting, pupils=4, adults=1)
    assert Registration.objects.get(pk=waiting.pk).waitlisted_at == before
    assert counter(event) == 9  # waitlisted seats never count
    registration_change_group(registration=waiting, pupils=1, adults=0)
    assert _status(waiting, behind) == [CONFIRMED, WAITLISTED]
    assert counter(event) == 10 == confirmed_sum(event)


def test_cancel_is_idempotent_and_a_waitlisted_cancel_frees_nothing():
    event = make_event(capacity=1)
    a = registration_create(event=event, data=person("a@example.fr"))
    b = registration_create(event=event, data=person("b@example.fr"))
    registration_cancel(registration=b)
    assert counter(event) == 1
    registration_cancel(registration=a)
    again = registration_cancel(registration=a)
    assert again.status == CANCELLED and counter(event) == 0
    assert AuditEntry.objects.filter(action="registration.cancel").count() == 2


def test_cancelling_after_the_event_is_refused():
    event = make_event()
    registration = registration_create(event=event, data=person())
    event.ends_at = timezone.now() - dt.timedelta(minutes=1)
    event.starts_at = event.ends_at - dt.timedelta(hours=1)
    event.save()
    registration.refresh_from_db()
    with pytest.raises(ValidationError, match="terminé"):
        registration_cancel(registration=registration)


def test_sessions_have_their_own_pool():
    event = make_event(capacity=100)
    slot = make_session(event, capacity=2)
    registration_create(event=event, session=slot, data=person("a@example.fr"))
    registration_create(event=event, session=slot, data=person("b@example.fr"))
    third = registration_create(event=event, session=slot, data=person("c@example.fr"))
    assert third.status == WAITLISTED
    assert counter(event, slot) == 2 and counter(event) == 0
    assert seats_left(event, slot) == 0 and seats_left(event) == 100
    # The same person may also register for the event itself.
    registration_create(event=event, data=person("a@example.fr"))
    assert counter(event) == 1
    assert_counters_exact(event, slot)


def test_unlimited_event_confirms_everyone_and_still_counts():
    event = make_event(capacity=None, max_group_size=None)
    registration_create(event=event, data=group(60, 5))
    registration_create(event=event, data=person())
    assert counter(event) == 66 == confirmed_sum(event)
    assert seats_left(event) is None


def test_waitlist_refresh_after_a_capacity_increase():
    event = make_event(capacity=1)
    registration_create(event=event, data=person("a@example.fr"))
    waiting = registration_create(event=event, data=person("b@example.fr"))
    event.capacity = 2
    event.save(update_fields=["capacity"])
    assert [r.pk for r in waitlist_refresh(event=event)] == [waiting.pk]
    assert counter(event) == 2


# --- idempotency ---------------------------------------------------------------------------


def test_same_idempotency_key_returns_the_same_registration():
    event = make_event()
    first = registration_create(event=event, data=group(5), idempotency_key="clic-123")
    again = registration_create(event=event, data=group(5), idempotency_key="clic-123")
    assert first.created_now is True and again.created_now is False
    assert again.pk == first.pk
    assert Registration.objects.count() == 1 and counter(event) == 7


def test_an_idempotency_key_cannot_be_reused_for_someone_else():
    event = make_event()
    registration_create(event=event, data=person("a@example.fr"), idempotency_key="k")
    with pytest.raises(ValidationError, match="clé d'idempotence"):
        registration_create(event=event, data=person("b@example.fr"), idempotency_key="k")
    with pytest.raises(ValidationError, match="100"):
        registration_create(event=event, data=person("c@example.fr"), idempotency_key="k" * 101)
    assert Registration.objects.count() == 1


def test_one_email_registers_once_per_event_as_an_individual():
    event = make_event()
    first = registration_create(event=event, data=person("lea@example.fr"))
    with pytest.raises(DuplicateRegistrationError) as info:
        registration_create(event=event, data=person(" LEA@Example.FR "))
    assert info.value.registration.pk == first.pk
    assert "déjà inscrite" in info.value.message_dict["email"][0]
    assert Registration.objects.count() == 1 and counter(event) == 1
    # Once cancelled, the address may register again.
    registration_cancel(registration=first)
    assert registration_create(event=event, data=person("lea@example.fr")).status == CONFIRMED


def test_a_teacher_registers_several_classes():
    event = make_event(capacity=100)
    a = registration_create(event=event, data=group(20, 2, class_level="4e"))
    b = registration_create(event=event, data=group(25, 2, class_level="3e"))
    assert a.pk != b.pk and counter(event) == 49


# --- selectors, audit, mails ---------------------------------------------------------------


def test_registration_list_filters_and_counts():
    event = make_event(capacity=3)
    registration_create(event=event, data=person("a@example.fr", last_name="Arnaud"))
    registration_create(event=event, data=group(1, 1, school_name="Lycée Ampère"))
    waiting = registration_create(event=event, data=person("z@example.fr", last_name="Zola"))
    assert [r.last_name for r in registration_list(event, q="zola")] == ["Zola"]
    assert [r.school_name for r in registration_list(event, q="ampère")] == ["Lycée Ampère"]
    assert list(registration_list(event, status=WAITLISTED)) == [waiting]
    assert list(registration_list(event, kind="group", q="0691234A"))[0].kind == "group"
    figures = registration_counts(event)
    assert figures["confirmed_seats"] == 3 and figures["waitlisted"] == 1
    assert figures["groups"] == 1 and figures["pupils"] == 1


def test_audit_trail_has_no_personal_data():
    event = make_event()
    registration = registration_create(event=event, data=person("secret@example.fr"))
    entry = AuditEntry.objects.get(action="registration.create")
    assert entry.target_id == str(registration.pk)
    assert entry.organization_id == event.organization_id
    assert "secret" not in str(entry.data)


def test_confirmation_mail_carries_the_qr_ticket_and_the_self_service_link(
    django_capture_on_commit_callbacks,
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, data=group(8, 1))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["prof@college.fr"]
    assert message.subject == f"Inscription confirmée : {event.title}"
    assert "Collège Jean Moulin" in message.body and "8 élèves" in message.body
    html = message.alternatives[0][0]
    assert 'src="cid:billet"' in html
    images = [a for a in message.attachments if getattr(a, "get_content_type", None)]
    assert len(images) == 1 and images[0].get_content_type() == "image/png"
    assert images[0]["Content-ID"] == "<billet>"
    assert images[0].get_payload(decode=True).startswith(b"\x89PNG")
    link = next(line for line in message.body.splitlines() if "/inscription/" in line)
    token = link.strip().split("/inscription/")[1].rstrip("/")
    assert verify_self_service_token(token).pk == registration.pk
    assert "ne-pas-repondre" in message.from_email


def test_waitlisted_promoted_and_cancelled_mails(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        a = registration_create(event=event, data=person("a@example.fr"))
        registration_create(event=event, data=person("b@example.fr"))
    assert [m.subject.split(" :")[0] for m in mail.outbox] == [
        "Inscription confirmée",
        "Liste d'attente",
    ]
    assert "position 1" in mail.outbox[1].body and not mail.outbox[1].attachments
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=a)
    assert sorted((m.to[0], m.subject.split(" :")[0]) for m in mail.outbox) == [
        ("a@example.fr", "Inscription annulée"),
        ("b@example.fr", "Une place s'est libérée, votre inscription est confirmée"),
    ]
    promoted = next(m for m in mail.outbox if m.to == ["b@example.fr"])
    assert len(promoted.attachments) == 1


def _status(*registrations):
    return [Registration.objects.get(pk=r.pk).status for r in registrations]
