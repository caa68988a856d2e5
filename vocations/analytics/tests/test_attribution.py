"""Attribution: last touch = the carried visit key, first touch = the earliest link visit of the
same visitor hash within the window; outside the window, not attributed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vocations.analytics.models import Attribution, Visit
from vocations.analytics.services import attribute_registration, build_visit, record_visit
from vocations.events.models import Registration

from .support import DESKTOP_UA, TEST_UA, register, register_group, request

pytestmark = pytest.mark.django_db


def _link_visit(link, *, when=None, ua=TEST_UA, settings=None) -> str:
    from vocations.analytics.links import resolve_link

    visit = build_visit(
        request(ua=ua), landing_path="/", source="click", link=resolve_link(link.code), now=when
    )
    record_visit(visit=visit)
    return visit["visit_key"]


def test_last_and_first_touch(world):
    # Yesterday noon (local), not the wall clock: the visitor hash changes at midnight, so two
    # hours earlier must stay on the same day whatever the time the suite runs.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    now = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(12)))
    first_key = _link_visit(world.tv_link, when=now - dt.timedelta(hours=2))
    _link_visit(world.tv_link, when=now - dt.timedelta(hours=1), ua=DESKTOP_UA)  # someone else
    last_key = _link_visit(world.billboard_link, when=now - dt.timedelta(minutes=5))
    registration = register(world.event)
    attribution = attribute_registration(registration=registration, visit_key=last_key)
    assert attribution is not None
    assert attribution.last_visit_key == last_key
    assert (attribution.last_placement_id, attribution.last_wave_id, attribution.last_channel) == (
        world.billboard.pk,
        world.wave1.pk,
        "billboard",
    )
    assert attribution.first_visit_key == first_key
    assert (attribution.first_placement_id, attribution.first_channel) == (world.tv.pk, "tv")
    assert attribution.campaign_id == world.campaign.pk
    # Idempotent: a second call (double submit) returns the same attribution.
    again = attribute_registration(registration=registration, visit_key=first_key)
    assert again.pk == attribution.pk and Attribution.objects.count() == 1


def test_group_registration_is_attributed_with_its_seats(world):
    key = _link_visit(world.social_link)
    registration = register_group(world.event, pupils=25, adults=3)
    attribution = attribute_registration(registration=registration, visit_key=key)
    assert attribution.registration.seats == 28
    assert attribution.first_visit_key == attribution.last_visit_key == key


def test_outside_the_window_is_not_attributed(world):
    world.campaign.attribution_window_days = 7
    world.campaign.save(update_fields=["attribution_window_days"])
    old = _link_visit(world.tv_link, when=timezone.now() - dt.timedelta(days=8))
    recent = _link_visit(world.tv_link, when=timezone.now() - dt.timedelta(days=6))
    assert attribute_registration(registration=register(world.event), visit_key=old) is None
    second = register(world.event, email="max@example.fr")
    assert attribute_registration(registration=second, visit_key=recent) is not None


def test_first_touch_outside_the_window_is_ignored(world, monkeypatch):
    world.campaign.attribution_window_days = 1
    world.campaign.save(update_fields=["attribution_window_days"])
    now = timezone.now()
    # Same salt day forced: the hash is the same, only the window decides.
    monkeypatch.setattr("vocations.analytics.privacy.local_day", lambda when=None: now.date())
    _link_visit(world.tv_link, when=now - dt.timedelta(hours=30))
    last = _link_visit(world.billboard_link, when=now - dt.timedelta(hours=1))
    attribution = attribute_registration(registration=register(world.event), visit_key=last)
    assert attribution.first_visit_key == last


def test_no_key_bad_key_unknown_key_direct_or_bot_visit_is_not_attributed(world):
    registration = register(world.event)
    direct = build_visit(request(), landing_path="/")
    record_visit(visit=direct)
    bot = _link_visit(world.tv_link, ua="LinkedInBot/1.0")
    for key in (None, "", "x" * 500, "<script>", "A" * 22, direct["visit_key"], bot):
        assert attribute_registration(registration=registration, visit_key=key) is None
    assert Attribution.objects.count() == 0


def test_attribution_works_before_the_visit_is_flushed(world, settings):
    settings.ANALYTICS_BUFFER = "database"
    key = _link_visit(world.tv_link)
    assert Visit.objects.count() == 0
    attribution = attribute_registration(registration=register(world.event), visit_key=key)
    assert attribution is not None and attribution.last_placement_id == world.tv.pk


def test_attendance_follows_the_registration(world):
    key = _link_visit(world.tv_link)
    registration = register_group(world.event, pupils=10, adults=2)
    attribute_registration(registration=registration, visit_key=key)
    Registration.objects.filter(pk=registration.pk).update(
        attended=11, checked_in_at=timezone.now()
    )
    from vocations.analytics.reports import campaign_report

    report = campaign_report(campaign=world.campaign)
    assert report.atoms[world.tv.pk].attendance == 11
    assert report.atoms[world.tv.pk].seats == 12
