"""The public shell: home, legal pages, robots.txt, French error pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from vocations.careers.models import Sector
from vocations.core.site import CAMPAIGN_SIGNATURE
from vocations.web import views
from vocations.web.templatetags.web_nav import nav_items

from .html import find_all

PAGES = ["/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"]
AUDIENCE_HEADINGS = [
    "Jeunes",
    "Parents",
    "Demandeurs d'emploi",
    "Reconversion",
    "Enseignants et prescripteurs",
]


def body(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_page_is_french_with_one_h1_skip_link_and_landmarks(client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = body(response)
    assert find_all(html, "html")[0].attrs["lang"] == "fr"
    assert len(find_all(html, "h1")) == 1
    skip = find_all(html, "a", class_="skip-link")
    assert [(a.attrs["href"], a.text) for a in skip] == [("#contenu", "Aller au contenu")]
    # The skip link is the first link of the page, and its target exists.
    assert find_all(html, "a")[0].attrs.get("class") == "skip-link"
    assert len(find_all(html, "main", id="contenu")) == 1
    assert len(find_all(html, "nav", **{"aria-label": "Menu principal"})) == 1
    title = find_all(html, "title")[0].text
    assert title.endswith("Vocations")
    canonical = find_all(html, "link", rel="canonical")
    assert [link.attrs["href"] for link in canonical] == [f"http://127.0.0.1:8000{url}"]
    assert find_all(html, "meta", property="og:url")[0].attrs["content"].endswith(url)
    assert find_all(html, "meta", name="description")[0].attrs["content"]


@pytest.mark.django_db
def test_every_page_links_the_legal_pages_and_states_accessibility(client):
    html = body(client.get("/"))
    footer_links = {a.text: a.attrs["href"] for a in find_all(html, "a")}

    assert footer_links["Mentions légales"] == "/mentions-legales/"
    assert footer_links["Données personnelles"] == "/donnees-personnelles/"
    assert footer_links["Accessibilité : partiellement conforme"] == "/accessibilite/"


@pytest.mark.django_db
def test_home_shows_campaign_banner_figures_and_audiences(client):
    html = body(client.get("/"))

    assert "Vocations" in find_all(html, "a", class_="banner__name")[0].text
    banner = find_all(html, "p", class_="banner__campaign")[0].text
    assert "Avec l'industrie" in banner
    assert CAMPAIGN_SIGNATURE in banner
    assert CAMPAIGN_SIGNATURE == "On a un avenir à fabriquer"
    figures = " ".join(li.text for li in find_all(html, "li", class_="figure"))
    for expected in ("300 000", "60 %", "83 %", "en déclin"):
        assert expected in figures
    audiences = html.split('id="pour-qui"')[1].split("</section>")[0]
    assert [h.text for h in find_all(audiences, "h3")] == AUDIENCE_HEADINGS
    # Each audience card leads to its page.
    assert [a.attrs["href"] for a in find_all(audiences, "a")] == [
        "/pour-qui/jeunes/",
        "/pour-qui/parents/",
        "/pour-qui/demandeurs-d-emploi/",
        "/pour-qui/reconversion/",
        "/pour-qui/enseignants-et-prescripteurs/",
    ]
    assert [h.text for h in find_all(html, "h2")] == [
        "Pour qui ?",
        "Les événements près de chez vous",
        "Des métiers qui recrutent",
        "Les filières",
    ]


@pytest.mark.django_db
def test_home_lists_sectors_by_name(client):
    Sector.objects.create(slug="textile", name="Textile et habillement")
    Sector.objects.create(slug="aero", name="Aéronautique et spatial")
    Sector.objects.create(slug="agro", name="Agroalimentaire")

    html = body(client.get("/"))

    section = html.split('id="filieres"')[1].split("</section>")[0]
    listed = [li.text for li in find_all(section, "li")]
    assert listed == ["Aéronautique et spatial", "Agroalimentaire", "Textile et habillement"]
    assert "3 filières" in section


@pytest.mark.django_db
def test_home_without_sectors_says_so(client):
    html = body(client.get("/"))

    section = html.split('id="filieres"')[1].split("</section>")[0]
    assert find_all(section, "li") == []
    assert "bientôt présentées" in section


@pytest.mark.django_db
def test_home_query_count(client, django_assert_num_queries):
    Sector.objects.create(slug="chimie", name="Chimie")
    Sector.objects.create(slug="metal", name="Métallurgie")
    # 1. the next 6 public events, 2. the featured trades, 3. the latest BMO year (none
    # imported: no sum), 4. the sectors ordered by name. No session, no user, no nav query.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_navigation_has_no_dead_link(client):
    html = body(client.get("/mentions-legales/"))
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    links = {a.text: a.attrs["href"] for a in find_all(nav, "a")}

    assert list(links) == ["Accueil", "Métiers", "Événements", "Pour qui ?"]
    for label, href in links.items():
        assert href != "#", label
        path, _, fragment = href.partition("#")
        home_html = body(client.get(path))
        if fragment:
            # A section of a page that exists.
            assert f'id="{fragment}"' in home_html, label


@pytest.mark.django_db
def test_navigation_marks_the_current_page():
    assert [item["current"] for item in nav_items("/")] == [True, False, False, False]
    assert not any(item["current"] for item in nav_items("/accessibilite/"))


@pytest.mark.django_db
def test_privacy_page_states_no_tracking_and_minimal_data(client):
    html = body(client.get("/donnees-personnelles/"))

    assert "Aucun cookie de suivi" in html
    assert "aucun nom d'élève" in html
    assert "CNIL" in html


@pytest.mark.django_db
def test_accessibility_page_is_an_rgaa_declaration(client):
    html = body(client.get("/accessibilite/"))
    headings = [h.text for h in find_all(html, "h2")]

    assert "État de conformité" in headings
    assert "Retour d'information et contact" in headings
    assert "Voies de recours" in headings
    assert "partiellement conforme" in html
    assert "Défenseur des droits" in html


@pytest.mark.django_db
def test_legal_pages_show_configured_publisher_contact(client, settings):
    settings.SITE_PUBLISHER = "Opco 2i"
    settings.SITE_CONTACT_EMAIL = "contact@example.org"

    for url in PAGES[1:]:
        html = body(client.get(url))
        assert 'href="mailto:contact@example.org"' in html, url
    assert "Opco 2i" in body(client.get("/mentions-legales/"))


@pytest.mark.django_db
def test_pages_refuse_post(client):
    assert client.post("/").status_code == 405


def test_robots_txt_allows_all_but_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)


@pytest.mark.django_db
def test_unknown_url_gets_french_404_with_debug_off(client, settings):
    settings.DEBUG = False

    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = body(response)
    assert find_all(html, "html")[0].attrs["lang"] == "fr"
    assert [h.text for h in find_all(html, "h1")] == ["Page introuvable"]
    assert find_all(html, "meta", name="robots")[0].attrs["content"] == "noindex"
    assert find_all(html, "link", rel="canonical") == []
    assert len(find_all(html, "a", class_="skip-link")) == 1


def test_error_handlers_are_wired():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(404) is views.page_not_found
    assert resolver.resolve_error_handler(500) is views.server_error


def test_500_renders_without_database_or_context_processors(settings):
    # No django_db mark: any query would raise. A broken context processor must not matter.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["vocations.does_not_exist.broken"]},
        }
    ]
    request = RequestFactory().get("/")

    response = views.server_error(request)

    assert response.status_code == 500
    html = body(response)
    assert find_all(html, "html")[0].attrs["lang"] == "fr"
    assert [h.text for h in find_all(html, "h1")] == ["Le site rencontre un problème"]
    assert find_all(html, "a")[0].attrs["href"] == "#contenu"


def test_500_falls_back_to_plain_html_when_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("template loader down")

    monkeypatch.setattr(views.loader, "get_template", broken)

    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Le site rencontre un problème" in body(response)


@pytest.mark.urls("vocations.web.tests.urls_failing")
def test_crashing_view_answers_french_500_with_debug_off(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get(reverse("boom"))

    assert response.status_code == 500
    assert "Le site rencontre un problème" in body(response)


def test_permission_denied_is_french(client, settings):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from vocations.web.views import permission_denied

    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied("Seul un propriétaire peut faire cela."))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in body and "Seul un propriétaire peut faire cela." in body


@pytest.mark.django_db
def test_home_near_me_form_hands_the_postal_code_to_the_finder(client):
    from vocations.events.finder import PARAMS

    html = body(client.get("/"))

    form = find_all(html, "form", class_="near-me")[0]
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == "/evenements/"
    names = {i.attrs["name"] for i in find_all(html, "input") + find_all(html, "select")}
    assert {PARAMS["postal_code"], PARAMS["radius"]} <= names
    labels = {label.attrs["for"]: label.text for label in find_all(html, "label")}
    assert labels["accueil-code-postal"] == "Code postal"


@pytest.mark.django_db
def test_home_lists_the_next_six_public_events_nationwide(client):
    from vocations.api.tests.factories import make_event, make_organization, moment

    org = make_organization()
    for day in range(1, 9):
        make_event(organization=org, title=f"Événement du jour {day}", starts_at=moment(day))
    make_event(organization=org, title="Refusé", starts_at=moment(0, 10), label_state="refused")

    html = body(client.get("/"))

    section = html.split('id="evenements"')[1].split("</section>")[0]
    titles = [h.text for h in find_all(section, "h4")]
    assert titles == [f"Événement du jour {day}" for day in range(1, 7)]


@pytest.mark.django_db
def test_home_shows_featured_trades_and_the_quiz(client):
    from vocations.careers.models import Trade

    for i in range(8):
        Trade.objects.create(
            rome_code=f"H29{i:02d}", title=f"Métier {i}", slug=f"metier-{i}", is_featured=True
        )
    Trade.objects.create(rome_code="H3000", title="Métier ordinaire", slug="ordinaire")

    html = body(client.get("/"))

    section = html.split('id="metiers"')[1].split("</section>")[0]
    assert [li.text.split(" (")[0] for li in find_all(section, "li")] == [
        f"Métier {i}" for i in range(6)
    ]
    links = {a.text: a.attrs["href"] for a in find_all(section, "a")}
    assert (
        links["Quel métier est fait pour toi ? Fais le quiz"] == "/quel-metier-est-fait-pour-toi/"
    )


@pytest.mark.django_db
def test_home_adds_the_bmo_total_of_the_latest_year_when_imported(client):
    from vocations.api.tests.factories import make_geography
    from vocations.territories.models import EmploymentArea, HiringNeed

    assert "enquête BMO" not in body(client.get("/"))
    cache.clear()
    geo = make_geography()
    lyon = EmploymentArea.objects.create(code="8401", name="Lyon", department=geo["69"])
    brest = EmploymentArea.objects.create(code="5301", name="Brest", department=geo["29"])
    for area, projects in ((lyon, 250_000), (brest, 120_340), (brest, None)):
        HiringNeed.objects.create(
            year=2025, bmo_code=str(projects), bmo_name="M", employment_area=area, projects=projects
        )
    HiringNeed.objects.create(
        year=2024, bmo_code="X", bmo_name="M", employment_area=lyon, projects=7
    )

    html = body(client.get("/"))

    figures = [li.text for li in find_all(html, "li", class_="figure figure--bmo")]
    assert len(figures) == 1
    assert "projets de recrutement en 2025" in figures[0]
    assert "370\u202f340" in html
