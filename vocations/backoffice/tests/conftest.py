from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from django.utils import timezone
from PIL import Image

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Sector, Trade
from vocations.events.models import Label
from vocations.events.services import event_create

# The same event form data and label period as the events app's tests (resolved against the
# places, sector and users fixtures below).
from vocations.events.tests.conftest import event_data, label_period  # noqa: F401
from vocations.territories.models import Commune, Department, PostalCode, Region

PASSWORD = "mot-de-passe-de-test"


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2027, month, day, hour, 0))


@pytest.fixture
def places(db):
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    bzh = Region.objects.create(code="53", name="Bretagne", slug="bretagne")
    rhone = Department.objects.create(code="69", name="Rhône", slug="rhone", region=ara)
    finistere = Department.objects.create(code="29", name="Finistère", slug="finistere", region=bzh)
    lyon = Commune.objects.create(
        insee_code="69123", name="Lyon", department=rhone, region=ara, population=520_000
    )
    brest = Commune.objects.create(
        insee_code="29019", name="Brest", department=finistere, region=bzh, population=140_000
    )
    # Two communes share 29860: the form must let the organizer choose.
    plabennec = Commune.objects.create(
        insee_code="29160", name="Plabennec", department=finistere, region=bzh
    )
    kersaint = Commune.objects.create(
        insee_code="29090", name="Kersaint-Plabennec", department=finistere, region=bzh
    )
    for code in ("69001", "69002"):
        PostalCode.objects.create(code=code, commune=lyon)
    PostalCode.objects.create(code="29200", commune=brest)
    PostalCode.objects.create(code="29860", commune=plabennec)
    PostalCode.objects.create(code="29860", commune=kersaint)
    return {"lyon": lyon, "brest": brest, "ara": ara, "bzh": bzh}


@pytest.fixture
def sector(db):
    return Sector.objects.create(slug="metallurgie", name="Métallurgie")


@pytest.fixture
def trades(db):
    return {
        "welder": Trade.objects.create(
            rome_code="H2913", title="Soudeur / Soudeuse", slug="soudeur", is_featured=True
        ),
        "obscure": Trade.objects.create(
            rome_code="H1234", title="Métier rare", slug="metier-rare", is_featured=False
        ),
    }


@pytest.fixture
def users(db):
    def make(email, **extra):
        return User.objects.create_user(email, PASSWORD, **extra)

    return {
        "owner": make("owner@forges.fr"),
        "viewer": make("viewer@forges.fr"),
        "other": make("owner@autre.fr"),
        "staff": make("staff@campagne.fr", is_staff=True),
    }


@pytest.fixture
def org(users):
    forges = Organization.objects.create(name="Forges de Lyon", slug="forges", kind="company")
    Membership.objects.create(user=users["owner"], organization=forges, role="owner")
    Membership.objects.create(user=users["viewer"], organization=forges, role="viewer")
    return forges


@pytest.fixture
def other_org(users):
    other = Organization.objects.create(name="Autre usine", slug="autre", kind="company")
    Membership.objects.create(user=users["other"], organization=other, role="owner")
    return other


@pytest.fixture
def make_event(users, event_data):  # noqa: F811 - the imported fixture
    def make(organization, *, actor=None, state: str | None = None, **overrides):
        event = event_create(
            actor=actor or users["staff"], organization=organization, data=event_data(**overrides)
        )
        if state is not None:
            Label.objects.filter(event=event).update(state=state, submitted_at=timezone.now())
            event.refresh_from_db()
        return event

    return make


@pytest.fixture
def draft_event(org, make_event):
    return make_event(org)


@pytest.fixture
def other_draft(other_org, make_event):
    return make_event(other_org, title="Brouillon secret de l'autre usine")


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def form_payload(**overrides) -> dict:
    """A valid POST for the event form (Lyon, 20 March 2027)."""
    values = {
        "kind": "open_day",
        "title": "Journée découverte de la soudure",
        "summary": "Venez souder avec nos équipes.",
        "description": "Ateliers, visite de l'atelier, rencontre avec des apprentis.",
        "starts_at": "2027-03-20T09:00",
        "ends_at": "2027-03-20T17:00",
        "postal_code": "69002",
        "commune_insee": "69123",
        "venue_name": "Atelier central",
        "address": "12 rue des Forges",
        "is_open_to_public": "on",
        "is_free": "on",
        "audiences": ["young_people", "parents"],
        "capacity": "40",
        "registration_opens_at": "2027-03-01T09:00",
        "registration_closes_at": "2027-03-19T18:00",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def text(response) -> str:
    """The response body with HTML entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())
