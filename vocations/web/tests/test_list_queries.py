"""Public list pages cost a fixed number of queries, whatever the number of rows.

Each page is measured on a cold page cache (a cached answer costs no query at all).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.api.tests.factories import make_event, make_organization
from vocations.careers.models import Branch, Sector, Trade

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_branches(start, stop):
    for i in range(start, stop):
        branch = Branch.objects.create(slug=f"branche-{i}", name=f"Branche {i}", short_name=f"B{i}")
        branch.sectors.add(Sector.objects.create(slug=f"filiere-{i}", name=f"Filière {i}"))
        trade = Trade.objects.create(rome_code=f"H{i:04d}", title=f"Métier {i}", slug=f"m-{i}")
        trade.branches.add(branch)


def add_events(organization, count):
    for _ in range(count):
        make_event(organization=organization)


def test_branch_list(client, django_assert_num_queries):
    add_branches(0, 1)
    with_one = count_queries(client, "/branches/")
    add_branches(1, 9)
    cache.clear()
    # Expected queries (an anonymous public page: no session, no user):
    #  1. branches with their trade count (one annotated query)
    #  2. their sectors (prefetch)
    with django_assert_num_queries(2):
        response = client.get("/branches/")
    body = response.content.decode()
    assert body.count("/branches/branche-") >= 9 and "Filière 8" in body
    assert count_queries(client, "/branches/") == with_one


def test_audience_list(client, django_assert_num_queries):
    # The audience cards are the site's own content (audiences/content.py): no query, however
    # many trades and events exist.
    Trade.objects.create(rome_code="H2913", title="Soudeur", slug="soudeur", is_featured=True)
    add_events(make_organization(), 3)
    cache.clear()
    with django_assert_num_queries(0):
        response = client.get("/pour-qui/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/pour-qui/') >= 5


def test_sitemap(client, django_assert_num_queries):
    organization = make_organization()
    add_branches(0, 1)
    add_events(organization, 1)
    with_one = count_queries(client, "/sitemap.xml")
    add_branches(1, 9)
    add_events(organization, 8)
    cache.clear()
    # Expected queries (the fixed and audience pages are routes, not rows):
    #  1. trade slugs        2. branch slugs
    #  3. upcoming public events (slug, last change), soonest first
    with django_assert_num_queries(3):
        response = client.get("/sitemap.xml")
    body = response.content.decode()
    assert body.count("/branches/branche-") == 9 and body.count("<lastmod>") == 9
    assert count_queries(client, "/sitemap.xml") == with_one
