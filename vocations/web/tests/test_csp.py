"""A Content-Security-Policy without unsafe-inline on every response (issue 15, point 9):
public pages (fresh and from the page cache), forms, the back office, the API and its docs,
errors (403, 404, 429, 500). Templates hold no inline script, style element or attribute."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as project_urls
from vocations.events.tickets import self_service_token

from .registration_support import make_world, person_data

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("for the 500 page")


urlpatterns = [path("boom/", boom), *project_urls]
handler500 = "vocations.web.views.server_error"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response) -> dict[str, list[str]]:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    return directives


def test_public_pages_fresh_and_cached(client):
    for url in ("/", "/mentions-legales/", "/evenements/", "/robots.txt", "/jeton-csrf.json"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert_strict(first)
    cached = client.get("/mentions-legales/")
    assert cached.get("X-Page-Cache") == "hit"
    assert_strict(cached)


def test_registration_and_self_service_pages(client):
    _, event = make_world()
    from vocations.events.services import registration_create

    registration = registration_create(event=event, data=person_data())
    for url in (
        f"/evenements/{event.slug}/inscription/",
        f"/evenements/{event.slug}/presse/",
        f"/inscription/{self_service_token(registration)}/",
    ):
        assert_strict(client.get(url))


def test_map_tiles_are_the_only_third_party(client, settings):
    directives = assert_strict(client.get("/"))
    assert directives["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert directives["style-src"] == ["'self'"]


def test_back_office_pages(client, django_user_model):
    assert_strict(client.get("/organisateur/connexion/"))
    staff = django_user_model.objects.create_user("equipe@x.fr", "x", is_staff=True)
    client.force_login(staff)
    assert_strict(client.get("/organisateur/"))


def test_api_and_its_docs(client):
    assert_strict(client.get("/api/v1/events"))
    assert_strict(client.get("/api/v1/openapi.json"))
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert_strict(docs)
    body = docs.content.decode()
    # Served from our static files (ninja in INSTALLED_APPS), no CDN, no inline script.
    assert "cdn.jsdelivr.net" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)


def test_error_pages(client, settings):
    assert client.get("/nulle-part/").status_code == 404
    assert_strict(client.get("/nulle-part/"))
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token-ip": "1/h"}
    client.get("/inscription/x/")
    too_many = client.get("/inscription/y/")
    assert too_many.status_code == 429
    assert_strict(too_many)
    forbidden = client.get("/inscription/x/")
    assert_strict(forbidden)


def test_the_500_page_allows_exactly_its_own_style(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    directives = assert_strict(response)
    (style,) = re.findall(r"<style>(.*?)</style>", response.content.decode(), re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert directives["style-src"] == ["'self'", f"'sha256-{digest}'"]


# --- templates ---------------------------------------------------------------------------------

# Mails are not pages (no CSP); the 500 page's style is allowed by its hash.
EXEMPT = {"vocations/web/templates/500.html", "vocations/events/templates/events/emails"}
INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "style element"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "event handler attribute"),
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I), "script"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for template in sorted((ROOT / "vocations").rglob("templates/**/*.html")):
        rel = template.relative_to(ROOT).as_posix()
        if any(rel.startswith(e) for e in EXEMPT):
            continue
        source = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(source):
                found.append(f"{rel}: {what}")
    assert found == []
