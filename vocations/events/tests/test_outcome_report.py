"""The outcome report (like l'Usine extraordinaire's) with known numbers, and the services
that record press coverage and officials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.accounts.models import Membership, User
from vocations.core.models import AuditEntry
from vocations.events.models import (
    EventPartner,
    MediaArticle,
    Partner,
    PressAccreditation,
    Session,
    SessionInvitation,
    Space,
    Universe,
)
from vocations.events.outcome_report import outcome_report
from vocations.events.services.coverage import (
    media_article_create,
    media_article_delete,
    outcome_facts_update,
)

from .test_outcomes import scene  # noqa: F401 - the fixture
from .test_registrations_support import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_scene(scene):  # noqa: F811
    """The outcome scene, with the workshop in a space of the "Fabriquer" universe, the dinner
    invitation-only (3 invited), two partners, two accredited journalists (one refused)."""
    event = scene["event"]
    universe = Universe.objects.create(event=event, name="Fabriquer")
    space = Space.objects.create(universe=universe, name="Atelier des soudeurs")
    Session.objects.filter(pk=scene["workshop"].pk).update(space=space)
    Session.objects.filter(pk=scene["dinner"].pk).update(invitation_only=True)
    SessionInvitation.objects.bulk_create(
        SessionInvitation(session=scene["dinner"], email=f"invite{n}@example.fr") for n in range(3)
    )
    for n, level in enumerate(["main_sponsor", "media"]):
        partner = Partner.objects.create(name=f"Partenaire {n}")
        EventPartner.objects.create(event=event, partner=partner, level=level, position=n)
    for n, status in enumerate(["accepted", "accepted", "refused"]):
        PressAccreditation.objects.create(
            event=event,
            full_name=f"Journaliste {n}",
            email=f"j{n}@media.fr",
            outlet="Le Progrès" if n else "France 3",
            role="Reporter",
            status=status,
        )
    owner = User.objects.create_user("owner@usine.fr", "x")
    Membership.objects.create(user=owner, organization=event.organization, role="owner")
    return {**scene, "owner": owner, "space": space}


def test_outcome_report_figures(report_scene):
    event, owner = report_scene["event"], report_scene["owner"]
    day = event.starts_at.date()
    media_article_create(
        actor=owner, event=event, outlet="Le Progrès", published_on=day, reach=200_000
    )
    media_article_create(
        actor=owner, event=event, outlet="France 3", published_on=day, url="https://f3.fr/a"
    )
    outcome_facts_update(actor=owner, event=event, vip_count=2, vip_note="la préfète, un député")
    with CaptureQueriesContext(connection) as queries:
        report = outcome_report(event, now=event.ends_at + dt.timedelta(days=1))
    # 4 for the pools, sessions, départements and audiences, then schools, spaces,
    # invitations, partners, journalists, articles, officials.
    assert len(queries) == 11
    assert report.visitors == 39 and report.outcomes.total.pupils == 53
    assert report.departments_count == 2
    assert report.schools == 1  # the three classes share a UAI
    assert [(s.universe, s.space, s.sessions, s.registered, s.attended) for s in report.spaces] == [
        ("Fabriquer", "Atelier des soudeurs", 1, 11, 11),
        ("Hors univers", "Hors espace", 1, 1, 1),  # the dinner has no space
    ]
    assert [(i.title, i.invited, i.confirmed, i.attended) for i in report.invitations] == [
        ("Dîner", 3, 1, 1)
    ]
    assert [(p.level, p.count) for p in report.partners] == [("main_sponsor", 1), ("media", 1)]
    assert (report.journalists, report.journalist_outlets) == (2, 2)
    assert len(report.articles) == 2
    assert report.articles_reach == 200_000  # the article without a reach is not a 0
    assert (report.vip_count, report.vip_note) == (2, "la préfète, un député")


def test_nothing_recorded_is_none_never_zero():
    event = make_event()
    report = outcome_report(event)
    assert report.vip_count is None and report.articles_reach is None
    assert report.articles == [] and report.journalists == 0


def test_media_article_validation_is_french_and_writes_nothing(report_scene):
    event, owner = report_scene["event"], report_scene["owner"]
    with pytest.raises(ValidationError) as error:
        media_article_create(
            actor=owner,
            event=event,
            outlet="  ",
            published_on=event.starts_at.date() + dt.timedelta(days=800),
            url="javascript:alert(1)",
        )
    messages = error.value.message_dict
    assert messages["outlet"] == ["Indiquez le média (journal, radio, site…)."]
    assert "dans l'année" in messages["published_on"][0]
    assert messages["url"] == ["Indiquez une adresse web complète (https://…)."]
    assert not MediaArticle.objects.exists()


def test_only_the_organizer_records_coverage(report_scene):
    event = report_scene["event"]
    stranger = User.objects.create_user("autre@usine.fr", "x")
    with pytest.raises(PermissionDenied):
        media_article_create(
            actor=stranger, event=event, outlet="Le Monde", published_on=event.starts_at.date()
        )
    with pytest.raises(PermissionDenied):
        outcome_facts_update(actor=stranger, event=event, vip_count=1)
    assert not MediaArticle.objects.exists()


def test_coverage_is_audited_and_deleted(report_scene):
    event, owner = report_scene["event"], report_scene["owner"]
    article = media_article_create(
        actor=owner, event=event, outlet="Le Progrès", published_on=event.starts_at.date()
    )
    media_article_delete(actor=owner, article=article)
    assert not MediaArticle.objects.exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("id"))
    assert actions[-2:] == ["media_article.created", "media_article.deleted"]
