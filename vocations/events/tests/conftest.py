from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Sector
from vocations.events.models import LabelPeriod
from vocations.events.services import EventData, event_create
from vocations.territories.models import Commune, Department, PostalCode, Region


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def places(db):
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    bzh = Region.objects.create(code="53", name="Bretagne", slug="bretagne")
    rhone = Department.objects.create(code="69", name="Rhône", slug="rhone", region=ara)
    finistere = Department.objects.create(code="29", name="Finistère", slug="finistere", region=bzh)
    lyon = Commune.objects.create(
        insee_code="69123",
        name="Lyon",
        department=rhone,
        region=ara,
        population=520_000,
        latitude=45.758,
        longitude=4.835,
    )
    brest = Commune.objects.create(
        insee_code="29019",
        name="Brest",
        department=finistere,
        region=bzh,
        population=140_000,
        latitude=48.390,
        longitude=-4.486,
    )
    for code in ("69001", "69002", "69003"):
        PostalCode.objects.create(code=code, commune=lyon)
    PostalCode.objects.create(code="29200", commune=brest)
    return {"lyon": lyon, "brest": brest, "rhone": rhone, "ara": ara}


@pytest.fixture
def sector(db):
    return Sector.objects.create(slug="metallurgie", name="Métallurgie")


@pytest.fixture
def users(db):
    def make(email, **extra):
        return User.objects.create_user(email, "mot-de-passe-de-test", **extra)

    return {
        "owner": make("owner@forges.fr"),
        "editor": make("editor@forges.fr"),
        "viewer": make("viewer@forges.fr"),
        "other": make("owner@autre.fr"),
        "staff": make("staff@campagne.fr", is_staff=True),
    }


@pytest.fixture
def org(users):
    forges = Organization.objects.create(name="Forges de Lyon", slug="forges", kind="company")
    other = Organization.objects.create(name="Autre usine", slug="autre", kind="company")
    for role in ("owner", "editor", "viewer"):
        Membership.objects.create(user=users[role], organization=forges, role=role)
    Membership.objects.create(user=users["other"], organization=other, role="owner")
    return forges


@pytest.fixture
def other_org(org):
    return Organization.objects.get(slug="autre")


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2027, 3, day, hour, 0))


@pytest.fixture
def event_data(places, sector):
    def make(**overrides) -> EventData:
        values = dict(
            kind="open_day",
            title="Portes ouvertes aux Forges",
            starts_at=at(20, 9),
            ends_at=at(20, 17),
            commune_insee="69123",
            postal_code="69002",
            audiences=["young_people", "parents"],
            sector_ids=[sector.pk],
            capacity=50,
        )
        values.update(overrides)
        return EventData(**values)

    return make


@pytest.fixture
def label_period(db):
    return LabelPeriod.objects.create(
        name="Semaine de l'industrie 2027",
        starts_on=dt.date(2027, 3, 15),
        ends_on=dt.date(2027, 3, 28),
    )


@pytest.fixture
def draft_event(org, users, event_data):
    return event_create(actor=users["owner"], organization=org, data=event_data())
