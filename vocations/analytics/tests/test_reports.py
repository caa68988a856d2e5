"""Reports: figures add up (property-based), roll-ups are idempotent, screens are cheap."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from vocations.accounts.models import User
from vocations.analytics.links import resolve_link
from vocations.analytics.models import Attribution, Visit, VisitDaily, VisitHourly
from vocations.analytics.reports import (
    Figures,
    campaign_report,
    channel_totals,
    daily_series,
    territory_report,
)
from vocations.analytics.rollups import rollup_visits
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.campaigns.models import MediaFigure, Placement, TrackedLink
from vocations.events.models import Registration

from .support import TEST_UA, code, register, request

pytestmark = pytest.mark.django_db
_emails = itertools.count()


def _visit(link, *, when, ip="198.51.100.1", bot=False):
    visit = build_visit(
        request(ip=ip, ua="curl/8" if bot else TEST_UA),
        landing_path="/",
        source="qr",
        link=resolve_link(link.code) if link is not None else None,
        now=when,
    )
    record_visit(visit=visit)
    return visit["visit_key"]


def _sum(rows) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return total


def assert_adds_up(report):
    for wave in report.waves:
        for channel in wave.children:
            assert _sum(channel.children).as_tuple() == channel.figures.as_tuple()
        assert _sum(wave.children).as_tuple() == wave.figures.as_tuple()
    total = _sum(report.waves).add(report.unplaced)
    assert total.as_tuple() == report.total.as_tuple()
    assert _sum(channel_totals(report)).as_tuple() == _sum(report.waves).as_tuple()
    for level in ("department", "region"):
        territories = territory_report(report, level=level)
        assert _sum(territories).as_tuple() == _sum(report.waves).as_tuple()
        assert _sum(territories).add(report.unplaced).as_tuple() == report.total.as_tuple()


def test_report_figures(world):
    now = timezone.now()
    MediaFigure.objects.create(
        placement=world.tv,
        period_start=world.wave1.starts_on,
        period_end=world.wave1.ends_on,
        metric="spend_cents",
        value_milli=850_000_00 * 1000,
    )
    MediaFigure.objects.create(
        placement=world.tv,
        period_start=world.wave1.starts_on,
        period_end=world.wave1.ends_on,
        metric="impressions",
        value_milli=5_000_000 * 1000,
    )
    MediaFigure.objects.create(
        placement=world.billboard,
        period_start=world.wave1.starts_on,
        period_end=world.wave1.ends_on,
        metric="contacts",
        value_milli=120_000 * 1000,
    )
    keys = [
        _visit(world.tv_link, when=now - dt.timedelta(minutes=i), ip=f"10.0.0.{i % 3}")
        for i in range(6)
    ]
    _visit(world.tv_link, when=now, bot=True)
    _visit(None, when=now)  # direct arrival: not in the campaign's figures
    attribute_registration(registration=register(world.event), visit_key=keys[0])
    cancelled = register(world.event, email="annule@example.fr")
    attribute_registration(registration=cancelled, visit_key=keys[1])
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    rollup_visits(since=now - dt.timedelta(hours=2))

    report = campaign_report(campaign=world.campaign)
    tv = report.atoms[world.tv.pk]
    assert (tv.spend_cents, tv.reach, tv.visits, tv.unique_visitors) == (
        850_000_00,
        5_000_000,
        6,
        3,
    )
    assert (tv.registrations, tv.seats, tv.cost_per_registration_cents) == (1, 1, 850_000_00)
    billboard = report.atoms[world.billboard.pk]
    assert (billboard.spend_cents, billboard.reach) == (400_000_00, 120_000)  # committed cost
    assert billboard.cost_per_registration_cents is None
    assert report.total.visits == 6
    assert_adds_up(report)


def test_rollup_is_idempotent_and_folds_late_visits(world):
    now = timezone.now()
    for i in range(4):
        _visit(world.social_link, when=now - dt.timedelta(hours=i))
    rollup_visits(since=now - dt.timedelta(hours=5))
    first = sorted(VisitHourly.objects.values_list("hour", "visits", "unique_visitors"))
    rollup_visits(since=now - dt.timedelta(hours=5))
    assert sorted(VisitHourly.objects.values_list("hour", "visits", "unique_visitors")) == first
    assert sum(v for _, v, _ in first) == 4
    # A late batch for an hour already rolled up.
    _visit(world.social_link, when=now - dt.timedelta(hours=3), ip="192.0.2.50")
    rollup_visits(since=now - dt.timedelta(hours=3))
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 5
    assert sum(VisitDaily.objects.values_list("visits", flat=True)) == 5


def test_daily_series_around_a_date(world):
    airing = timezone.localdate() - dt.timedelta(days=3)
    noon = timezone.make_aware(dt.datetime.combine(airing, dt.time(12)))
    for i in range(5):
        _visit(world.tv_link, when=noon + dt.timedelta(minutes=i), ip=f"10.1.0.{i}")
    _visit(world.social_link, when=noon + dt.timedelta(days=1))
    rollup_visits(since=noon - dt.timedelta(hours=1))
    series = daily_series(campaign=world.campaign, center=airing, days=14)
    assert len(series) == 29
    by_day = {row["day"]: row for row in series}
    assert by_day[airing]["visits"] == 5 and by_day[airing]["is_center"]
    assert by_day[airing + dt.timedelta(days=1)]["visits"] == 1
    tv_only = daily_series(campaign=world.campaign, center=airing, channel="tv")
    assert sum(row["visits"] for row in tv_only) == 5


# --- property: the sum over placements equals the channel, over channels the wave -----------

placement_spec = st.tuples(
    st.integers(0, 1),  # wave index
    st.sampled_from(["tv", "billboard", "social", "cinema"]),
    st.integers(0, 3),  # visits
    st.integers(0, 2),  # registrations
    st.integers(0, 10_000_00),  # committed cents
    st.booleans(),  # a second link, with a commune (one billboard city), takes every other visit
)


@hsettings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(placement_spec, min_size=1, max_size=6), unplaced=st.integers(0, 2))
def test_reports_add_up(world, specs, unplaced):
    Attribution.objects.all().delete()
    Registration.objects.all().delete()
    Visit.objects.all().delete()
    Placement.objects.filter(campaign=world.campaign).exclude(
        pk__in=[world.tv.pk, world.billboard.pk, world.social.pk]
    ).delete()
    now = timezone.now()
    waves = [world.wave1, world.wave2]
    for i, (wave_i, channel, n_visits, n_regs, cents, city) in enumerate(specs):
        wave = waves[wave_i]
        placement = Placement.objects.create(
            campaign=world.campaign,
            wave=wave,
            channel=channel,
            name=f"P{i}",
            scope="national",
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            committed_cents=cents,
        )
        link = TrackedLink.objects.create(
            code=code("p", next(_emails) + 1000),
            campaign=world.campaign,
            target_kind="placement",
            placement=placement,
            landing_path="/",
        )
        links = [link]
        if city:
            links.append(
                TrackedLink.objects.create(
                    code=code("c", next(_emails) + 1000),
                    campaign=world.campaign,
                    target_kind="placement",
                    placement=placement,
                    landing_path="/",
                    commune=world.billboard.commune,
                )
            )
        keys = [
            _visit(links[j % len(links)], when=now - dt.timedelta(minutes=j), ip=f"10.9.{i}.{j}")
            for j in range(max(n_visits, n_regs))
        ]
        for j in range(n_regs):
            registration = register(world.event, email=f"p{next(_emails)}@example.fr")
            attribute_registration(registration=registration, visit_key=keys[j])
    for _ in range(unplaced):
        _visit(world.tv_link, when=now)
    rollup_visits(since=now - dt.timedelta(hours=1))
    for touch in ("last", "first"):
        report = campaign_report(campaign=world.campaign, touch=touch)
        assert_adds_up(report)
        assert report.total.registrations == sum(spec[3] for spec in specs)


# --- screens -------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, world):
    user = User.objects.create_user("equipe@campagne.fr", "mot-de-passe-x", is_staff=True)
    client.force_login(user)
    return client


def test_report_screens(staff_client, world):
    key = _visit(world.billboard_link, when=timezone.now())
    attribute_registration(registration=register(world.event), visit_key=key)
    rollup_visits(since=timezone.now() - dt.timedelta(hours=1))
    base = f"/organisateur/resultats/{world.campaign.pk}/"
    page = staff_client.get(base)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Affiches Lyon" in body and "Vague 1" in body and "Rhône (69)" in body
    assert staff_client.get(base + "?attribution=first&territoire=region").status_code == 200
    csv_response = staff_client.get(base + "export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("niveau;vague;canal;emplacement")
    assert any(line.startswith("emplacement;Vague 1;Affichage;Affiches Lyon") for line in lines)
    series = staff_client.get(f"{base}jour-par-jour/?date=2027-13-45")
    assert "AAAA-MM-JJ" in series.content.decode()
    ok = staff_client.get(f"{base}jour-par-jour/?canal=billboard&vague={world.wave1.pk}")
    assert ok.status_code == 200 and "<svg" in ok.content.decode()
    assert staff_client.get("/organisateur/resultats/").status_code == 200


def test_report_screens_refuse_others(client, world):
    assert client.get(f"/organisateur/resultats/{world.campaign.pk}/").status_code == 302
    someone = User.objects.create_user("org@usine.fr", "mot-de-passe-x")
    client.force_login(someone)
    response = client.get(f"/organisateur/resultats/{world.campaign.pk}/export.csv")
    assert response.status_code == 404
    assert "pas accès" in response.content.decode()


def test_report_screen_query_count_does_not_grow(staff_client, world, settings):
    settings.ANALYTICS_FLUSH_INTERVAL = 600
    url = f"/organisateur/resultats/{world.campaign.pk}/"
    staff_client.get(url)  # catches the roll-ups up (the "direct" buffer has no flusher)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    for i in range(10):
        p = Placement.objects.create(
            campaign=world.campaign,
            wave=world.wave2,
            channel="cinema",
            name=f"Cinéma {i}",
            scope="national",
            starts_on=world.wave2.starts_on,
            ends_on=world.wave2.ends_on,
        )
        MediaFigure.objects.create(
            placement=p,
            period_start=p.starts_on,
            period_end=p.ends_on,
            metric="contacts",
            value_milli=1000,
        )
        TrackedLink.objects.create(
            code=code("q", 500 + i),
            campaign=world.campaign,
            target_kind="placement",
            placement=p,
            landing_path="/",
            commune=world.billboard.commune,
        )
    with CaptureQueriesContext(connection) as large:
        staff_client.get(url)
    # 11: session, user, the scoped campaign, waves, placements (territories joined), media
    # figures, hourly visits, daily visitors, attributions, the links with a commune (their
    # territories joined), roll-up state. Not one per placement nor per link.
    assert len(large.captured_queries) == len(small.captured_queries) == 11
    # Reports never count the raw visit table.
    assert not any('"analytics_visit"' in q["sql"] for q in large.captured_queries)


def test_report_screen_catches_up_direct_visits(staff_client, world):
    _visit(world.social_link, when=timezone.now())  # stored, not rolled up yet
    assert not VisitHourly.objects.exists()
    body = staff_client.get(f"/organisateur/resultats/{world.campaign.pk}/").content.decode()
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 1
    assert "LinkedIn parents" in body
