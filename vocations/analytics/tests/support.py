"""Builders for the analytics tests (no tests here)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.test import RequestFactory
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.campaigns.models import Campaign, Placement, TrackedLink, Wave
from vocations.events.models import Event, Label, Registration
from vocations.events.services import RegistrationData, registration_create
from vocations.territories.models import Commune, Department, Region

_n = itertools.count(1)
# The campaigns app's code alphabet (no 0/1/i/l/o).
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def code(prefix: str, n: int) -> str:
    digits = ""
    while True:
        n, r = divmod(n, len(_ALPHABET))
        digits = _ALPHABET[r] + digits
        if n == 0:
            # The campaigns app's codes have 7 characters.
            return prefix + digits.rjust(7 - len(prefix), "2")


TEST_IP = "203.0.113.77"
TEST_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 TestMarker42"
)
DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


@dataclass
class World:
    campaign: Campaign
    wave1: Wave
    wave2: Wave
    billboard: Placement
    tv: Placement
    social: Placement
    billboard_link: TrackedLink
    tv_link: TrackedLink
    social_link: TrackedLink
    event: Event


def make_event(organization: Organization, **overrides) -> Event:
    now = timezone.now()
    n = next(_n)
    values = dict(
        organization=organization,
        kind="open_day",
        title=f"Portes ouvertes {n}",
        slug=f"portes-ouvertes-{n}",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=8),
        capacity=500,
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


def build_world() -> World:
    region, _ = Region.objects.get_or_create(
        code="84", defaults={"name": "Auvergne-Rhône-Alpes", "slug": "ara"}
    )
    rhone, _ = Department.objects.get_or_create(
        code="69", defaults={"name": "Rhône", "slug": "rhone", "region": region}
    )
    lyon, _ = Commune.objects.get_or_create(
        insee_code="69123", defaults={"name": "Lyon", "department": rhone, "region": region}
    )
    n = next(_n)
    org = Organization.objects.create(name=f"Opco {n}", slug=f"opco-{n}", kind="company")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organization=org,
        name="Avec l'industrie",
        slug=f"avec-lindustrie-{n}",
        budget_cents=15_000_000_00,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=300),
    )
    wave1 = Wave.objects.create(
        campaign=campaign,
        number=1,
        name="Vague 1",
        starts_on=campaign.starts_on,
        ends_on=today + dt.timedelta(days=30),
    )
    wave2 = Wave.objects.create(
        campaign=campaign,
        number=2,
        name="Vague 2",
        starts_on=today + dt.timedelta(days=31),
        ends_on=today + dt.timedelta(days=120),
    )
    event = make_event(org)

    def placement(wave, channel, name, **kw):
        return Placement.objects.create(
            campaign=campaign,
            wave=wave,
            channel=channel,
            name=name,
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            **kw,
        )

    billboard = placement(
        wave1,
        "billboard",
        "Affiches Lyon",
        scope="commune",
        commune=lyon,
        department=rhone,
        region=region,
        committed_cents=400_000_00,
    )
    tv = placement(wave1, "tv", "Spot TF1 20 h", scope="national", committed_cents=900_000_00)
    social = placement(
        wave2,
        "social",
        "LinkedIn parents",
        scope="region",
        region=region,
        committed_cents=50_000_00,
    )

    def link(code, p, path):
        return TrackedLink.objects.create(
            code=code, campaign=campaign, target_kind="placement", placement=p, landing_path=path
        )

    return World(
        campaign=campaign,
        wave1=wave1,
        wave2=wave2,
        billboard=billboard,
        tv=tv,
        social=social,
        billboard_link=link(code("aff", n), billboard, f"/evenements/{event.slug}/"),
        tv_link=link(code("tv", n), tv, "/"),
        social_link=link(code("sc", n), social, "/evenements/"),
        event=event,
    )


def register(event: Event, email: str = "lea@example.fr", **overrides) -> Registration:
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
    return registration_create(event=event, data=RegistrationData(**values))


def register_group(event: Event, pupils: int = 20, adults: int = 2, **overrides) -> Registration:
    return register(
        event,
        email=overrides.pop("email", "prof@college.fr"),
        kind="group",
        school_name="Collège",
        uai="",
        class_level="3e",
        pupils=pupils,
        adults=adults,
        origin_department="69",
        audience="",
        age_bracket="",
        **overrides,
    )


def request(path: str = "/", *, ip: str = TEST_IP, ua: str = TEST_UA, **extra):
    return RequestFactory().get(path, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra)
