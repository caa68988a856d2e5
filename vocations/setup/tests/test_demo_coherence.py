"""The demo world is how people judge the product: every role finds a credible world.

One demo is built for the module (on a small map of real places, with the shipped careers
reference data) and each test checks one kind of coherence on it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils import timezone

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Branch
from vocations.careers.services import load_careers
from vocations.events.models import Event, PressAccreditation, Registration, Space
from vocations.territories.models import Commune, Department, PostalCode, Region

# The suite's clock (root conftest.py): the module-wide demo is built at that moment too.
FIXED_NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)

# (région code, name, [(département code, name, [(INSEE, commune, population, lat, lon, CP)])])
MAP = [
    ("11", "Île-de-France", [
        ("75", "Paris", [("75056", "Paris", 2_100_000, 48.86, 2.35, "75008")]),
        ("92", "Hauts-de-Seine", [("92012", "Boulogne-Billancourt", 120_000, 48.83, 2.24, "92100"),
                                  ("92050", "Nanterre", 96_000, 48.89, 2.20, "92000")]),
        ("93", "Seine-Saint-Denis", [("93066", "Saint-Denis", 113_000, 48.93, 2.36, "93200")]),
    ]),
    ("84", "Auvergne-Rhône-Alpes", [
        ("69", "Rhône", [("69123", "Lyon", 520_000, 45.76, 4.84, "69001"),
                         ("69266", "Villeurbanne", 150_000, 45.77, 4.88, "69100")]),
        ("38", "Isère", [("38185", "Grenoble", 158_000, 45.19, 5.72, "38000")]),
    ]),
    ("32", "Hauts-de-France", [
        ("59", "Nord", [("59350", "Lille", 236_000, 50.63, 3.06, "59000"),
                        ("59512", "Roubaix", 98_000, 50.69, 3.18, "59100")]),
        ("62", "Pas-de-Calais", [("62041", "Arras", 41_000, 50.29, 2.78, "62000")]),
    ]),
    ("53", "Bretagne", [("35", "Ille-et-Vilaine", [("35238", "Rennes", 222_000, 48.11, -1.68,
                                                     "35000")])]),
    ("75", "Nouvelle-Aquitaine", [("33", "Gironde", [("33063", "Bordeaux", 260_000, 44.84,
                                                       -0.58, "33000")])]),
    ("01", "Guadeloupe", [("971", "Guadeloupe", [("97101", "Les Abymes", 53_000, 16.27, -61.50,
                                                   "97139")])]),
    ("975", "Saint-Pierre-et-Miquelon", [("975", "Saint-Pierre-et-Miquelon", [
        ("97502", "Saint-Pierre", 5_700, 46.78, -56.18, "97500")])]),
    ("977", "Saint-Barthélemy", [("977", "Saint-Barthélemy", [
        ("97701", "Saint-Barthélemy", 10_600, 17.90, -62.83, "97133")])]),
    ("989", "Île de Clipperton", [("989", "Île de Clipperton", [
        ("98901", "Île de Clipperton", None, 10.30, -109.22, "98799")])]),
]  # fmt: skip
NO_SCHOOLS = {"975", "977", "989"}


def _build_map() -> None:
    for region_code, region_name, departments in MAP:
        region = Region.objects.create(code=region_code, name=region_name, slug=region_code)
        for code, name, communes in departments:
            department = Department.objects.create(
                code=code, name=name, slug=f"d-{code}", region=region
            )
            for insee, commune_name, population, lat, lon, postal in communes:
                commune = Commune.objects.create(
                    insee_code=insee,
                    name=commune_name,
                    department=department,
                    region=region,
                    population=population,
                    latitude=lat,
                    longitude=lon,
                )
                PostalCode.objects.create(code=postal, commune=commune)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once on the map above, rolled back after the module's tests."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(FIXED_NOW, tick=False),
        override_settings(DEBUG=True, PASSWORD_HASHERS=hashers),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _build_map()
            load_careers(force=True)
            out = io.StringIO()
            call_command("demo_data", "--seed", "1", "--scale", "small", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_make_demo_prints_an_account_for_every_role(demo):
    for email in (
        "equipe@vocations.demo",  # campaign team
        "organisateur@vocations.demo",  # organizer
        "branche@vocations.demo",  # branch editor
        "coordination@vocations.demo",  # coordinator of the ambassadors
        "membre@vocations.demo",  # ambassador
        "visiteur@vocations.demo",  # a visitor, registered to an open day
        "enseignante@vocations.demo",  # a teacher, with a class
        "journaliste@vocations.demo",  # a journalist, with an accreditation request
    ):
        assert email in demo, email
    # The visitor and the teacher get their self-service links, the journalist the press page.
    assert demo.count("/inscription/") >= 2
    teacher = Registration.objects.get(email="enseignante@vocations.demo")
    assert teacher.kind == "group" and teacher.status == "confirmed" and teacher.pupils
    request = PressAccreditation.objects.get(email="journaliste@vocations.demo")
    assert request.status == "requested" and request.event.starts_at > timezone.now()


def test_the_organizer_runs_a_flagship_and_a_credible_set_of_events(demo, client):
    organizer = User.objects.get(email="organisateur@vocations.demo")
    mine = Event.objects.filter(organization__memberships__user=organizer)
    now = timezone.now()
    flagship = mine.get(kind="flagship", starts_at__gt=now)
    client.force_login(organizer)
    assert client.get(f"/organisateur/evenements/{flagship.pk}/").status_code == 200
    company = Organization.objects.get(memberships__user=organizer, kind="company")
    assert not company.department.code.startswith("97")

    open_days = mine.filter(kind="open_day", starts_at__gt=now, registrations__status="confirmed")
    assert open_days.distinct().count() >= 2
    full = [
        e
        for e in mine.filter(capacity__isnull=False, starts_at__gt=now)
        # A seat offered to the next in line (waiting-list offers) is held, not free.
        if e.seats_confirmed + e.seats_held == e.capacity
        and e.registrations.filter(status="waitlisted")
    ]
    assert full, "no full event with a waiting list"
    past = mine.filter(ends_at__lt=now, registrations__checked_in_at__isnull=False)
    assert past.exists()
    # The journalist's request is one she can answer.
    assert PressAccreditation.objects.filter(
        email="journaliste@vocations.demo", event__in=mine
    ).exists()


def test_thirty_two_branches_as_in_the_campaign_and_each_variant_on_its_branch(demo):
    # "Les 32 branches professionnelles réunies au sein d'Opco 2i" (the campaign's launch).
    assert Branch.objects.count() == 32
    assert Organization.objects.filter(kind="branch").count() == 32
    from vocations.campaigns.models import BranchMessage

    messages = list(BranchMessage.objects.select_related("branch"))
    assert len(messages) >= 4
    for message in messages:
        # "La chimie, c'est…" on the chemistry branch, not on the first slug in the alphabet.
        assert message.branch.short_name.lower() in message.title.lower(), message.title


def test_partners_present_the_spaces_of_their_trade(demo):
    spaces = {s.name: s for s in Space.objects.select_related("partner", "universe__event")}
    for space_name, partner_word in (
        ("Forge et fonderie en direct", "Fonderies"),
        ("Ligne de conditionnement alimentaire", "Biscuiterie"),
        ("Verre soufflé et verre technique", "Verreries"),
        ("Studio radio des jeunes reporters", "Radio"),
        ("Le train du futur", "Ferrovial"),
        ("De la molécule au médicament", "Laboratoires"),
    ):
        assert partner_word in spaces[space_name].partner.name, space_name
    # Where things are made, a company presents (never a radio or an observatory).
    flagship = Event.objects.filter(kind="flagship").first()
    levels = dict(flagship.event_partners.values_list("partner__name", "level"))
    for space in spaces.values():
        if space.universe.name in ("Inventer", "Fabriquer"):
            assert levels[space.partner.name] in ("main_sponsor", "sponsor", "partner")


def test_classes_come_from_real_places_near_their_event(demo):
    groups = Registration.objects.filter(kind="group").select_related(
        "event__department", "origin_department"
    )
    assert groups.exists()
    assert not groups.filter(origin_department__code__in=NO_SCHOOLS).exists()
    assert not Organization.objects.filter(department__code="989").exists()
    for group in groups.exclude(event__kind="flagship"):
        # From the event's département or another of its région.
        assert group.origin_department.region_id == group.event.department.region_id
    flagship_origins = set(
        groups.filter(event__kind="flagship").values_list("origin_department__code", flat=True)
    )
    # Metropolitan France only (a class comes for the day), every département of the map.
    assert flagship_origins == {"75", "92", "93", "69", "38", "59", "62", "35", "33"}
    # A school number (UAI) starts with its département.
    for group in groups.filter(origin_department__code="69")[:20]:
        assert group.uai.startswith("069")


def test_no_seat_before_opening_and_no_waiting_while_seats_remain(demo):
    now = timezone.now()
    registrations = Registration.objects.exclude(event__kind="flagship").select_related("event")
    for registration in registrations.filter(event__registration_opens_at__isnull=False):
        assert registration.created_at >= registration.event.registration_opens_at
    assert not Registration.objects.filter(event__registration_opens_at__gt=now).exists()
    assert Event.objects.filter(registration_opens_at__gt=now, is_published=True).exists()
    waiting = Event.objects.filter(registrations__status="waitlisted", capacity__isnull=False)
    assert waiting.exists()
    for event in waiting.distinct():
        confirmed = event.registrations.filter(status="confirmed", session=None).aggregate(
            s=Sum("seats")
        )["s"]
        assert confirmed == event.seats_confirmed, event.title
        # Full: every seat confirmed, or held for the person a freed seat is offered to.
        assert event.seats_confirmed + event.seats_held == event.capacity, event.title


def test_placements_have_their_territories(demo):
    from vocations.campaigns.models import Placement, TrackedLink

    placements = Placement.objects.select_related("region")
    assert placements.filter(scope="national").exists()
    press = placements.filter(channel="press", scope="region")
    assert {p.region.name for p in press} >= {"Bretagne", "Hauts-de-France"}
    billboards = placements.filter(channel="billboard")
    assert billboards.exists() and not billboards.exclude(scope="region").exists()
    for link in TrackedLink.objects.filter(placement__channel="billboard").select_related(
        "commune", "placement"
    ):
        assert link.commune.region_id == link.placement.region_id


def test_the_demo_members_are_where_they_belong(demo):
    editor = User.objects.get(email="branche@vocations.demo")
    assert Membership.objects.get(user=editor).organization.branch.slug == "metallurgie"
