"""The public event finder /evenements/: list, map and calendar views."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from vocations.api.tests.factories import (
    make_event,
    make_geography,
    make_organization,
    make_sector,
    make_trade,
    moment,
)
from vocations.events.models import Event
from vocations.web.formatting import event_dates, places_left_text
from vocations.web.templatetags.web_nav import nav_items

from .html import find_all

URL = "/evenements/"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def card_titles(html: str) -> list[str]:
    return [h.text for h in find_all(html, "h3", class_="event-card__title")]


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def org(db):
    return make_organization()


def paris(year, month, day, hour, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def test_french_dates_and_places_left():
    assert event_dates(paris(2027, 3, 16, 9), paris(2027, 3, 16, 12)) == (
        "mardi 16 mars 2027, 9 h – 12 h"
    )
    assert event_dates(paris(2027, 4, 1, 9, 30), paris(2027, 4, 2, 17)) == (
        "du jeudi 1er avril 2027, 9 h 30 au vendredi 2 avril 2027, 17 h"
    )
    assert places_left_text(None) == ""
    assert places_left_text(0) == "Complet"
    assert places_left_text(1) == "1 place restante"
    assert places_left_text(12) == "12 places restantes"


@pytest.mark.django_db
def test_main_navigation_points_to_the_finder():
    assert {"label": "Événements", "url": URL, "current": True} in nav_items(URL)


@pytest.mark.django_db
def test_list_shows_cards_with_everything_a_visitor_scans(client, geo, org):
    make_event(
        organization=org,
        title="Portes ouvertes aux Forges",
        commune=geo["Lyon"],
        starts_at=paris(2027, 3, 16, 9),
        ends_at=paris(2027, 3, 16, 12),
        audiences=("young_people", "parents"),
        capacity=12,
    )
    make_event(organization=org, title="Webinaire", starts_at=paris(2027, 3, 17, 18))

    html = html_of(client.get(URL, {"du": "2027-03-01"}))

    assert len(find_all(html, "h1")) == 1
    assert "2 événements" in find_all(html, "h2", id="titre-resultats")[0].text
    cards = find_all(html, "li", class_="event-card")
    assert card_titles(html) == ["Portes ouvertes aux Forges", "Webinaire"]
    first = cards[0].text
    assert "Journée portes ouvertes" in first
    assert "mardi 16 mars 2027, 9 h – 12 h" in first
    assert "Lyon (69)" in first
    assert "Jeunes, Parents" in first
    assert "12 places restantes" in first
    assert "places restantes" not in cards[1].text  # unlimited: nothing said
    assert "En ligne" in cards[1].text
    link = find_all(html, "a", href="/evenements/" + Event.objects.first().slug + "/")
    assert link


@pytest.mark.django_db
def test_full_event_card_says_complet(client, geo, org):
    make_event(organization=org, title="Plein", commune=geo["Lyon"], capacity=5, seats_confirmed=5)

    html = html_of(client.get(URL))

    assert find_all(html, "p", class_="event-card__places event-card__places--full")[0].text == (
        "Complet"
    )
    assert card_titles(html_of(client.get(URL, {"places": "1"}))) == []


@pytest.mark.django_db
def test_filter_form_is_labelled_and_keeps_values(client, geo, org):
    make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])

    html = html_of(client.get(URL, {"code_postal": "69002", "rayon": "50", "type": "open_day"}))

    form = find_all(html, "form", role="search")
    assert form and form[0].attrs["method"] == "get"
    legends = [e.text for e in find_all(html, "legend")]
    assert legends[0] == "Près de chez moi"
    labels = {e.attrs["for"]: e.text for e in find_all(html, "label") if "for" in e.attrs}
    for input_ in find_all(html, "input") + find_all(html, "select"):
        if input_.attrs.get("type") not in ("hidden", "submit"):
            assert input_.attrs["id"] in labels, input_.attrs
    assert labels["f-code-postal"] == "Code postal"
    assert find_all(html, "input", id="f-code-postal")[0].attrs["value"] == "69002"
    rayon = find_all(html, "option", value="50")
    assert "selected" in rayon[0].attrs
    assert "checked" in find_all(html, "input", id="f-type-open_day")[0].attrs
    assert "à 50 km autour de 69002" in find_all(html, "h2", id="titre-resultats")[0].text


@pytest.mark.django_db
def test_visitor_finds_by_postal_code_and_radius(client, geo, org):
    make_event(organization=org, title="Forum Vienne", commune=geo["Vienne"])
    make_event(organization=org, title="Forum Grenoble", commune=geo["Grenoble"])
    make_event(organization=org, title="Forum Villeurbanne", commune=geo["Villeurbanne"])

    html = html_of(client.get(URL, {"code_postal": "69002", "rayon": "30"}))

    assert card_titles(html) == ["Forum Villeurbanne", "Forum Vienne"]
    assert "(à 5 km)" in find_all(html, "li", class_="event-card")[0].text


@pytest.mark.django_db
def test_nonsense_filters_are_explained_not_fatal(client, geo, org):
    make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])

    response = client.get(
        URL,
        {"du": "31/02", "type": "barbecue", "vue": "hologramme", "page": "zéro", "mois": "x"},
    )

    html = html_of(response)
    warnings = [li.text for li in find_all(html, "li") if "ignoré" in li.text]
    assert "Date ignorée : « 31/02 » n'est pas une date." in warnings
    assert "Type inconnu ignoré : « barbecue »." in warnings
    assert "Vue inconnue ignorée : « hologramme »." in warnings
    assert card_titles(html) == ["Forum Lyon"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x" * 10_000, "🏭" * 2000, "\x00", "<script>alert(1)</script>"])
@pytest.mark.parametrize("vue", ["liste", "carte", "calendrier"])
def test_huge_or_hostile_values_answer_200(client, geo, org, value, vue):
    make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])
    params = dict.fromkeys(("region", "code_postal", "du", "type", "q", "mois"), value)

    response = client.get(URL, {**params, "vue": vue})

    html = html_of(response)
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_pagination_20_per_page_and_links_keep_filters(client, geo, org):
    for day in range(45):
        make_event(
            organization=org,
            title=f"Visite {day:02d}",
            commune=geo["Lyon"],
            starts_at=moment(day + 1),
            kind=Event.Kind.COMPANY_VISIT,
        )
    make_event(organization=org, title="Autre type", commune=geo["Lyon"])

    html = html_of(client.get(URL, {"type": "company_visit", "page": "2"}))

    assert card_titles(html)[0] == "Visite 20"
    assert len(card_titles(html)) == 20
    nav = find_all(html, "nav", **{"aria-label": "Pages de résultats"})
    assert nav
    links = [a for a in find_all(html, "a") if "page=" in a.attrs.get("href", "")]
    assert {a.text for a in links} >= {"Page 1", "Page 2", "Page 3", "‹ Précédente", "Suivante ›"}
    for link in links:
        query = parse_qs(urlsplit(link.attrs["href"]).query)
        assert query["type"] == ["company_visit"], link.attrs["href"]
    current = [a for a in links if a.attrs.get("aria-current") == "page"]
    assert [a.text for a in current] == ["Page 2"]

    last = html_of(client.get(URL, {"type": "company_visit", "page": "999"}))
    assert card_titles(last)[-1] == "Visite 44"


def _make_many(geo, org, count: int, sector, trade) -> None:
    for n in range(count):
        make_event(
            organization=org,
            title=f"Visite {n}",
            commune=geo["Lyon" if n % 2 else "Villeurbanne"],
            starts_at=moment(n + 1),
            audiences=("young_people", "parents"),
            sectors=(sector,),
            trades=(trade,),
            capacity=30,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
@pytest.mark.parametrize(
    "query,expected",
    [
        # Form options: regions, departments, sectors (3); results: count (1), the page's events
        # with commune, department, region and organization joined (1), their audiences (1).
        ({}, 6),
        # The postal code's communes (1), the options (3), the radius candidates in the
        # bounding box (1, their count comes from it), the page's events (1), audiences (1).
        ({"code_postal": "69002", "rayon": "30", "type": "open_day", "public": "parents"}, 7),
        # As the list (6), plus the map markers (1).
        ({"vue": "carte"}, 7),
        # The options (3) and the month's events (1).
        ({"vue": "calendrier"}, 4),
    ],
)
def test_list_query_count_does_not_grow_with_events(
    client, geo, org, django_assert_max_num_queries, count, query, expected
):
    sector, trade = make_sector(), make_trade()
    _make_many(geo, org, count, sector, trade)
    # An anonymous visitor: no session or user query.
    with django_assert_max_num_queries(expected):
        response = client.get(URL, query)
    html = html_of(response)
    if query.get("vue") != "calendrier":
        assert len(card_titles(html)) == min(count, 20)


@pytest.mark.django_db
def test_map_view_embeds_markers_json_and_keeps_the_list(client, geo, org, settings):
    settings.MAP_TILE_URL = "/tuiles/{z}/{x}/{y}.png"
    make_event(organization=org, title="Forum Lyon", commune=geo["Lyon"])
    make_event(organization=org, title="Webinaire")

    html = html_of(client.get(URL, {"vue": "carte"}))

    data = json.loads(find_all(html, "script", id="event-map-data")[0].text)
    assert data == [
        {
            "title": "Forum Lyon",
            "url": "/evenements/" + Event.objects.get(title="Forum Lyon").slug + "/",
            "lat": 45.7578,
            "lon": 4.832,
            "date": data[0]["date"],
        }
    ]
    canvas = find_all(html, "div", id="carte-evenements")[0]
    assert canvas.attrs["data-tile-url"] == "/tuiles/{z}/{x}/{y}.png"
    scripts = [s.attrs.get("src", "") for s in find_all(html, "script")]
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in scripts
    # The list still renders (usable with no tiles and no script), the online event included.
    assert card_titles(html) == ["Webinaire", "Forum Lyon"] or card_titles(html) == [
        "Forum Lyon",
        "Webinaire",
    ]
    current = [a.text for a in find_all(html, "a", **{"aria-current": "page"})]
    assert "Carte" in current


@pytest.mark.django_db
def test_map_markers_are_capped(client, geo, org, monkeypatch):
    from vocations.web.events import views

    monkeypatch.setattr(views, "MAP_LIMIT", 3)
    for n in range(5):
        make_event(organization=org, title=f"F{n}", commune=geo["Lyon"], starts_at=moment(n + 1))

    html = html_of(client.get(URL, {"vue": "carte"}))

    data = json.loads(find_all(html, "script", id="event-map-data")[0].text)
    assert [m["title"] for m in data] == ["F0", "F1", "F2"]
    assert "3 premiers événements" in html


@pytest.mark.django_db
def test_calendar_view_renders_the_month_grid(client, geo, org):
    make_event(
        organization=org,
        title="Salon de mars",
        commune=geo["Lyon"],
        starts_at=paris(2030, 3, 12, 9),
        ends_at=paris(2030, 3, 13, 17),
    )
    make_event(
        organization=org,
        title="Visite d'avril",
        commune=geo["Lyon"],
        starts_at=paris(2030, 4, 2, 9),
    )

    html = html_of(client.get(URL, {"vue": "calendrier", "mois": "2030-03", "type": "open_day"}))

    assert "Mars 2030" in find_all(html, "h3", id="titre-mois")[0].text
    table = find_all(html, "table")
    assert (
        table
        and find_all(html, "caption")[0].text == "Événements de mars 2030, semaine par semaine"
    )
    headers = [th.text for th in find_all(html, "th", scope="col")]
    assert headers == ["Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"]
    cells = find_all(html, "td")
    assert len(cells) % 7 == 0
    with_event = [c.text for c in cells if "Salon de mars" in c.text]
    # A two-day event shows on both of its days (the weekday is written out for phones,
    # where the month is a list); the April one is not in March.
    assert [t.split()[:2] for t in with_event] == [["mardi", "12"], ["mercredi", "13"]]
    assert "Visite d'avril" not in html
    nav = {a.attrs.get("rel"): a.attrs["href"] for a in find_all(html, "a") if a.attrs.get("rel")}
    assert parse_qs(urlsplit(nav["next"]).query) == {
        "type": ["open_day"],
        "vue": ["calendrier"],
        "mois": ["2030-04"],
    }
    assert parse_qs(urlsplit(nav["prev"]).query)["mois"] == ["2030-02"]


@pytest.mark.django_db
def test_calendar_default_month_is_the_current_one(client, geo, org):
    make_event(organization=org, title="Demain", commune=geo["Lyon"], starts_at=moment(1))
    today = timezone.localdate()

    html = html_of(client.get(URL, {"vue": "calendrier"}))

    from vocations.core.dates import DAYS

    cell = find_all(html, "td", **{"aria-current": "date"})[0].text.split()
    assert cell[:2] == [DAYS[today.weekday()], str(today.day)]
    if moment(1).month == today.month:
        assert "Demain" in html


@pytest.mark.django_db
def test_feed_links_carry_the_filters(client, geo, org):
    html = html_of(client.get(URL, {"code_postal": "69002", "type": "open_day"}))

    hrefs = [a.attrs["href"] for a in find_all(html, "a")]
    ics = [h for h in hrefs if h.startswith("/evenements.ics?")]
    api = [h for h in hrefs if h.startswith("/api/v1/events/?")]
    assert ics and api
    for href in ics + api:
        query = parse_qs(urlsplit(href).query)
        assert query["code_postal"] == ["69002"] and query["type"] == ["open_day"]


def test_empty_parameters_are_dropped_by_a_redirect(client, geo, org):
    # What a GET form sends when only the département is chosen (and the script did not run).
    response = client.get(URL + "?code_postal=&rayon=30&region=&departement=69&q=&vue=liste")
    assert response.status_code == 302
    assert response["Location"] == URL + "?departement=69&vue=liste"
    response = client.get(URL + "?code_postal=&rayon=30")
    assert response.status_code == 302 and response["Location"] == URL
    # A clean address is served; the radius stays with its postal code.
    assert client.get(URL + "?departement=69").status_code == 200
    assert client.get(URL + "?code_postal=69002&rayon=30").status_code == 200


def test_registration_open_filter(client, geo, org):
    make_event(organization=org, title="Ouvert", commune=geo["Villeurbanne"], starts_at=moment(6))
    make_event(
        organization=org,
        title="Pas encore ouvert",
        commune=geo["Villeurbanne"],
        starts_at=moment(60),
        registration_opens_at=moment(20),
    )
    make_event(
        organization=org,
        title="Clos",
        commune=geo["Villeurbanne"],
        starts_at=moment(5),
        registration_closes_at=moment(-1),
    )
    html = html_of(client.get(URL, {"inscriptions": "ouvertes"}))
    assert card_titles(html) == ["Ouvert"]
    assert 'name="inscriptions" value="ouvertes" checked' in html
    assert len(card_titles(html_of(client.get(URL)))) == 3
