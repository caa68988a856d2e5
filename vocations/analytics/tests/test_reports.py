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
from vocations.analytics.report_details import daily_series
from vocations.analytics.reports import (
    Figures,
    audience_report,
    campaign_report,
    channel_totals,
    placed_total,
    territory_report,
)
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.analytics.services.rollups import rollup_visits
from vocations.analytics.tasks import flush_visits
from vocations.campaigns.models import MediaFigure, Placement, TrackedLink
from vocations.events.models import Registration

from .support import TEST_UA, build_world, code, register, request

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
    """Placements = channel = wave = campaign, channels over waves, territories, audiences;
    and no row shows more unique visitors than visits, nor a cost without a known spend."""
    for wave in report.waves:
        for channel in wave.children:
            assert _sum(channel.children).as_tuple() == channel.figures.as_tuple()
        assert _sum(wave.children).as_tuple() == wave.figures.as_tuple()
    total = _sum(report.waves).add(report.unplaced)
    assert total.as_tuple() == report.total.as_tuple()
    assert _sum(channel_totals(report)).as_tuple() == placed_total(report).as_tuple()
    rows = [report.total, report.unplaced, *report.atoms.values()]
    for level in ("department", "region"):
        territories = territory_report(report, level=level)
        assert _sum(territories).measures() == placed_total(report).measures()
        assert _sum(territories).add(report.unplaced).measures() == report.total.measures()
        rows += [row.figures for row in territories]
    queried = audience_report(campaign=report.campaign)
    # Read with the report's last touch (the dashboard) or by its own query: the same rows.
    from_report = audience_report(campaign=report.campaign, report=report)
    assert [(r.key, r.label, r.figures.as_tuple()) for r in from_report] == [
        (r.key, r.label, r.figures.as_tuple()) for r in queried
    ]
    audiences = _sum(queried)
    for name in ("registrations", "seats", "attendance", "first_registrations"):
        assert getattr(audiences, name) == getattr(report.total, name)
    for figures in rows:
        assert figures.unique_visitors <= figures.visits
        if figures.cost_per_registration_cents is not None:
            assert figures.placements and figures.costed_spend_cents <= figures.spend_cents


