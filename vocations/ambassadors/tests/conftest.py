"""Fixtures for the ambassadors tests: a collective, a coordinator, members, a campaign world."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from vocations.accounts.models import Membership, Organization, User
from vocations.ambassadors.models import Invitation
from vocations.ambassadors.services import invitation_create, invitation_join
from vocations.analytics.tests.support import build_world
from vocations.territories.models import Department, Region


@pytest.fixture(autouse=True)
def _measurement(settings):
    settings.ANALYTICS_BUFFER = "direct"
    settings.ANALYTICS_FLUSH_INTERVAL = 0
    settings.ANALYTICS_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def departments(db):
    ara, _ = Region.objects.get_or_create(
        code="84", defaults={"name": "Auvergne-Rhône-Alpes", "slug": "ara"}
    )
    bzh, _ = Region.objects.get_or_create(code="53", defaults={"name": "Bretagne", "slug": "bzh"})
    rhone, _ = Department.objects.get_or_create(
        code="69", defaults={"name": "Rhône", "slug": "rhone", "region": ara}
    )
    loire, _ = Department.objects.get_or_create(
        code="42", defaults={"name": "Loire", "slug": "loire", "region": ara}
    )
    finistere, _ = Department.objects.get_or_create(
        code="29", defaults={"name": "Finistère", "slug": "finistere", "region": bzh}
    )
    return {"69": rhone, "42": loire, "29": finistere}


@pytest.fixture
def collective(db):
    return Organization.objects.create(
        name="Les Influstriels", slug="influstriels", kind=Organization.Kind.COLLECTIVE
    )


@pytest.fixture
def coordinator(collective):
    user = User.objects.create_user("coord@example.fr", "mot-de-passe-test")
    Membership.objects.create(user=user, organization=collective, role="editor")
    return user


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff@example.fr", "mot-de-passe-test", is_staff=True)


@pytest.fixture
def outsider(db):
    return User.objects.create_user("outsider@example.fr", "mot-de-passe-test")


@pytest.fixture
def make_member(collective, coordinator):
    def make(email: str, name: str = "", department=None):
        invitation = invitation_create(
            actor=coordinator, collective=collective, email=email, full_name=name or email
        )
        if department is not None:
            Invitation.objects.filter(pk=invitation.pk).update(department=department)
            invitation.refresh_from_db()
        return invitation_join(invitation=invitation, password="un-mot-de-passe", consent=True)

    return make


@pytest.fixture
def alice(make_member, departments):
    return make_member("alice@example.fr", "Alice Martin", departments["69"])


@pytest.fixture
def bruno(make_member, departments):
    return make_member("bruno@example.fr", "Bruno Le Goff", departments["29"])


def day(n: int) -> dt.date:
    return dt.date(2026, 3, n)
