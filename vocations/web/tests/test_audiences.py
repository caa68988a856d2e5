"""Audience journeys: what each audience needs, the events for it and the action that follows."""

from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from vocations.api.tests.factories import make_event, make_geography, make_organization
from vocations.careers.models import QualificationLevel, Trade
from vocations.events.finder import PARAMS
from vocations.events.models import Event
from vocations.territories.models import EmploymentArea, HiringNeed
from vocations.web.audiences.content import PAGES

from .html import find_all

SLUGS = ["jeunes", "parents", "demandeurs-d-emploi", "reconversion", "enseignants-et-prescripteurs"]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_one_page_per_audience_of_the_shared_vocabulary():
    assert [p.slug for p in PAGES] == SLUGS
    assert [p.code for p in PAGES] == [
        "young_people",
        "parents",
        "job_seekers",
        "career_changers",
        "advisers",
    ]


@pytest.mark.django_db
def test_audience_list_links_every_audience_page(client):
    html = html_of(client, "/pour-qui/")

    assert [h.text for h in find_all(html, "h1")] == ["Pour qui ?"]
    main = html.split("<main")[1].split("</main>")[0]
    links = [a.attrs["href"] for a in find_all(main, "a")]
    assert links == [f"/pour-qui/{slug}/" for slug in SLUGS]
    for href in links:
        assert client.get(href).status_code == 200


@pytest.mark.django_db
def test_main_navigation_leads_to_the_audience_list(client):
    html = html_of(client, "/")
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    links = {a.text: a.attrs["href"] for a in find_all(nav, "a")}

    assert links["Pour qui ?"] == "/pour-qui/"


def _finder_query(html: str) -> dict[str, list[str]]:
    box = html.split('class="action-box"')[1].split("</section>")[0]
    href = next(a.attrs["href"] for a in find_all(box, "a") if "/evenements/" in a.attrs["href"])
    assert urlsplit(href).path == "/evenements/"
    return parse_qs(urlsplit(href).query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "kinds"),
    [
        ("jeunes", ["orientation_fair", "company_visit", "open_day", "workshop"]),
        ("parents", ["open_day"]),
        ("demandeurs-d-emploi", ["recruitment_forum"]),
        ("reconversion", ["open_day", "recruitment_forum", "workshop", "conference"]),
        ("enseignants-et-prescripteurs", ["company_visit", "orientation_fair"]),
    ],
)
def test_each_page_links_the_finder_prefiltered_on_its_event_kinds(client, slug, kinds):
    html = html_of(client, f"/pour-qui/{slug}/")

    assert _finder_query(html) == {PARAMS["kind"]: kinds}
    # The finder understands the link: every kind is a real one.
    assert set(kinds) <= set(Event.Kind.values)
    assert len(find_all(html, "h1")) == 1


@pytest.mark.django_db
def test_adviser_page_offers_group_booking_without_pupil_names(client):
    html = html_of(client, "/pour-qui/enseignants-et-prescripteurs/")

    assert "sans aucun nom d'élève" in unescape(html)
    assert "10\u202f300" in html  # pupils at L'Usine extraordinaire (the Grand Palais report)
    assert "Réservez une visite pour votre classe" in html


@pytest.mark.django_db
def test_young_people_page_leads_to_the_quiz(client):
    html = html_of(client, "/pour-qui/jeunes/")

    links = {a.text: a.attrs["href"] for a in find_all(html, "a")}
    assert links["Faire le quiz « Quel métier est fait pour toi ? »"] == (
        "/quel-metier-est-fait-pour-toi/"
    )


@pytest.mark.django_db
def test_page_shows_next_public_events_of_its_kinds_only(client):
    org = make_organization()
    make_event(organization=org, title="Forum de l'emploi industriel", kind="recruitment_forum")
    make_event(organization=org, title="Portes ouvertes du lycée", kind="open_day")
    make_event(
        organization=org,
        title="Forum en brouillon",
        kind="recruitment_forum",
        label_state="draft",
    )

    html = html_of(client, "/pour-qui/demandeurs-d-emploi/")

    section = html.split('id="titre-evenements"')[1].split("</section>")[0]
    titles = [h.text for h in find_all(section, "h3")]
    assert titles == ["Forum de l'emploi industriel"]


