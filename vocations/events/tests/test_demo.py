"""The demo events: believable, spread over the map, and rows the services accept."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from vocations.careers.models import Sector, Trade
from vocations.events.demo_flagship import flagship_days
from vocations.events.models import (
    Event,
    EventAudience,
    EventPartner,
    Label,
    LabelPeriod,
    LabelTransition,
    Partner,
    Session,
    SessionInvitation,
    Space,
    Universe,
)
from vocations.events.services.events import EventData, _validate
from vocations.events.services.labels import label_conditions
from vocations.territories.models import Commune, Department, PostalCode, Region

State = Label.State
FIXED_NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _build_world() -> list[Commune]:
    """62 départements with 2 communes each, Paris included, and featured trades by sector."""
    regions = [
        Region.objects.create(code=f"{n}", name=f"Région {n}", slug=f"region-{n}")
        for n in range(11, 17)
    ]
    communes = []
    for n in range(62):
        code = "75" if n == 0 else f"{n + 1:02d}"
        department = Department.objects.create(
            code=code, name=f"Département {code}", slug=f"dep-{code}", region=regions[n % 6]
        )
        for i in range(2):
            insee = "75056" if code == "75" and i == 0 else f"{code}{i + 1:03d}"
            commune = Commune.objects.create(
                insee_code=insee,
                name="Paris" if insee == "75056" else f"Ville {code}-{i}",
                department=department,
                region=department.region,
                population=2_000_000 if insee == "75056" else 10_000 * (i + 1),
                # Half the communes have coordinates, as while geocoding is partial.
                latitude=45.0 + n / 10 if i == 0 else None,
                longitude=2.0 + n / 10 if i == 0 else None,
            )
            communes.append(commune)
            codes = ["75001", "75008"] if insee == "75056" else [f"{code}{i + 1}00"]
            PostalCode.objects.bulk_create(PostalCode(code=c, commune=commune) for c in codes)
    metal = Sector.objects.create(slug="metallurgie", name="Métallurgie")
    food = Sector.objects.create(slug="agroalimentaire", name="Agroalimentaire")
    for code, title, sector, featured in [
        ("H2913", "Soudeur / Soudeuse", metal, True),
        ("H2902", "Chaudronnier / Chaudronnière", metal, True),
        ("H2903", "Tourneur-fraiseur / Tourneuse-fraiseuse", metal, True),
        ("H2907", "Fondeur / Fondeuse en métallurgie", metal, False),
        ("H2102", "Conducteur / Conductrice de ligne en industrie alimentaire", food, True),
        ("H2105", "Agent / Agente de production en industrie alimentaire", food, True),
    ]:
        trade = Trade.objects.create(
            rome_code=code, title=title, slug=code.lower(), is_featured=featured
        )
        trade.sectors.add(sector)
    return communes


pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    models = [Event, EventAudience, Label, LabelTransition, LabelPeriod, Universe, Space]
    models += [Session, SessionInvitation, EventPartner, Event.sectors.through]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once for the module (minutes on PostgreSQL), rolled back after it; each
    test runs in its own savepoint, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _build_world()
            call_command("demo_data", "--seed", "1", "--scale", "small")
            yield snapshot()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_regular_events_cover_the_map_with_realistic_states(demo):
    regular = Event.objects.exclude(kind=Event.Kind.FLAGSHIP)
    assert 380 <= regular.count() <= 420
    assert regular.exclude(department=None).values("department").distinct().count() >= 60
    kinds = dict(regular.values_list("kind").annotate(n=Count("id")))
    assert kinds["company_visit"] + kinds["open_day"] > regular.count() / 2
    assert set(kinds) >= {"orientation_fair", "recruitment_forum", "workshop", "online_session"}

    states = dict(Label.objects.values_list("state").annotate(n=Count("id")))
    assert sum(states.values()) == Event.objects.count()
    assert states[State.LABELLED] > 0.8 * Event.objects.count()
    assert {State.SUBMITTED, State.DRAFT, State.CHANGES_REQUESTED, State.REFUSED} <= set(states)
    # Published exactly when labelled: the public finder shows only labelled events.
    assert not Event.objects.filter(is_published=True).exclude(label__state=State.LABELLED)
    assert not Event.objects.filter(label__state=State.LABELLED, is_published=False)

    now = timezone.now()
    submitted = Label.objects.filter(state=State.SUBMITTED)
    assert submitted.count() >= 20
    for label in submitted:
        assert now - dt.timedelta(days=10) <= label.submitted_at <= now
        assert label.event.starts_at > now
    # The waiting times differ, so the review queue has something to sort.
    assert len({label.submitted_at.date() for label in submitted}) >= 5
    for label in Label.objects.filter(state__in=[State.CHANGES_REQUESTED, State.REFUSED]):
        assert label.message
        assert label.transitions.filter(to_state=label.state, message=label.message).exists()
    labelled = Label.objects.filter(state=State.LABELLED).first()
    steps = list(labelled.transitions.values_list("from_state", "to_state", "created_at"))
    assert [s[:2] for s in steps] == [("draft", "submitted"), ("submitted", "labelled")]
    assert steps[0][2] < steps[1][2] <= now


def test_regular_events_are_consistent_and_pass_the_service_rules(demo):
    now = timezone.now()
    regular = Event.objects.exclude(kind=Event.Kind.FLAGSHIP).select_related("commune")
    assert not regular.filter(ends_at__lt=F("starts_at"))
    assert regular.filter(starts_at__lt=now).exists() and regular.filter(starts_at__gt=now)
    assert not regular.filter(starts_at__lt=now - dt.timedelta(days=62))
    assert not regular.filter(starts_at__gt=now + dt.timedelta(days=245))
    for event in regular:
        if event.is_online:
            assert event.online_url.startswith("https://") and event.commune_id is None
            continue
        commune = event.commune
        assert (event.department_id, event.region_id) == (commune.department_id, commune.region_id)
        assert event.postal_code == commune.postal_codes.order_by("code").first().code
        assert (event.latitude, event.longitude) == (commune.latitude, commune.longitude)
    # Mostly inside the campaign's label periods (the label's "in_period" condition).
    sample = random.Random(3).sample(list(regular), 60)
    inside = sum(label_conditions(e)[1].met for e in sample)
    assert inside >= 0.8 * len(sample)
    assert not EventAudience.objects.filter(audience="press")
    with_trades = regular.filter(trades__isnull=False).distinct().count()
    assert with_trades > 0.9 * regular.count()
    # Featured trades of the event's sectors, when the sector has some.
    assert not regular.filter(trades__is_featured=False).exists()
    assert len(set(regular.values_list("slug", flat=True))) == regular.count()

    # Demo rows must be rows the event service accepts.
    ids = sorted(Event.objects.values_list("id", flat=True))
    for pk in random.Random(7).sample(ids, 50):
        event = Event.objects.get(pk=pk)
        try:
            _validate(EventData.from_event(event), event=event)
        except ValidationError as exc:  # pragma: no cover - the message is the diagnosis
            pytest.fail(f"{event.title}: {exc.message_dict}")


def test_the_flagship_event(demo):
    flagship = Event.objects.get(kind=Event.Kind.FLAGSHIP, starts_at__gt=timezone.now())
    # Organised by its own body, whose events the demo organizer manages (vocations/setup).
    assert flagship.organization.name == "Fondation L'Usine en grand"
    assert flagship.commune.insee_code == "75056" and flagship.postal_code == "75008"
    assert flagship.is_free and flagship.accepts_groups and flagship.capacity == 40_000
    assert flagship.label.state == State.LABELLED and flagship.is_published
    periods = list(LabelPeriod.objects.all())
    assert timezone.localdate(flagship.starts_at) == flagship_days(timezone.now(), periods)
    assert timezone.localdate(flagship.ends_at) - timezone.localdate(flagship.starts_at) == (
        dt.timedelta(days=3)
    )
    assert label_conditions(flagship)[1].met  # inside a label period
    _validate(EventData.from_event(flagship), event=flagship)

    universes = list(flagship.universes.values_list("name", flat=True))
    assert universes == ["Inventer", "Fabriquer", "Partager", "Connecter"]
    assert all(flagship.universes.values_list("description", flat=True))
    spaces = Space.objects.filter(universe__event=flagship)
    assert 45 <= spaces.count() <= 55
    assert set(spaces.values_list("universe__name", flat=True)) == set(universes)
    assert not spaces.filter(partner=None).exists()
    for space in spaces.prefetch_related("trades"):
        assert 1 <= len(space.trades.all()) <= 3
        assert all(t.is_featured for t in space.trades.all())
    assert flagship.event_partners.count() == 30
    assert set(flagship.event_partners.values_list("level", flat=True)) == set(
        EventPartner.Level.values
    )

    sessions = flagship.sessions.all()
    days = {timezone.localdate(s.starts_at) for s in sessions}
    assert len(days) == 4
    for session in sessions:
        assert flagship.starts_at <= session.starts_at <= session.ends_at <= flagship.ends_at
    talks = sessions.filter(kind__in=["conference", "demonstration"])
    assert 25 <= talks.count() <= 35 and not talks.filter(capacity=None)
    slots = sessions.filter(school_groups_only=True)
    assert len({timezone.localdate(s.starts_at) for s in slots}) == 2
    assert set(slots.values_list("audience", flat=True)) == {"young_people"}
    dinner = sessions.get(kind="dinner")
    assert dinner.invitation_only and dinner.capacity == 700
    emails = list(dinner.invitations.values_list("email", flat=True))
    assert len(emails) >= 5 and all(e.endswith(".example.org") for e in emails)


def test_the_flagship_is_four_days_ahead_inside_a_label_period():
    now = timezone.make_aware(dt.datetime(2026, 11, 23, 10))
    autumn = LabelPeriod(
        name="automne", starts_on=dt.date(2026, 9, 14), ends_on=dt.date(2026, 12, 18)
    )
    spring = LabelPeriod(
        name="printemps", starts_on=dt.date(2027, 2, 2), ends_on=dt.date(2027, 6, 30)
    )
    assert flagship_days(now, [autumn, spring]) == dt.date(2026, 11, 27)
    # Four days ahead would end after the autumn period: the next period's first day.
    later = now + dt.timedelta(days=22)
    assert flagship_days(later, [autumn, spring]) == dt.date(2027, 2, 2)


def test_a_second_run_changes_nothing(demo):
    call_command("demo_data", "--seed", "1", "--scale", "small")
    assert snapshot() == demo


def test_demo_registrations_never_overbook_and_counters_match(demo):
    from django.db.models import Sum

    from vocations.events.models import Registration

    assert Registration.objects.filter(status="confirmed").exists()
    assert Registration.objects.filter(kind="group", pupils__isnull=False).exists()
    for event in Event.objects.filter(capacity__isnull=False):
        confirmed = (
            Registration.objects.filter(event=event, status="confirmed").aggregate(s=Sum("seats"))[
                "s"
            ]
            or 0
        )
        assert confirmed == event.seats_confirmed <= event.capacity
        waiting = Registration.objects.filter(event=event, status="waitlisted")
        assert all(r.waitlisted_at is not None for r in waiting)
    # Check-ins only on past events, never more people than seats.
    for registration in Registration.objects.filter(attended__isnull=False).select_related("event"):
        assert registration.event.ends_at < timezone.now()
        assert registration.attended <= registration.seats
    flagship = Event.objects.get(kind="flagship", starts_at__gt=timezone.now())
    origins = (
        Registration.objects.filter(event=flagship, kind="group")
        .values("origin_department")
        .distinct()
        .count()
    )
    assert origins >= 55


def test_the_previous_flagship_edition_has_a_credible_outcome_report(demo):
    from vocations.events.outcome_report import outcome_report

    previous = Event.objects.get(kind="flagship", ends_at__lt=timezone.now())
    report = outcome_report(previous)
    # Visitors counted at the door, pupils from 55 départements, the dinner, the press,
    # officials: the figures l'Usine extraordinaire reported, scaled to the demo.
    assert report.visitors > 10_000 and report.outcomes.total.pupils > 5_000
    assert report.departments_count >= 55 and report.schools > 100
    assert [(i.invited, i.confirmed) for i in report.invitations] == [(700, 640)]
    assert report.journalists == 180 and len(report.articles) == 64
    assert report.vip_count == 13 and len(report.partner_names) == 30
    assert any(space.attended for space in report.spaces)
    # The partners are shared with the upcoming edition, not duplicated.
    assert Partner.objects.count() == 30


def test_demo_attributions_point_to_a_touch_of_their_campaign_before_the_registration(demo):
    """Each attributed registration: both touches are links of the attribution's campaign with
    the placement, wave and channel copied from the link, the first touch no later than the
    last, the last within the campaign's window before the registration, which is before its
    event."""
    from vocations.analytics.models import Attribution
    from vocations.campaigns.models import Campaign, TrackedLink

    attributions = list(Attribution.objects.select_related("registration__event"))
    assert len(attributions) > 1000
    links = {link.pk: link for link in TrackedLink.objects.select_related("placement")}
    windows = dict(Campaign.objects.values_list("pk", "attribution_window_days"))
    for a in attributions:
        registration = a.registration
        for touch in ("first", "last"):
            link = links[getattr(a, f"{touch}_link_id")]
            assert link.campaign_id == a.campaign_id
            if link.placement_id is not None:
                assert getattr(a, f"{touch}_placement_id") == link.placement_id
                assert getattr(a, f"{touch}_wave_id") == link.placement.wave_id
                assert getattr(a, f"{touch}_channel") == link.placement.channel
        assert a.first_at <= a.last_at <= registration.created_at
        assert registration.created_at - a.last_at <= dt.timedelta(days=windows[a.campaign_id])
        assert registration.created_at < registration.event.starts_at
