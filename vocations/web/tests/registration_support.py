"""Shared data and helpers for the registration page tests (test_registration_*.py)."""

from __future__ import annotations

import re
import time

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.events.models import Event, Registration, Session
from vocations.events.services import RegistrationData
from vocations.web.registration.guard import form_started_value


def started(seconds_ago: float = 60) -> str:
    """The anti-bot stamp of a form opened ``seconds_ago`` (a person takes time to fill it)."""
    return form_started_value(time.time() - seconds_ago)


INDIVIDUAL = {
    "kind": "individual",
    "first_name": "Léa",
    "last_name": "Martin",
    "email": "lea@example.fr",
    "audience": "young_people",
    "age_bracket": "15_17",
    "consent": "1",
}
GROUP = {
    "kind": "group",
    "school_name": "Collège Jean Moulin",
    "uai": "0691234a",
    "origin_department": "69",
    "class_level": "3e",
    "pupils": "24",
    "adults": "2",
    "first_name": "Paul",
    "last_name": "Durand",
    "email": "prof@college.fr",
    "consent": "1",
}


def make_world() -> tuple[dict, Event]:
    """Lyon & co., and a company visit open to individuals and groups (40 seats)."""
    geo = make_geography()
    return geo, make_event(
        organization=make_organization(),
        title="Visite de l'usine des Forges",
        commune=geo["Lyon"],
        starts_at=moment(12, 9),
        ends_at=moment(12, 12),
        capacity=40,
        accepts_groups=True,
        max_group_size=35,
        kind=Event.Kind.COMPANY_VISIT,
    )


def form_url(event: Event, query: str = "") -> str:
    return f"/evenements/{event.slug}/inscription/" + (f"?{query}" if query else "")


def post(client, event, data, *, key="cle-1", capture=None, **extra):
    """POST the form as a browser would (with an idempotency key); mails sent on commit."""
    payload = {**data, "idempotency_key": key, "form_started": started(), **extra}
    if capture is None:
        return client.post(form_url(event), payload)
    with capture(execute=True):
        return client.post(form_url(event), payload)


def token_of(response) -> str:
    match = re.fullmatch(r"/inscription/([^/]+)/confirmation/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def flagship_with_sessions(geo):
    event = make_event(
        organization=make_organization("Usine extraordinaire"),
        title="L'Usine extraordinaire",
        commune=geo["Lyon"],
        starts_at=moment(20, 9),
        ends_at=moment(23, 18),
        capacity=1000,
        accepts_groups=True,
        kind=Event.Kind.FLAGSHIP,
    )
    slot = Session.objects.create(
        event=event,
        kind="slot",
        title="Visite des classes",
        starts_at=moment(20, 9),
        ends_at=moment(20, 11),
        capacity=60,
        school_groups_only=True,
    )
    talk = Session.objects.create(
        event=event,
        kind="conference",
        title="Conférence hydrogène",
        starts_at=moment(20, 14),
        ends_at=moment(20, 15),
        capacity=2,
    )
    dinner = Session.objects.create(
        event=event,
        kind="dinner",
        title="Dîner de l'industrie",
        starts_at=moment(21, 20),
        ends_at=moment(21, 23),
        capacity=700,
        invitation_only=True,
    )
    return event, {"slot": slot, "talk": talk, "dinner": dinner}


def count() -> int:
    return Registration.objects.count()


def person_data(email: str = "lea@example.fr", **overrides) -> RegistrationData:
    """An individual registration for the services (data set up without the form)."""
    values = {k: v for k, v in INDIVIDUAL.items() if k not in ("consent",)}
    return RegistrationData(**{**values, "email": email, "consent": True, **overrides})


def group_data(pupils: int = 20, adults: int = 2, **overrides) -> RegistrationData:
    values = {k: v for k, v in GROUP.items() if k not in ("consent", "pupils", "adults")}
    return RegistrationData(
        **{**values, "pupils": pupils, "adults": adults, "consent": True, **overrides}
    )