@pytest.mark.django_db
def test_job_seekers_see_trades_open_with_a_cap_or_a_bac(client):
    cap = QualificationLevel.objects.create(level=3, label="CAP")
    master = QualificationLevel.objects.create(level=7, label="Bac + 5")
    welder = Trade.objects.create(
        rome_code="H2913", title="Soudeur / Soudeuse", slug="soudeur", is_featured=True
    )
    welder.qualification_levels.add(cap)
    engineer = Trade.objects.create(
        rome_code="H1206", title="Ingénieur / Ingénieure R&D", slug="ingenieur", is_featured=True
    )
    engineer.qualification_levels.add(master)

    jobs = html_of(client, "/pour-qui/demandeurs-d-emploi/")
    parents = html_of(client, "/pour-qui/parents/")

    assert "Soudeur / Soudeuse" in jobs and "Ingénieur / Ingénieure R&amp;D" not in jobs
    assert "Soudeur / Soudeuse" in parents and "Ingénieur / Ingénieure R&amp;D" in parents


@pytest.fixture
def hiring_need(db):
    geo = make_geography()
    area = EmploymentArea.objects.create(code="8401", name="Lyon", department=geo["69"])
    for bmo_code, projects, difficult in (("A1", 1200, 700), ("A2", 300, 100), ("A3", None, None)):
        HiringNeed.objects.create(
            year=2025,
            bmo_code=bmo_code,
            bmo_name="Métier",
            employment_area=area,
            projects=projects,
            difficult=difficult,
        )
    HiringNeed.objects.create(
        year=2024, bmo_code="A1", bmo_name="Métier", employment_area=area, projects=9999
    )
    return geo


def test_job_seekers_read_the_hiring_need_of_their_departement(client, hiring_need):
    html = html_of(client, "/pour-qui/demandeurs-d-emploi/?code_postal=69002")

    need = find_all(html, "p", class_="local-need")[0].text
    assert "En 2025" in need
    assert "Rhône (69)" in need
    assert "1 500 projets de recrutement, dont 800 jugés difficiles" in need
    assert "1\u202f500" in html  # a narrow no-break space: the figure never wraps
    # The visitor's postal code is in the URL, so the page is still the same for everyone.
    assert find_all(html, "meta", name="robots")[0].attrs["content"] == "noindex, follow"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("code_postal=abc", "5 chiffres"),
        ("code_postal=690021234567890", "5 chiffres"),
        ("code_postal=69002&code_postal=75001", "5 chiffres"),
        ("code_postal=%00%00", "5 chiffres"),
        ("code_postal=99999", "Aucune commune ne correspond au code postal 99999"),
    ],
)
def test_bad_postal_code_gets_a_french_note_not_an_error(client, query, note):
    html = html_of(client, f"/pour-qui/reconversion/?{query}")

    assert note in find_all(html, "p", class_="notice")[0].text
    assert find_all(html, "p", class_="local-need") == []


def test_departement_without_imported_need_says_so(client, hiring_need):
    html = html_of(client, "/pour-qui/reconversion/?code_postal=38000")

    assert "du département Isère (38) ne sont pas encore importés" in html


@pytest.mark.django_db
def test_unknown_audience_is_a_french_404(client, settings):
    settings.DEBUG = False

    response = client.get("/pour-qui/etudiants-martiens/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_audience_detail_query_count(client, django_assert_num_queries):
    # 1. featured trades at the page's levels, 2. their levels (prefetch),
    # 3. the next events of the page's kinds. No session, no user.
    Trade.objects.create(rome_code="H2913", title="Soudeur", slug="soudeur", is_featured=True)
    with django_assert_num_queries(3):
        client.get("/pour-qui/parents/")
