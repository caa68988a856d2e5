"""Trades explorer, trade pages and branch pages: content, filters, bad input, query counts."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.careers.models import Branch, QualificationLevel, Sector, Trade
from vocations.careers.services.search_index import rebuild_search_index
from vocations.events.models import Event, Label
from vocations.territories.models import Department, EmploymentArea, HiringNeed, Region

from .html import find_all


def text(response) -> str:
    return html.unescape(response.content.decode())


def result_titles(response) -> list[str]:
    return [el.text.strip() for el in find_all(response.content.decode(), "h3")]


@pytest.fixture
def world(db):
    """A few trades, sectors, branches and levels, indexed."""
    metal = Sector.objects.create(slug="metallurgie", name="Métallurgie")
    food = Sector.objects.create(slug="agroalimentaire", name="Agroalimentaire")
    uimm = Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="Métallurgie")
    uimm.sectors.add(metal)
    ania = Branch.objects.create(
        slug="alimentaire", name="Industries alimentaires", short_name="Alimentaire"
    )
    ania.sectors.add(food)
    levels = {n: QualificationLevel.objects.create(level=n, label=f"Niveau {n}") for n in (3, 4, 5)}

    def trade(code, title, sector, branch, level_numbers, featured=True, description=""):
        t = Trade.objects.create(
            rome_code=code,
            title=title,
            slug=slugify(title),
            is_featured=featured,
            description=description or f"{title} : un métier de l'industrie.",
        )
        t.sectors.add(sector)
        t.branches.add(branch)
        t.qualification_levels.add(*(levels[n] for n in level_numbers))
        return t

    trades = {
        "welder": trade("H2913", "Soudeur / Soudeuse", metal, uimm, [3, 4]),
        "boiler": trade("H2902", "Chaudronnier / Chaudronnière", metal, uimm, [3, 4, 5]),
        "line": trade("H2102", "Conducteur / Conductrice de ligne", food, ania, [4]),
    }
    rebuild_search_index()
    return {"trades": trades, "metal": metal, "food": food, "uimm": uimm, "ania": ania}


def add_trades(world, count: int) -> None:
    for i in range(count):
        t = Trade.objects.create(
            rome_code=f"H{5000 + i}", title=f"Métier soudeur {i}", slug=f"metier-{i}"
        )
        t.sectors.add(world["metal"])
        t.branches.add(world["uimm"])
        t.qualification_levels.add(*QualificationLevel.objects.all())
    rebuild_search_index()


@pytest.fixture
def bmo(world):
    """Real BMO 2024 lines of bassin Rhône Est: welders 57 (48 difficult), boilermakers 49."""
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    rhone = Department.objects.create(code="69", name="Rhône", slug="rhone", region=region)
    Department.objects.create(code="01", name="Ain", slug="ain", region=region)
    area = EmploymentArea.objects.create(code="8430", name="RHONE EST", department=rhone)
    for code, name, projects, difficult in (
        ("D1X33", "Soudeurs", 57, 48),
        ("D1X30", "Ouvriers en chaudronnerie et tôlerie", 49, 19),
    ):
        HiringNeed.objects.create(
            year=2024,
            bmo_code=code,
            bmo_name=name,
            employment_area=area,
            department=rhone,
            projects=projects,
            difficult=difficult,
            masked=True,  # smet is "*" on both lines
        )
    return rhone


@pytest.mark.django_db
def test_explorer_lists_trades_with_code_sectors_levels(client, world):
    response = client.get("/metiers/")
    assert response.status_code == 200
    page = text(response)
    assert "3 métiers" in page
    assert "Code ROME H2913" in page
    assert "CAP/BEP, Bac, Bac+2" in page
    assert "Métallurgie" in page


@pytest.mark.django_db
def test_search_soudeuse_finds_the_welder_first(client, world):
    response = client.get("/metiers/", {"q": "Soudeuse"})
    assert result_titles(response)[0] == "Soudeur / Soudeuse"
    assert "1 métier pour « Soudeuse »" in text(response)


@pytest.mark.django_db
def test_filters_sector_branch_level(client, world):
    assert result_titles(client.get("/metiers/", {"secteur": "agroalimentaire"})) == [
        "Conducteur / Conductrice de ligne"
    ]
    assert set(result_titles(client.get("/metiers/", {"branche": "metallurgie"}))) == {
        "Soudeur / Soudeuse",
        "Chaudronnier / Chaudronnière",
    }
    assert result_titles(client.get("/metiers/", {"niveau": "5"})) == [
        "Chaudronnier / Chaudronnière"
    ]
    combined = client.get("/metiers/", {"q": "soudeur", "secteur": "agroalimentaire"})
    assert result_titles(combined) == []
    assert "Aucun métier ne correspond" in text(combined)


@pytest.mark.django_db
def test_filter_values_stay_in_a_shareable_url(client, world):
    add_trades(world, 30)
    response = client.get("/metiers/", {"q": "soudeur", "secteur": "metallurgie"})
    page = response.content.decode()
    assert "?q=soudeur&amp;secteur=metallurgie&amp;page=2" in page
    second = client.get("/metiers/?q=soudeur&secteur=metallurgie&page=2")
    assert second.status_code == 200
    assert len(result_titles(second)) == 31 - 24


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "' OR 1=1; DROP TABLE careers_trade; --"},
        {"q": "x" * 10_000},
        {"q": "🔥👩‍🏭"},
        {"q": "!!!"},
        {"q": "\x00soudeur"},
        {"secteur": "inconnu", "branche": "<script>", "niveau": "99", "departement": "ZZ"},
        {"page": "abc"},
        {"page": "99999"},
    ],
)
def test_bad_input_gives_a_normal_page(client, world, params):
    response = client.get("/metiers/", params)
    assert response.status_code == 200
    assert Trade.objects.count() == 3
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


@pytest.mark.django_db
def test_unknown_filters_are_reported_in_french(client, world):
    page = text(client.get("/metiers/", {"secteur": "inconnu", "niveau": "9"}))
    assert "Filière inconnue : filtre ignoré." in page
    assert "Niveau inconnu : filtre ignoré." in page


@pytest.mark.django_db
def test_sorting_by_local_hiring_need(client, world, bmo):
    response = client.get("/metiers/", {"departement": "69"})
    titles = result_titles(response)
    assert titles[:2] == ["Soudeur / Soudeuse", "Chaudronnier / Chaudronnière"]
    page = text(response)
    assert "57 projets de recrutement en 2024" in page
    assert "Triés par projets de recrutement dans le département Rhône" in page
    # A département without figures: relevance order and a French note.
    empty = client.get("/metiers/", {"departement": "01"})
    assert "Aucun chiffre de besoin de recrutement" in text(empty)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_explorer_query_count_does_not_grow_with_rows(client, world, bmo):
    # Sectors, branches, départements (3); search: one query when whole words match (1; the
    # trade id list without a search); page trades + sectors + levels (3); with a département:
    # latest year + totals + ROME codes of the results (3).
    small = {
        "/metiers/": _queries(client, "/metiers/"),
        "/metiers/?q=soudeur": _queries(client, "/metiers/?q=soudeur"),
        "/metiers/?q=soudeur&departement=69": _queries(
            client, "/metiers/?q=soudeur&departement=69"
        ),
    }
    add_trades(world, 40)
    large = {url: _queries(client, url) for url in small}
    assert large == small
    assert small["/metiers/"] == 7
    assert small["/metiers/?q=soudeur"] == 7
    assert small["/metiers/?q=soudeur&departement=69"] == 10


@pytest.fixture
def public_event(world):
    def make(title, *, days=10, trades=(), sectors=()):
        org = Organization.objects.get_or_create(
            slug="forges", defaults={"name": "Forges", "kind": "company"}
        )[0]
        start = timezone.now() + dt.timedelta(days=days)
        event = Event.objects.create(
            organization=org,
            kind="open_day",
            title=title,
            slug=slugify(title),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            is_published=True,
        )
        Label.objects.update_or_create(event=event, defaults={"state": Label.State.LABELLED})
        event.trades.add(*trades)
        event.sectors.add(*sectors)
        return event

    return make


@pytest.mark.django_db
def test_trade_page(client, world, bmo, public_event):
    welder = world["trades"]["welder"]
    public_event("Portes ouvertes soudure", trades=[welder])
    public_event("Ancien salon", days=-3, trades=[welder])
    response = client.get("/metiers/soudeur-soudeuse/", {"departement": "69"})
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Soudeur / Soudeuse</h1>" in page
    assert "Après la 3e : un CAP en 2 ans" in page
    assert "CAP/BEP" in page and "Bac" in page
    assert 'href="/branches/metallurgie/"' in page
    assert "Portes ouvertes soudure" in page
    assert "Ancien salon" not in page
    assert "« Soudeurs »" in page and "57 projets de recrutement" in page
    assert "Chaudronnier / Chaudronnière" in page  # related: same domain, shared sector
    assert '<meta property="og:title" content="Soudeur / Soudeuse — un métier' in page


@pytest.mark.django_db
def test_unknown_trade_or_branch_is_a_french_404(client, world):
    for url in ("/metiers/inconnu/", "/branches/inconnue/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in text(response)


@pytest.mark.django_db
def test_trade_page_query_count_does_not_grow(client, world, public_event):
    welder = world["trades"]["welder"]
    public_event("Un", trades=[welder])
    small = _queries(client, "/metiers/soudeur-soudeuse/")
    for i in range(5):
        public_event(f"Événement {i}", trades=[welder])
    add_trades(world, 10)
    assert _queries(client, "/metiers/soudeur-soudeuse/") == small
    # Trade + 5 prefetches (divisions, sectors, branches, levels, appellations); national need
    # (latest year: none, so no totals); DARES tension of its FAP trades; pay and share of
    # women of its family; events; related trades.
    assert small == 11


@pytest.mark.django_db
def test_branch_pages(client, world, public_event):
    public_event("Forum des métiers du métal", sectors=[world["metal"]])
    public_event("Salon alimentaire", sectors=[world["food"]])
    listing = text(client.get("/branches/"))
    assert "Industries alimentaires" in listing and "2 métiers" in listing
    page = text(client.get("/branches/metallurgie/"))
    assert "Les entreprises de la branche Métallurgie recrutent" in page  # default message
    assert "Soudeur / Soudeuse" in page
    assert "Forum des métiers du métal" in page
    assert "Salon alimentaire" not in page
    assert "Modifier cette page" not in page


def test_the_reason_for_a_missing_local_figure_is_true():
    from vocations.territories.models import Department
    from vocations.web.careers.labour import _missing_reason

    spm = Department(code="975", name="Saint-Pierre-et-Miquelon")
    rhone = Department(code="69", name="Rhône")
    base = {"year": 2024, "projects": 0, "difficult": 0, "masked_areas": 0}
    not_covered = _missing_reason({**base, "lines": 0, "surveyed": False}, spm)
    assert not_covered.startswith("L'enquête BMO 2024 ne couvre pas Saint-Pierre-et-Miquelon")
    nobody = _missing_reason({**base, "lines": 0, "surveyed": True}, rhone)
    assert nobody.startswith("Aucun employeur n'a déclaré de projet")
    masked = _missing_reason({**base, "lines": 3, "masked_areas": 3}, rhone)
    assert masked.startswith("Chiffre non publié : France Travail le masque dans 3 bassins")
    assert _missing_reason({**base, "lines": 2, "projects": 57}, rhone) == ""


def test_trade_page_says_the_survey_does_not_cover_a_territory(client, world, bmo):
    from vocations.territories.models import Commune, Department, PostalCode, Region

    region = Region.objects.create(code="975", name="Saint-Pierre-et-Miquelon", slug="spm")
    spm = Department.objects.create(
        code="975", name="Saint-Pierre-et-Miquelon", slug="spm", region=region
    )
    commune = Commune.objects.create(
        insee_code="97502", name="Saint-Pierre", department=spm, region=region, population=5700
    )
    PostalCode.objects.create(code="97500", commune=commune)
    page = text(client.get("/metiers/soudeur-soudeuse/", {"cp": "97500"}))
    assert "ne couvre pas Saint-Pierre-et-Miquelon" in page
    assert "0 projet" not in page
