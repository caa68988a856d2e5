"""A visit and a registration through a member's personal link are attributed like a
placement's (channel "influence"), show in the member's dashboard and, reconciled, in the
campaign report next to the other channels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vocations.ambassadors.selectors import collective_dashboard, member_dashboard
from vocations.ambassadors.services import MobilisationData, mobilisation_create, mobilisation_join
from vocations.analytics.links import resolve_link
from vocations.analytics.models import Attribution
from vocations.analytics.reports import campaign_report, channel_totals
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.analytics.services.rollups import rollup_visits
from vocations.analytics.tests.support import TEST_UA, register, request

from .conftest import day

pytestmark = pytest.mark.django_db


def _visit(code: str, *, ip: str, when: dt.datetime) -> str:
    visit = build_visit(
        request(ip=ip, ua=TEST_UA),
        landing_path="/",
        source="click",
        link=resolve_link(code),
        now=when,
    )
    record_visit(visit=visit)
    return visit["visit_key"]


@pytest.fixture
def joined(collective, coordinator, world, alice, bruno):
    mobilisation = mobilisation_create(
        actor=coordinator,
        collective=collective,
        data=MobilisationData(
            title="Parents",
            goal="Les parents",
            starts_on=day(1),
            ends_on=day(30),
            event=world.event,
            campaign=world.campaign,
            target_audiences=["parents"],
        ),
    )
    mine = mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=mobilisation)
    theirs = mobilisation_join(actor=bruno.user, ambassador=bruno, mobilisation=mobilisation)
    return mobilisation, mine, theirs


def test_personal_link_registration_is_attributed_and_reconciled(world, joined, alice, bruno):
    mobilisation, mine, theirs = joined
    now = timezone.now()
    assert resolve_link(mine.link.code)["channel"] == "influence"
    key = _visit(mine.link.code, ip="203.0.113.5", when=now - dt.timedelta(minutes=3))
    _visit(mine.link.code, ip="203.0.113.6", when=now - dt.timedelta(minutes=2))
    _visit(theirs.link.code, ip="203.0.113.7", when=now - dt.timedelta(minutes=2))
    placed_key = _visit(world.tv_link.code, ip="203.0.113.8", when=now - dt.timedelta(minutes=1))
    registration = register(world.event, email="parent@example.fr", audience="parents")
    attribution = attribute_registration(registration=registration, visit_key=key)
    assert attribution.last_channel == "influence" and attribution.last_link_id == mine.link_id
    assert attribution.last_placement_id is None and attribution.campaign_id == world.campaign.pk
    attribute_registration(
        registration=register(world.event, email="autre@example.fr"), visit_key=placed_key
    )
    rollup_visits(since=now - dt.timedelta(hours=2))

    # The member sees their own link only: 2 visits, 1 registration.
    dashboard = member_dashboard(alice)
    assert [(p.pk, f.visits, f.registrations) for p, f in dashboard.rows] == [(mine.pk, 2, 1)]
    assert member_dashboard(bruno).total.registrations == 0

    # The campaign report: the collective's line is inside "hors plan média", and the channel
    # table shows it next to TV with the same numbers.
    report = campaign_report(campaign=world.campaign)
    assert (report.collective.visits, report.collective.registrations) == (3, 1)
    assert report.unplaced.visits >= report.collective.visits
    channels = {row.key: row.figures for row in channel_totals(report)}
    assert channels["collective"].registrations == 1 and channels["tv"].registrations == 1
    placed = sum(w.figures.registrations for w in report.waves)
    assert placed + report.unplaced.registrations == report.total.registrations == 2

    # The coordinator's dashboard: the same registration, by mobilisation and département.
    collective = collective_dashboard(mobilisation.collective)
    assert collective.total.figures.registrations == 1 and collective.total.figures.visits == 3
    by_dep = {row.key: row.figures.visits for row in collective.by_department}
    assert by_dep == {"69": 2, "29": 1}
    assert Attribution.objects.count() == 2
