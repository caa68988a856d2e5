"""/l/<code>: 302 to a local page with the visit key, French 404 page otherwise, never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from vocations.analytics.links import safe_local_path
from vocations.analytics.models import Visit
from vocations.campaigns.models import TrackedLink

from .support import TEST_UA

pytestmark = pytest.mark.django_db


def _assert_local(location: str) -> None:
    assert location.startswith("/")
    assert not location.startswith("//")
    assert not location.startswith("/\\")
    assert urlsplit(location).netloc == "" and urlsplit(location).scheme == ""


def test_qr_scan_redirects_with_visit_key_and_utm(client, world):
    response = client.get(
        f"/l/{world.billboard_link.code}",
        {"s": "qr", "utm_source": "affichage", "utm_medium": "qr", "other": "dropped"},
        HTTP_USER_AGENT=TEST_UA,
    )
    assert response.status_code == 302
    location = response["Location"]
    _assert_local(location)
    parts = urlsplit(location)
    assert parts.path == f"/evenements/{world.event.slug}/"
    query = parse_qs(parts.query)
    visit = Visit.objects.get()
    assert query["v"] == [visit.visit_key]
    assert query["utm_source"] == ["affichage"] and query["utm_medium"] == ["qr"]
    assert "other" not in query and "s" not in query
    assert response["Cache-Control"] == "no-store"
    assert (visit.source, visit.link_id, visit.placement_id, visit.wave_id, visit.channel) == (
        "qr",
        world.billboard_link.pk,
        world.billboard.pk,
        world.wave1.pk,
        "billboard",
    )
    assert visit.campaign_id == world.campaign.pk
    assert visit.landing_path == parts.path


def test_click_without_s_is_a_click_and_each_visit_has_its_own_key(client, world):
    first = client.get(f"/l/{world.tv_link.code}", HTTP_USER_AGENT=TEST_UA)
    second = client.get(f"/l/{world.tv_link.code}/", HTTP_USER_AGENT=TEST_UA)
    assert first["Location"] != second["Location"]
    assert list(Visit.objects.values_list("source", flat=True)) == ["click", "click"]
    assert Visit.objects.values("visitor_hash").distinct().count() == 1


@pytest.mark.parametrize(
    "code",
    [
        "inconnu",  # well-formed, unknown
        "ABC-DEF",
        "a" * 17,
        "%00",
        "..%2F..%2Fetc",
        "<script>",
        "é" * 7,
        "",
        "x" * 500,
        "a b",
    ],
)
def test_unknown_or_malformed_code_gets_the_french_page(client, world, code):
    response = client.get(f"/l/{code}")
    assert response.status_code == 404
    assert "Ce lien n'est plus actif" in response.content.decode()
    assert Visit.objects.count() == 0


def test_inactive_link_gets_the_french_page_with_ways_out(client, world):
    link = world.tv_link
    assert client.get(f"/l/{link.code}").status_code == 302
    link.is_active = False
    link.save(update_fields=["is_active"])  # drops the cached entry
    response = client.get(f"/l/{link.code}")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'href="/"' in body and 'href="/evenements/"' in body
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    "stored",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
        "evil.example",
        "/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_a_link_can_never_redirect_off_site(client, world, stored):
    # Written behind the services' back (the services refuse such paths): the view still holds.
    TrackedLink.objects.filter(pk=world.tv_link.pk).update(landing_path=stored)
    response = client.get(f"/l/{world.tv_link.code}", {"utm_source": "//evil.example"})
    assert response.status_code == 302
    _assert_local(response["Location"])
    assert urlsplit(response["Location"]).netloc == ""


@pytest.mark.parametrize(
    "path", ["https://evil.example/", "//x", "/\\x", "javascript:x", "x", "", None, "/\x00"]
)
def test_safe_local_path_refuses(path):
    assert safe_local_path(path) == "/"


def test_safe_local_path_keeps_local_paths():
    assert safe_local_path("/evenements/?region=84") == "/evenements/?region=84"


def test_links_are_read_from_the_cache(client, world):
    client.get(f"/l/{world.tv_link.code}", HTTP_USER_AGENT=TEST_UA)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/l/{world.tv_link.code}", HTTP_USER_AGENT=TEST_UA).status_code == 302
    # Only the visit's own INSERT (the "direct" buffer): no link lookup, no salt lookup.
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1 and sql[0].startswith("INSERT"), sql


def test_forged_codes_are_cached_as_missing(client, world):
    client.get("/l/zzzzzzz")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/l/zzzzzzz").status_code == 404
    assert not any("campaigns_trackedlink" in q["sql"] for q in queries.captured_queries)


def test_post_is_refused(client, world):
    assert client.post(f"/l/{world.tv_link.code}").status_code == 405
    assert Visit.objects.count() == 0


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(max_size=40), query=st.text(max_size=60))
def test_any_code_and_query_answer_302_or_404(client, world, code, query):
    safe = code.replace("/", "").replace("?", "").replace("#", "")
    response = client.get(f"/l/{safe}?{query}".replace("#", ""), HTTP_USER_AGENT=TEST_UA)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        _assert_local(response["Location"])
