"""Search engines and sharing: sitemap.xml, robots.txt, canonical URLs, Open Graph."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from vocations.api.tests.factories import make_event, make_organization
from vocations.careers.models import Branch, Trade
from vocations.events.models import Event
from vocations.web.audiences import sitemap as sitemap_module

from .html import find_all

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://127.0.0.1:8000"
OWN_PAGES = [
    "/pour-qui/",
    "/pour-qui/jeunes/",
    "/pour-qui/parents/",
    "/pour-qui/demandeurs-d-emploi/",
    "/pour-qui/reconversion/",
    "/pour-qui/enseignants-et-prescripteurs/",
    "/quel-metier-est-fait-pour-toi/",
]


def sitemap_urls(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap, in a test)
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def resolves(name: str, **kwargs) -> bool:
    try:
        reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


@pytest.mark.django_db
def test_sitemap_lists_fixed_and_audience_pages_with_absolute_urls(client):
    urls = sitemap_urls(client)

    for path in ["/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"]:
        assert BASE + path in urls
    for path in OWN_PAGES:
        assert BASE + path in urls
    assert all(url.startswith(BASE + "/") for url in urls)
    assert len(urls) == len(set(urls))


@pytest.mark.django_db
def test_sitemap_lists_upcoming_public_events_only(client):
    org = make_organization()
    shown = make_event(organization=org, title="Salon de l'orientation de Lyon")
    draft = make_event(organization=org, title="Brouillon", label_state="draft")
    unpublished = make_event(organization=org, title="Non publié", is_published=False)
    past = make_event(
        organization=org,
        title="Passé",
        starts_at=dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC),
    )

    urls = sitemap_urls(client)

    if resolves("web:event_detail", slug="x"):
        assert BASE + reverse("web:event_detail", kwargs={"slug": shown.slug}) in urls
    for hidden in (draft, unpublished, past):
        assert not any(hidden.slug in url for url in urls), hidden.title
    body = client.get("/sitemap.xml").content.decode()
    if resolves("web:event_detail", slug="x"):
        assert "<lastmod>" in body


@pytest.mark.django_db
def test_sitemap_caps_events(client, monkeypatch):
    monkeypatch.setattr(sitemap_module, "MAX_EVENTS", 2)
    org = make_organization()
    events = [make_event(organization=org) for _ in range(3)]

    urls = sitemap_urls(client)

    listed = [e for e in events if any(url.endswith(f"/{e.slug}/") for url in urls)]
    expected = 2 if resolves("web:event_detail", slug="x") else 0
    assert len(listed) == expected


@pytest.mark.django_db
def test_sitemap_lists_trade_and_branch_pages_when_their_routes_exist(client):
    Trade.objects.create(rome_code="H2913", title="Soudeur / Soudeuse", slug="soudeur-soudeuse")
    Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="Métallurgie")

    urls = sitemap_urls(client)

    has_trade = any("soudeur-soudeuse" in url for url in urls)
    has_branch = any(url.endswith("/metallurgie/") for url in urls)
    assert has_trade == resolves("web:trade_detail", slug="x")
    assert has_branch == resolves("web:branch_detail", slug="x")


def test_sitemap_escapes_xml():
    # The template is django.contrib.sitemaps' own: it escapes what it writes.
    xml = render_to_string(
        "sitemap.xml",
        {
            "urlset": [
                {"location": "https://example.org/?a=1&b=<2>", "lastmod": dt.date(2027, 1, 1)}
            ]
        },
    )

    root = ElementTree.fromstring(xml)  # noqa: S314 (our own output, in a test)
    assert root.find("s:url/s:loc", NS).text == "https://example.org/?a=1&b=<2>"
    assert root.find("s:url/s:lastmod", NS).text == "2027-01-01"


@pytest.mark.django_db
def test_sitemap_lastmod_is_the_paris_day_the_event_last_changed(client):
    if not resolves("web:event_detail", slug="x"):
        return
    event = make_event(organization=make_organization(), title="Forum")
    # 23:30 UTC on 1 December is already 2 December in Paris.
    Event.objects.filter(pk=event.pk).update(
        updated_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    )

    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    entries = {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS) for url in root.findall("s:url", NS)
    }
    lastmod = entries[BASE + reverse("web:event_detail", kwargs={"slug": event.slug})]
    assert lastmod.text == "2026-12-02"


@pytest.mark.django_db
def test_sitemap_is_a_cached_public_page(client):
    first = client.get("/sitemap.xml")
    second = client.get("/sitemap.xml")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert not second.cookies


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /organisateur/" in lines


@pytest.mark.django_db
@pytest.mark.parametrize("path", OWN_PAGES)
def test_own_pages_have_canonical_og_and_description(client, path):
    html = client.get(path).content.decode()

    canonical = find_all(html, "link", rel="canonical")
    assert [link.attrs["href"] for link in canonical] == [BASE + path]
    og = {
        m.attrs["property"]: m.attrs["content"]
        for m in find_all(html, "meta")
        if "property" in m.attrs
    }
    assert og["og:url"] == BASE + path
    assert og["og:title"]
    assert og["og:type"] == "website"
    assert og["og:locale"] == "fr_FR"
    assert find_all(html, "meta", name="description")[0].attrs["content"]
    assert find_all(html, "meta", name="robots") == []


@pytest.mark.django_db
def test_quiz_result_canonical_is_the_quiz_itself(client):
    html = client.get("/quel-metier-est-fait-pour-toi/?q1=a").content.decode()

    canonical = find_all(html, "link", rel="canonical")[0].attrs["href"]
    assert canonical == BASE + "/quel-metier-est-fait-pour-toi/"
