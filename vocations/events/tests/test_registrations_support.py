"""Builders shared by the registration tests (no tests here)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db.models import Sum
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.events.models import Event, Label, Registration, Session
from vocations.events.services import RegistrationData
from vocations.territories.models import Department, Region

_counter = itertools.count(1)


def make_organization() -> Organization:
    n = next(_counter)
    return Organization.objects.create(name=f"Usine {n}", slug=f"usine-{n}", kind="company")


def make_department(code: str = "69") -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        region, _ = Region.objects.get_or_create(
            code="84", defaults={"name": "Auvergne-Rhône-Alpes", "slug": "ara"}
        )
        department = Department.objects.create(
            code=code, name=f"Département {code}", slug=f"dep-{code.lower()}", region=region
        )
    return department


def make_event(organization: Organization | None = None, **overrides) -> Event:
    """A published, labelled event in ten days, registrations open since yesterday."""
    now = timezone.now()
    n = next(_counter)
    values = dict(
        organization=organization or make_organization(),
        kind="open_day",
        title=f"Portes ouvertes {n}",
        slug=f"portes-ouvertes-{n}",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=8),
        capacity=10,
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=9),
        accepts_groups=True,
        max_group_size=40,
        is_published=True,
        postal_code="69002",
    )
    values.update(overrides)
    event = Event.objects.create(**values)
    Label.objects.create(event=event, state=Label.State.LABELLED)
    return event


def make_session(event: Event, **overrides) -> Session:
    values = dict(
        event=event,
        kind="slot",
        title="Créneau de visite",
        starts_at=event.starts_at,
        ends_at=event.starts_at + dt.timedelta(hours=1),
        capacity=5,
    )
    values.update(overrides)
    return Session.objects.create(**values)


def person(email: str = "lea@example.fr", **overrides) -> RegistrationData:
    values = dict(
        kind="individual",
        email=email,
        first_name="Léa",
        last_name="Martin",
        audience="young_people",
        age_bracket="15_17",
        consent=True,
    )
    values.update(overrides)
    return RegistrationData(**values)


def group(
    pupils: int = 20, adults: int = 2, email: str = "prof@college.fr", **overrides
) -> RegistrationData:
    values = dict(
        kind="group",
        email=email,
        first_name="Paul",
        last_name="Durand",
        consent=True,
        school_name="Collège Jean Moulin",
        uai="0691234a",
        class_level="3e",
        pupils=pupils,
        adults=adults,
        origin_department="69",
    )
    values.update(overrides)
    return RegistrationData(**values)


def confirmed_sum(event: Event, session: Session | None = None) -> int:
    return (
        Registration.objects.filter(
            event=event, session=session, status=Registration.Status.CONFIRMED
        ).aggregate(total=Sum("seats"))["total"]
        or 0
    )


def counter(event: Event, session: Session | None = None) -> int:
    row = session if session is not None else event
    row.refresh_from_db(fields=["seats_confirmed"])
    return row.seats_confirmed


def waitlisted_ids(event: Event, session: Session | None = None) -> list[int]:
    return list(
        Registration.objects.filter(
            event=event, session=session, status=Registration.Status.WAITLISTED
        )
        .order_by("waitlisted_at", "id")
        .values_list("id", flat=True)
    )
