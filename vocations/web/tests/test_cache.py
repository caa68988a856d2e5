"""Cacheable public pages: headers, no per-visitor state, invalidation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from vocations.accounts.models import User
from vocations.api.tests.factories import make_event, make_organization
from vocations.careers.models import Sector, Trade
from vocations.events.models import Event, Label
from vocations.events.services import label_accept
from vocations.web import cache as page_cache
from vocations.web.cache import (
    VERSION_KEY,
    bump_public_content_version,
    public_content_version,
    public_page,
)

PUBLIC_PAGES = [
    "/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/pour-qui/",
    "/pour-qui/jeunes/",
    "/pour-qui/parents/",
    "/pour-qui/demandeurs-d-emploi/",
    "/pour-qui/demandeurs-d-emploi/?code_postal=69002",
    "/pour-qui/reconversion/",
    "/pour-qui/enseignants-et-prescripteurs/",
    "/quel-metier-est-fait-pour-toi/",
    "/quel-metier-est-fait-pour-toi/?q1=a&q2=b",
    "/sitemap.xml",
    "/robots.txt",
    "/metiers/",
    "/metiers/?q=soudeuse",
    "/branches/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/metiers/soudeur-soudeuse/"])
def test_public_page_is_cacheable_and_carries_no_visitor_state(client, url):
    Trade.objects.get_or_create(
        rome_code="H2913", defaults={"title": "Soudeur / Soudeuse", "slug": "soudeur-soudeuse"}
    )
    response = client.get(url)

    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    # nginx keeps it 5 s, then 5 s stale while refreshing: a change is visible within 10 s
    # (docs/deployment.md, "Freshness"); browsers keep nothing, they ask nginx again.
    assert cache_control == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=5"}
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    # No Cookie: one rendering serves everyone. Accept-Language is added after the view by
    # LocaleMiddleware (settings); the site speaks French only, so it splits nothing.
    assert "accept-encoding" in vary
    assert vary <= {"accept-encoding", "accept-language"}
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert "csrftoken" not in body


@pytest.mark.django_db
def test_signed_in_visitor_gets_the_same_page_without_cookie_changes(client):
    # The page never reads the session, so a staff member browsing the site shares the cache.
    user = User.objects.create_user("equipe@campagne.fr", "mot-de-passe-de-test", is_staff=True)
    client.force_login(user)

    response = client.get("/pour-qui/parents/")

    assert response.status_code == 200
    assert not response.cookies
    assert "equipe@campagne.fr" not in response.content.decode()


@pytest.mark.django_db
def test_second_request_is_served_from_the_page_cache(client, django_assert_num_queries):
    Sector.objects.create(slug="chimie", name="Chimie")
    assert client.get("/").headers["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        response = client.get("/")

    assert response.headers["X-Page-Cache"] == "hit"
    assert "Chimie" in response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "s-maxage=5" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_are_keyed_by_full_url(client):
    first = client.get("/quel-metier-est-fait-pour-toi/?q1=a").content.decode()
    second = client.get("/quel-metier-est-fait-pour-toi/?q1=b").content.decode()

    assert "Agir pour la planète" in first.split("Ton résultat")[1].split("</section>")[0]
    assert "Soigner et prendre soin" in second.split("Ton résultat")[1].split("</section>")[0]


@pytest.mark.django_db
def test_home_shows_an_event_as_soon_as_it_is_labelled(client):
    staff = User.objects.create_user("staff@campagne.fr", "mot-de-passe-de-test", is_staff=True)
    event = make_event(
        organization=make_organization(),
        title="Portes ouvertes de la fonderie",
        label_state=Label.State.SUBMITTED,
    )
    before = client.get("/").content.decode()
    assert "Portes ouvertes de la fonderie" not in before
    assert client.get("/").headers["X-Page-Cache"] == "hit"

    label_accept(actor=staff, event=event)

    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Portes ouvertes de la fonderie" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda: Sector.objects.create(slug="verre", name="Verre"),
        lambda: Trade.objects.create(rome_code="H2913", title="Soudeur", slug="soudeur"),
        lambda: Sector.objects.filter(slug="chimie").get().delete(),
        lambda: Trade.objects.create(rome_code="H2914", title="Chaudronnier", slug="c").sectors.add(
            Sector.objects.get(slug="chimie")
        ),
    ],
)
def test_changes_to_public_content_bump_the_version(change):
    Sector.objects.create(slug="chimie", name="Chimie")
    before = public_content_version()

    change()

    assert public_content_version() > before


@pytest.mark.django_db
def test_a_registration_moving_the_seat_counter_does_not_empty_the_cache():
    event = make_event(organization=make_organization())
    before = public_content_version()

    event.seats_confirmed = 3
    event.save(update_fields=["seats_confirmed"])
    Event.objects.filter(pk=event.pk).update(seats_confirmed=4)

    assert public_content_version() == before


@pytest.mark.django_db
def test_version_moves_at_once_and_again_after_commit(django_capture_on_commit_callbacks):
    cache.set(VERSION_KEY, 5, timeout=None)

    with django_capture_on_commit_callbacks(execute=True):
        bump_public_content_version()
        assert public_content_version() == 6

    assert public_content_version() == 7


@pytest.mark.django_db
def test_lost_version_key_restarts_from_the_clock_never_from_an_old_value():

    cache.delete(VERSION_KEY)
    bump_public_content_version()

    assert public_content_version() > 1_600_000_000_000  # milliseconds since 1970


def test_only_successful_answers_are_stored():
    calls = []

    @public_page
    def view(request, status):
        calls.append(status)
        return HttpResponse("x", status=status)

    factory = RequestFactory()
    for _ in range(2):
        response = view(factory.get("/a"), 404)
    assert response.status_code == 404
    assert "Cache-Control" not in response
    assert calls == [404, 404]

    view(factory.get("/b"), 200)
    view(factory.get("/b"), 200)
    assert calls == [404, 404, 200]


def test_a_response_setting_a_cookie_is_never_shared():
    @public_page
    def view(request):
        response = HttpResponse("x")
        response.set_cookie("secret", "1")
        return response

    response = view(RequestFactory().get("/c"))

    assert "public" not in response.get("Cache-Control", "")
    assert cache.get(page_cache.page_cache_key(RequestFactory().get("/c"))) is None


def test_very_long_urls_are_answered_but_not_stored():
    calls = []

    @public_page
    def view(request):
        calls.append(1)
        return HttpResponse("x")

    url = "/d?" + "x=1&" * 1000
    view(RequestFactory().get(url))
    view(RequestFactory().get(url))

    assert calls == [1, 1]


@pytest.mark.django_db
def test_public_pages_refuse_post(client):
    for url in ("/", "/pour-qui/jeunes/", "/quel-metier-est-fait-pour-toi/"):
        assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_csrf_token_endpoint_sets_the_cookie_and_is_never_cached(client):
    csrf_client = client.__class__(enforce_csrf_checks=True)

    response = csrf_client.get("/jeton-csrf.json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/evenements/", "/evenements/?code_postal=69002&rayon=30", "/evenements/?vue=carte"]
)
def test_the_event_finder_is_cacheable_for_a_minute(client, url):
    response = client.get(url)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=5"}
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    # Served again from the page cache, whatever visit key a tracked link added.
    assert client.get(url + ("&" if "?" in url else "?") + "v=" + "a" * 22)["X-Page-Cache"] == "hit"
