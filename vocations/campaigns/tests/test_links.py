"""Tracked links: code format, uniqueness, landing paths that can never redirect off-site."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.campaigns.models import TrackedLink
from vocations.campaigns.selectors import link_destination, link_for_code, qr_url
from vocations.campaigns.services import (
    CODE_ALPHABET,
    placement_links_per_commune,
    tracked_link_create,
    validate_landing_path,
)
from vocations.campaigns.services import links as links_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(add_placement, waves):
    return add_placement(waves[0], channel="billboard", name="Affichage", landing_path="/metiers/")


def test_code_is_seven_unambiguous_characters(users, placement):
    link = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    assert len(link.code) == 7 and set(link.code) <= set(CODE_ALPHABET)
    assert not set("0o1li") & set(CODE_ALPHABET)
    assert link.campaign == placement.campaign
    assert link.landing_path == "/metiers/"  # derived from the placement


def test_a_colliding_code_is_retried(users, placement, monkeypatch):
    first = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    codes = iter([first.code, first.code, "zzzzzzz"])
    monkeypatch.setattr(links_module, "new_code", lambda: next(codes))
    second = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    assert second.code == "zzzzzzz"
    assert TrackedLink.objects.count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "/ok\x00",
        "/ ok",
        "evil.example/path",
        "/l/abcdefg",
        "/" + "a" * 300,
    ],
)
def test_open_redirect_paths_are_refused(users, placement, path):
    with pytest.raises(ValidationError) as caught:
        tracked_link_create(
            actor=users["staff"], target_kind="placement", placement=placement, landing_path=path
        )
    assert (
        "page d'arrivée" in caught.value.messages[0].lower()
        or "lien suivi" in caught.value.messages[0]
    )
    assert not TrackedLink.objects.exists()


@pytest.mark.parametrize("path", ["/", "/evenements/", "/metiers/soudeur/?utm=x#haut", "/l-usine/"])
def test_local_paths_are_accepted(path):
    assert validate_landing_path(path) == path


def test_event_and_branch_targets_derive_their_landing(users, campaign, branch):
    from vocations.events.models import Event

    event = Event(slug="forum-lyon", title="Forum")
    link = tracked_link_create(
        actor=users["staff"], campaign=campaign, target_kind="branch", branch=branch
    )
    assert link.landing_path == "/branches/chimie/"
    assert links_module._default_landing("event", placement=None, event=event, branch=None) == (
        "/evenements/forum-lyon/"
    )


def test_branch_editors_may_link_their_branch_only(users, campaign, branch):
    link = tracked_link_create(
        actor=users["branch_editor"], campaign=campaign, target_kind="branch", branch=branch
    )
    assert link.branch == branch
    with pytest.raises(PermissionDenied):
        tracked_link_create(
            actor=users["other"], campaign=campaign, target_kind="branch", branch=branch
        )


def test_others_cannot_create_campaign_links(users, placement):
    with pytest.raises(PermissionDenied):
        tracked_link_create(actor=users["viewer"], target_kind="placement", placement=placement)


def test_link_for_code_and_destination(users, placement, django_assert_num_queries):
    link = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    with django_assert_num_queries(1):
        found = link_for_code(link.code)
        # placement → wave and campaign come with it: no extra query.
        assert found.placement.wave.number == 1 and found.campaign.slug == "avec-l-industrie"
    assert link_destination(found) == "/metiers/"
    with CaptureQueriesContext(connection) as queries:
        assert link_for_code("../etc") is None and link_for_code("ABCDEFG") is None
    assert len(queries) == 0
    TrackedLink.objects.filter(pk=link.pk).update(is_active=False)
    assert link_for_code(link.code) is None


def test_destination_of_a_tampered_link_is_home(users, placement):
    link = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    TrackedLink.objects.filter(pk=link.pk).update(landing_path="//evil.example")
    assert link_destination(link_for_code(link.code)) == "/"


def test_qr_url_tells_a_scan(users, placement, settings):
    settings.SITE_URL = "https://vocations.example"
    link = tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)
    assert qr_url(link) == f"https://vocations.example/l/{link.code}?s=qr"


def test_links_per_commune_are_idempotent(users, placement, geo):
    first = placement_links_per_commune(
        actor=users["staff"], placement=placement, communes=[geo["lyon"], geo["avignon"]]
    )
    again = placement_links_per_commune(
        actor=users["staff"], placement=placement, communes=[geo["avignon"], geo["lyon"]]
    )
    assert {link.pk for link in first} == {link.pk for link in again}
    assert placement.links.count() == 2
    assert first[0].label == "Affichage — Lyon" and first[0].commune == geo["lyon"]
