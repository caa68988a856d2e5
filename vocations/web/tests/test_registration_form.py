"""The registration form page /evenements/<slug>/inscription/: individual, group, sessions,
waiting list, every bad input of the issue, idempotency, duplicates, attribution."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from vocations.api.tests.factories import make_event, make_organization
from vocations.events.models import Event, Registration, SessionInvitation
from vocations.events.services import registration_create
from vocations.events.tickets import verify_self_service_token
from vocations.web.registration import views as registration_views

from .html import find_all
from .registration_support import (
    GROUP,
    INDIVIDUAL,
    count,
    flagship_with_sessions,
    form_url,
    make_world,
    person_data,
    post,
    token_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def geo(world):
    return world[0]


@pytest.fixture
def event(world):
    return world[1]


def _body(response) -> str:
    # Unescaped, so French apostrophes read as typed (no attribute here holds a quote).
    return unescape(response.content.decode())


def _summary(response) -> str:
    (alert,) = find_all(_body(response), "div", role="alert")
    return alert.text


# --- the page ----------------------------------------------------------------------------------


def test_individual_form_page_holds_a_token_a_key_and_accessible_fields(client, event):
    response = client.get(form_url(event))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = _body(response)
    assert "csrfmiddlewaretoken" in html
    (key,) = find_all(html, "input", name="idempotency_key")
    assert re.fullmatch(r"[0-9a-f]{32}", key.attrs["value"])
    # A second visit gets another key: one key per filled-in form.
    assert client.get(form_url(event)).content.decode().count(key.attrs["value"]) == 0
    (email,) = find_all(html, "input", name="email")
    assert email.attrs["type"] == "email"
    assert email.attrs["autocomplete"] == "email"
    assert email.attrs["aria-describedby"] == "champ-email-aide"
    (first_name,) = find_all(html, "input", name="first_name")
    assert first_name.attrs["autocomplete"] == "given-name"
    audiences = [e.attrs["value"] for e in find_all(html, "input", name="audience")]
    assert audiences == [
        "young_people", "parents", "job_seekers", "career_changers", "advisers", "other",
    ]  # fmt: skip
    assert "Avant 15 ans, la loi demande aussi l'accord d'un parent" in html
    assert find_all(html, "input", name="parental_consent")
    assert find_all(html, "a", href="/donnees-personnelles/")
    assert find_all(html, "a", href=f"/evenements/{event.slug}/inscription/?type=groupe")
    assert "40 places restantes" in html


def test_group_form_page_asks_no_pupil_name_and_uses_numeric_keyboards(client, event):
    html = _body(client.get(form_url(event, "type=groupe")))

    assert "Aucun nom d'élève n'est demandé" in html
    assert "7 chiffres et une lettre, ex. 0691234A." in html
    (kind,) = find_all(html, "input", name="kind")
    assert kind.attrs["value"] == "group"
    for name in ("pupils", "adults"):
        (field,) = find_all(html, "input", name=name)
        assert field.attrs["inputmode"] == "numeric"
    (uai,) = find_all(html, "input", name="uai")
    # The UAI ends with a letter: a numeric keypad would make it impossible to type.
    assert uai.attrs["autocapitalize"] == "characters"
    departments = [o.attrs["value"] for o in find_all(html, "option") if o.attrs.get("value")]
    assert {"69", "38", "42", "29"} <= set(departments)
    assert "Un groupe compte au plus 35 personnes" in html
    for name in ("first_name", "last_name", "email", "school_name", "class_level"):
        assert len(find_all(html, "input", name=name) + find_all(html, "select", name=name)) == 1


def test_group_asked_on_an_event_without_groups_falls_back_to_individual(client, geo):
    solo = make_event(organization=make_organization(), commune=geo["Lyon"], capacity=10)
    response = client.get(form_url(solo, "type=groupe"))

    html = _body(response)
    assert "Cet événement n'accepte pas les inscriptions de groupe." in _summary(response)
    (kind,) = find_all(html, "input", name="kind")
    assert kind.attrs["value"] == "individual"
    assert not find_all(html, "a", href=f"/evenements/{solo.slug}/inscription/?type=groupe")


def test_unknown_or_unpublished_event_has_no_form(client, geo):
    hidden = make_event(organization=make_organization(), commune=geo["Lyon"], is_published=False)
    assert client.get("/evenements/nulle-part/inscription/").status_code == 404
    assert client.get(form_url(hidden)).status_code == 404


def test_closed_window_is_explained_before_anyone_types(client, event):
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now())
    html = _body(client.get(form_url(event)))

    assert "Les inscriptions sont closes." in html
    assert not find_all(html, "form", method="post")


def test_full_event_states_the_waiting_list_before_submitting(client, event):
    Event.objects.filter(pk=event.pk).update(capacity=2, seats_confirmed=2)
    html = _body(client.get(form_url(event)))

    assert "liste d'attente" in html
    assert "S'inscrire sur liste d'attente" in html


def test_post_without_csrf_token_is_refused(event):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(form_url(event), {**INDIVIDUAL, "idempotency_key": "k"})
    assert response.status_code == 403
    assert count() == 0


# --- happy paths ------------------------------------------------------------------------------


def test_individual_registers_and_lands_on_the_confirmation(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(client, event, INDIVIDUAL, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.kind, registration.status, registration.seats) == (
        "individual", "confirmed", 1,
    )  # fmt: skip
    assert (registration.audience, registration.age_bracket) == ("young_people", "15_17")
    assert verify_self_service_token(token_of(response)) == registration
    assert "lea@example.fr" not in response["Location"]

    page = client.get(response["Location"])
    html = _body(page)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "Inscription confirmée" in html
    assert "Un e-mail vous a été envoyé" in html
    assert "<svg" in html and "Code QR du billet" in html
    (mail,) = mailoutbox
    assert mail.to == ["lea@example.fr"]
    assert mail.subject == f"Inscription confirmée : {event.title}"


def test_group_registers_with_counts_only(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(client, event, GROUP, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    group = Registration.objects.get()
    assert (group.kind, group.pupils, group.adults, group.seats) == ("group", 24, 2, 26)
    assert (group.uai, group.class_level, group.origin_department.code) == ("0691234A", "3e", "69")
    assert group.audience == "advisers"
    html = _body(client.get(response["Location"]))
    assert "24 élèves et 2 accompagnateurs, soit 26 places" in html
    assert "Collège Jean Moulin (UAI 0691234A)" in html
    event.refresh_from_db()
    assert event.seats_confirmed == 26
    assert len(mailoutbox) == 1


def test_flagship_session_choice_lists_pools_by_kind_of_registration(client, geo):
    flagship, sessions = flagship_with_sessions(geo)

    individual = _body(client.get(form_url(flagship)))
    values = [e.attrs["value"] for e in find_all(individual, "input", name="session")]
    # The event itself, then sessions; the school-only slot is offered to groups only.
    assert values == ["", str(sessions["talk"].pk), str(sessions["dinner"].pk)]
    assert "Sur invitation" in individual
    assert "2 places restantes" in individual

    group = _body(client.get(form_url(flagship, "type=groupe")))
    values = [e.attrs["value"] for e in find_all(group, "input", name="session")]
    assert str(sessions["slot"].pk) in values
    assert "Réservé aux groupes scolaires" in group

    preselected = _body(client.get(form_url(flagship, f"seance={sessions['talk'].pk}")))
    (radio,) = [e for e in find_all(preselected, "input", name="session") if "checked" in e.attrs]
    assert radio.attrs["value"] == str(sessions["talk"].pk)


def test_registration_for_a_session(client, geo):
    flagship, sessions = flagship_with_sessions(geo)
    response = post(client, flagship, INDIVIDUAL, session=str(sessions["talk"].pk))

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.session == sessions["talk"]
    sessions["talk"].refresh_from_db()
    assert sessions["talk"].seats_confirmed == 1
    assert "Conférence hydrogène" in _body(client.get(response["Location"]))


def test_group_in_a_school_only_slot(client, geo):
    flagship, sessions = flagship_with_sessions(geo)
    response = post(client, flagship, GROUP, session=str(sessions["slot"].pk))

    assert response.status_code == 302
    assert Registration.objects.get().session == sessions["slot"]


def test_invited_address_registers_to_an_invitation_only_session(client, geo):
    flagship, sessions = flagship_with_sessions(geo)
    SessionInvitation.objects.create(session=sessions["dinner"], email="lea@example.fr")
    response = post(client, flagship, INDIVIDUAL, session=str(sessions["dinner"].pk))

    assert response.status_code == 302
    assert Registration.objects.get().session == sessions["dinner"]


def test_full_event_puts_the_registration_on_the_waiting_list(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    Event.objects.filter(pk=event.pk).update(capacity=1)
    registration_create(event=event, data=person_data("premier@example.fr"))

    response = post(client, event, INDIVIDUAL, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    html = _body(client.get(response["Location"]))
    assert "Inscription sur liste d'attente" in html
    assert "premier ou la première sur la liste d'attente" in html
    assert "Code QR du billet" not in html
    assert mailoutbox[-1].subject.startswith("Liste d'attente")


# --- bad input: a French message and nothing written ------------------------------------------


def _sessions_case(geo, name):
    flagship, sessions = flagship_with_sessions(geo)
    return flagship, {"session": str(sessions[name].pk)}


BAD_INPUT = [
    # (case, data, extra, field, message)
    ("oversized group", GROUP, {"pupils": "34"}, "pupils", "Un groupe ne peut pas dépasser 35"),
    ("zero pupils", GROUP, {"pupils": "0"}, "pupils", "Un groupe compte au moins un élève."),
    ("pupils not a number", GROUP, {"pupils": "vingt"}, "pupils", "doit être un nombre entier"),
    ("invalid e-mail", INDIVIDUAL, {"email": "lea@"}, "email", "n'est pas valide"),
    ("invalid UAI", GROUP, {"uai": "069123"}, "uai", "7 chiffres suivis d'une lettre"),
    ("no consent", INDIVIDUAL, {"consent": ""}, "consent", "Votre accord pour le traitement"),
    ("unknown département", GROUP, {"origin_department": "99"}, "origin_department", "inconnu"),
    (
        "under 15 without a parent",
        INDIVIDUAL,
        {"age_bracket": "under_15"},
        "parental_consent",
        "Avant 15 ans, l'accord d'un parent ou d'un tuteur est obligatoire.",
    ),
    ("no audience", INDIVIDUAL, {"audience": ""}, "audience", "Indiquez qui vous êtes"),
]


@pytest.mark.parametrize(
    "data, extra, field, message", [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_shows_a_french_message_and_writes_nothing(
    client, event, mailoutbox, data, extra, field, message
):
    response = post(client, event, {**data, **extra})

    assert response.status_code == 422
    assert message in _summary(response)
    html = _body(response)
    controls = find_all(html, "input", name=field) + find_all(html, "select", name=field)
    assert controls[0].attrs.get("aria-invalid") == "true"
    assert f"champ-{field.replace('_', '-')}-erreur" in controls[0].attrs["aria-describedby"]
    assert count() == 0
    assert mailoutbox == []
    # What was typed stays in the form.
    (kept,) = find_all(html, "input", name="last_name")
    assert kept.attrs["value"] == data["last_name"]


def test_registration_outside_the_window(client, event):
    Event.objects.filter(pk=event.pk).update(
        registration_opens_at=timezone.now() + dt.timedelta(days=2)
    )
    response = post(client, event, INDIVIDUAL)

    assert response.status_code == 422
    html = _body(response)
    assert "Les inscriptions ouvriront le" in html
    assert not find_all(html, "form", method="post")  # explained, no form to fill in vain
    assert count() == 0


def test_registration_after_the_window_closed_while_the_form_was_open(client, event):
    Event.objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = post(client, event, INDIVIDUAL)

    assert "Les inscriptions sont closes." in _body(response)
    assert count() == 0


def test_school_only_slot_refuses_an_individual(client, geo):
    flagship, extra = _sessions_case(geo, "slot")
    response = post(client, flagship, INDIVIDUAL, **extra)

    assert response.status_code == 422
    assert "Ce créneau est réservé aux groupes scolaires." in _summary(response)
    assert count() == 0


def test_invitation_only_session_refuses_an_uninvited_address(client, geo):
    flagship, extra = _sessions_case(geo, "dinner")
    response = post(client, flagship, INDIVIDUAL, **extra)

    assert response.status_code == 422
    assert "Cette séance est sur invitation : cette adresse n'a pas été invitée." in _summary(
        response
    )
    assert count() == 0


def test_session_of_another_event_is_refused(client, geo, event):
    _, sessions = flagship_with_sessions(geo)
    response = post(client, event, INDIVIDUAL, session=str(sessions["talk"].pk))

    assert response.status_code == 422
    assert "Choisissez une séance de la liste." in _summary(response)
    assert count() == 0


def test_group_larger_than_the_seats_left_goes_to_the_waiting_list_not_over_capacity(client, event):
    registration_create(event=event, data=person_data("a@example.fr"))
    Event.objects.filter(pk=event.pk).update(capacity=20)
    # 19 seats left for 20: the group is asked first (test_registration_waitlist.py), then
    # chooses to wait for all its seats.
    response = post(client, event, {**GROUP, "pupils": "18", "adults": "2"})
    assert response.status_code == 422
    response = post(client, event, {**GROUP, "pupils": "18", "adults": "2"}, waitlist="1")

    assert response.status_code == 302
    assert Registration.objects.get(kind="group").status == "waitlisted"
    event.refresh_from_db()
    assert event.seats_confirmed == 1


# --- idempotency and duplicates ---------------------------------------------------------------


def test_double_click_creates_one_registration_and_shows_the_same_confirmation(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    first = post(
        client, event, INDIVIDUAL, key="meme-cle", capture=django_capture_on_commit_callbacks
    )
    again = post(
        client, event, INDIVIDUAL, key="meme-cle", capture=django_capture_on_commit_callbacks
    )

    assert first.status_code == again.status_code == 302
    assert count() == 1
    registration = Registration.objects.get()
    assert verify_self_service_token(token_of(first)) == registration
    assert verify_self_service_token(token_of(again)) == registration
    assert len(mailoutbox) == 1  # the replay sends nothing


def test_retried_group_post_creates_one_group(client, event):
    for _ in range(3):
        assert post(client, event, GROUP, key="retry").status_code == 302
    assert count() == 1
    event.refresh_from_db()
    assert event.seats_confirmed == 26


def test_key_reused_for_another_person_asks_to_confirm_with_a_fresh_key(client, event):
    post(client, event, INDIVIDUAL, key="cle-retour")
    response = post(client, event, {**INDIVIDUAL, "email": "soeur@example.fr"}, key="cle-retour")

    assert response.status_code == 422
    assert "Ce formulaire a déjà servi pour une inscription." in _summary(response)
    (key,) = find_all(_body(response), "input", name="idempotency_key")
    assert key.attrs["value"] != "cle-retour"
    assert count() == 1
    # Sent again with the fresh key, it registers the second person.
    assert (
        post(
            client, event, {**INDIVIDUAL, "email": "soeur@example.fr"}, key=key.attrs["value"]
        ).status_code
        == 302
    )
    assert count() == 2


def test_duplicate_address_says_so_without_details_and_resends_the_mail(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    post(client, event, INDIVIDUAL, key="k1", capture=django_capture_on_commit_callbacks)
    response = post(
        client,
        event,
        {**INDIVIDUAL, "first_name": "Autre", "email": "LEA@example.fr"},
        key="k2",
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 422
    assert _summary(response).endswith(registration_views.DUPLICATE_MESSAGE)
    html = _body(response)
    registration = Registration.objects.get()
    assert registration.ticket_code not in html
    assert "/inscription/" not in html.replace(f"/evenements/{event.slug}/inscription/", "")
    assert [m.to for m in mailoutbox] == [["lea@example.fr"], ["lea@example.fr"]]
    assert mailoutbox[1].subject == mailoutbox[0].subject

    # Typing the address again and again does not flood the mailbox.
    post(client, event, INDIVIDUAL, key="k3", capture=django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert count() == 1


# --- attribution ------------------------------------------------------------------------------

VISIT_KEY = "AbCdEfGhIjKlMnOpQrStUv"  # the shape of a visit key: 22 url-safe characters


def test_visit_key_travels_from_the_event_page_to_the_registration(client, event, monkeypatch):
    from vocations.analytics import services as analytics_services

    calls = []
    monkeypatch.setattr(
        analytics_services,
        "attribute_registration",
        lambda *, registration, visit_key: calls.append((registration.pk, visit_key)),
    )
    # The event page is shared by every visitor (cached): its HTML never holds the key; the
    # page's script (web/js/carry-visit.js) adds it to the links in the browser, as the
    # ambassador's browser test follows through (tests/e2e/test_ambassadors.py).
    page = _body(client.get(f"/evenements/{event.slug}/?v={VISIT_KEY}"))
    assert VISIT_KEY not in page
    assert find_all(page, "a", href=form_url(event))
    assert find_all(page, "script", src="/static/web/js/carry-visit.js")

    form = _body(client.get(f"{form_url(event)}?v={VISIT_KEY}"))
    (hidden,) = find_all(form, "input", name="visit_key")
    assert hidden.attrs["value"] == VISIT_KEY

    response = post(client, event, INDIVIDUAL, visit_key=VISIT_KEY)
    assert response.status_code == 302
    assert calls == [(Registration.objects.get().pk, VISIT_KEY)]


def test_malformed_visit_key_is_dropped_and_attribution_never_breaks_a_registration(
    client, event, monkeypatch
):
    from vocations.analytics import services as analytics_services

    def broken(**kwargs):
        raise RuntimeError("analytics down")

    monkeypatch.setattr(analytics_services, "attribute_registration", broken)
    form = _body(client.get(f"{form_url(event)}?v=<script>"))
    assert not find_all(form, "input", name="visit_key")

    response = post(client, event, INDIVIDUAL, visit_key=VISIT_KEY)
    assert response.status_code == 302
    assert count() == 1