def assert_equals_source_rows(report):
    """Every campaign total equals a query over the rows it comes from."""
    campaign = report.campaign
    humans = Visit.objects.filter(campaign_id=campaign.pk, is_bot=False)
    assert report.total.visits == humans.count()
    attributed = Attribution.objects.filter(campaign_id=campaign.pk).exclude(
        registration__status="cancelled"
    )
    assert report.total.registrations == report.total.first_registrations == attributed.count()
    assert report.total.seats == sum(a.registration.seats for a in attributed)
    spend = MediaFigure.objects.filter(placement__campaign=campaign, metric="spend_cents")
    assert report.total.reported_cents == sum(f.value_milli // 1000 for f in spend)
    placements = Placement.objects.filter(campaign=campaign)
    assert report.total.planned_cents == sum(p.planned_cents for p in placements)
    assert report.total.committed_cents == sum(p.committed_cents for p in placements)


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
    assert (tv.first_registrations, tv.reported_cents, tv.committed_cents) == (
        1,
        850_000_00,
        900_000_00,
    )
    billboard = report.atoms[world.billboard.pk]
    assert (billboard.spend_cents, billboard.reach) == (400_000_00, 120_000)  # committed cost
    assert billboard.cost_per_registration_cents is None
    assert billboard.reported_placements == 0  # shown "non déclarée", not "0 €"
    assert report.total.visits == 6
    assert_adds_up(report)
    assert_equals_source_rows(report)


def test_unknown_spend_is_never_a_zero_cost(world):
    """A placement without reported spend nor committed cost has no cost per registration."""
    free = Placement.objects.create(
        campaign=world.campaign,
        wave=world.wave1,
        channel="press",
        name="Tribune",
        scope="national",
        starts_on=world.wave1.starts_on,
        ends_on=world.wave1.ends_on,
        planned_cents=10_000_00,
    )
    link = TrackedLink.objects.create(
        code=code("f", 1), campaign=world.campaign, target_kind="placement", placement=free
    )
    key = _visit(link, when=timezone.now())
    attribute_registration(registration=register(world.event), visit_key=key)
    rollup_visits(since=timezone.now() - dt.timedelta(hours=1))
    report = campaign_report(campaign=world.campaign)
    atom = report.atoms[free.pk]
    assert atom.registrations == 1 and atom.unknown_spend_placements == 1
    assert atom.cost_per_registration_cents is None
    assert atom.cost_gap == "dépense non renseignée"
    # The wave's cost is computed over the placements whose spend is known only: none here.
    assert report.total.cost_per_registration_cents is None
    assert report.unplaced.cost_gap == "hors plan média"


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
    for metric, value in (("grp", 62), ("contacts", 9_000_000)):
        MediaFigure.objects.create(
            placement=world.tv,
            period_start=airing,
            period_end=airing,
            metric=metric,
            value_milli=value * 1000,
        )
    MediaFigure.objects.create(  # weekly: belongs to no single day
        placement=world.tv,
        period_start=airing,
        period_end=airing + dt.timedelta(days=6),
        metric="contacts",
        value_milli=1000,
    )
    series = daily_series(campaign=world.campaign, center=airing, days=14)
    assert len(series) == 29
    by_day = {row["day"]: row for row in series}
    assert by_day[airing]["visits"] == 5 and by_day[airing]["is_center"]
    assert by_day[airing]["tv_airing"] and by_day[airing]["grp"] == 62
    assert by_day[airing]["contacts"] == 9_000_000
    assert not by_day[airing + dt.timedelta(days=1)]["tv_airing"]
    assert by_day[airing + dt.timedelta(days=1)]["visits"] == 1
    tv_only = daily_series(campaign=world.campaign, center=airing, channel="tv")
    assert sum(row["visits"] for row in tv_only) == 5


# --- property: the sum over placements equals the channel, over channels the wave -----------

placement_spec = st.tuples(
    st.integers(0, 1),  # wave index
    st.sampled_from(["tv", "billboard", "social", "cinema"]),
    st.integers(0, 3),  # visits
    st.integers(0, 2),  # registrations
    st.integers(0, 10_000_00),  # committed cents (0: spend unknown unless reported)
    st.booleans(),  # a second link, with a commune (one billboard city), takes every other visit
    st.none() | st.integers(0, 5_000_00),  # reported spend, if imported
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
    for i, (wave_i, channel, n_visits, n_regs, cents, city, reported) in enumerate(specs):
        wave = waves[wave_i]
        placement = Placement.objects.create(
            campaign=world.campaign,
            wave=wave,
            channel=channel,
            name=f"P{i}",
            scope="national",
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            planned_cents=cents * 2,
            committed_cents=cents,
        )
        if reported is not None:
            MediaFigure.objects.create(
                placement=placement,
                period_start=wave.starts_on,
                period_end=wave.ends_on,
                metric="spend_cents",
                value_milli=reported * 1000,
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
    report = campaign_report(campaign=world.campaign)
    assert_adds_up(report)
    assert_equals_source_rows(report)
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
    assert "Inscriptions (premier contact)" in body and 'id="report-audiences"' in body
    assert "Données de visite à jour au" in body
    # The nav leads to the reports.
    assert 'href="/organisateur/resultats/"' in body
    assert staff_client.get(base + "?territoire=region").status_code == 200
    csv_response = staff_client.get(base + "export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("niveau;vague;canal;emplacement")
    assert any(line.startswith("emplacement;Vague 1;Affichage;Affiches Lyon") for line in lines)
    # The territory rows are in the export too.
    assert any(line.startswith("territoire;") for line in lines)
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
    url = f"/organisateur/resultats/{world.campaign.pk}/"
    staff_client.get(url)
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
    # 10: session, user, the scoped campaign, placements (waves and territories joined), media
    # figures, daily visits by link, last-touch attributions (by audience too) and first-touch
    # ones, the links with a commune (their territories joined), roll-up state (the freshness
    # line). Not one per placement nor per link, and no third join for the audiences.
    assert len(large.captured_queries) == len(small.captured_queries) == 10
    # Reports never count the raw visit table, and never write.
    assert not any('"analytics_visit"' in q["sql"] for q in large.captured_queries)
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in large.captured_queries
    )


def test_report_screen_does_not_write_the_worker_rolls_up(staff_client, world):
    _visit(world.social_link, when=timezone.now())  # stored, not rolled up yet
    url = f"/organisateur/resultats/{world.campaign.pk}/"
    body = staff_client.get(url).content.decode()
    assert not VisitHourly.objects.exists() and not VisitDaily.objects.exists()
    assert "pas encore été calculés" in body
    flush_visits()  # what celery beat runs (and, embedded, what a visit queues once a minute)
    assert sum(VisitDaily.objects.values_list("visits", flat=True)) == 1
    body = staff_client.get(url).content.decode()
    assert "Données de visite à jour au" in body and "LinkedIn parents" in body


def test_a_visit_queues_the_roll_up_task_once_per_interval(world, settings, monkeypatch):
    settings.ANALYTICS_FLUSH_INTERVAL = 60
    queued = []
    monkeypatch.setattr(flush_visits, "delay", lambda: queued.append(1))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        _visit(world.social_link, when=timezone.now())
        _visit(world.social_link, when=timezone.now(), ip="192.0.2.9")
    assert queued == [1]


def test_series_screen_query_count_does_not_grow(staff_client, world):
    airing = timezone.localdate() - dt.timedelta(days=2)
    url = f"/organisateur/resultats/{world.campaign.pk}/jour-par-jour/"
    staff_client.get(url)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    for day in range(5):
        MediaFigure.objects.create(
            placement=world.tv,
            period_start=airing - dt.timedelta(days=day),
            period_end=airing - dt.timedelta(days=day),
            metric="grp",
            value_milli=50_000,
        )
        key = _visit(
            world.tv_link, when=timezone.now() - dt.timedelta(days=day), ip=f"10.7.0.{day}"
        )
        attribute_registration(
            registration=register(world.event, email=f"s{day}@example.fr"), visit_key=key
        )
    rollup_visits(since=timezone.now() - dt.timedelta(days=6))
    with CaptureQueriesContext(connection) as large:
        body = staff_client.get(url).content.decode()
    # 10: session, user, the scoped campaign, TV airing days, waves, daily visits, last-touch
    # and first-touch registrations by day, daily media figures, roll-up state. Not one per day.
    assert len(large.captured_queries) == len(small.captured_queries) == 10
    # Centred on the latest airing by default, listed as a link.
    assert f"?date={airing.isoformat()}" in body


def test_report_index_query_count_does_not_grow(staff_client, world):
    staff_client.get("/organisateur/resultats/")
    with CaptureQueriesContext(connection) as small:
        staff_client.get("/organisateur/resultats/")
    for _ in range(4):
        build_world()
    with CaptureQueriesContext(connection) as large:
        body = staff_client.get("/organisateur/resultats/").content.decode()
    # 3: session, user, the campaigns this user may read. Not one per campaign.
    assert len(large.captured_queries) == len(small.captured_queries) == 3
    assert body.count("/organisateur/resultats/") >= 5
