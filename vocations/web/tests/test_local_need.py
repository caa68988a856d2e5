"""Trade pages and journeys with the local need of a postal code (real BMO 2024 lines)."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from vocations.accounts.models import Organization
from vocations.careers.models import Trade
from vocations.events.models import Event, Label
from vocations.territories.models import Commune, FamilyTension, TradeFamilyFigure
from vocations.territories.services import import_hiring_needs, load_geography
from vocations.territories.tests.conftest import DATA_DIR, MINI_GEOGRAPHY, write_geography


def page_text(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


@pytest.fixture
def market(db, tmp_path):
    """Mini geography, the real BMO 2024 extract, and DARES's real figures for welders."""
    load_geography(
        path=write_geography(tmp_path / "g.json.gz", json.loads(json.dumps(MINI_GEOGRAPHY)))
    )
    Commune.objects.filter(insee_code="69123").update(latitude=45.758, longitude=4.835)
    Commune.objects.filter(insee_code="13055").update(latitude=43.2965, longitude=5.3698)
    extract = (DATA_DIR / "bmo_2024_extract.csv").read_bytes()
    # Bassin 1118 straddles 77 and 91, absent from the mini geography: its lines are left out.
    result = import_hiring_needs(
        file=io.BytesIO(extract), filename="bmo.csv", valid_lines_only=True
    )
    assert result.created == 21
    # DARES 2019, FAP D2Z42 (Soudeurs): national, Rhône and Bouches-du-Rhône lines as shipped.
    for code, causes in (
        (None, (37100, 5, 5, 4, 2, 4, 3, 2)),
        ("69", (900, 5, 5, 4, 2, 3, 3, 2)),
    ):
        employment, level, *scores = causes
        FamilyTension.objects.create(
            year=2019,
            fap_code="D2Z42",
            department=None if code is None else Commune.objects.get(insee_code="69123").department,
            employment=employment,
            tension=level,
            hiring_intensity=scores[0],
            training_link=scores[1],
            labour_shortage=scores[2],
            non_durable=scores[3],
            working_conditions=scores[4],
            geographic_mismatch=scores[5],
        )
    TradeFamilyFigure.objects.create(
        fap_code="D2Z",
        label="Ouvriers qualifiés travaillant par formage de métal",
        median_wage=1756,
        wage_period="2017-2019",
        women_share=3.9,
        women_period="2017-2019",
    )
    welder = Trade.objects.create(rome_code="H2913", title="Soudeur / Soudeuse", slug="soudeur")
    Trade.objects.create(rome_code="H2912", title="Régleur / Régleuse", slug="regleur")
    cache.clear()
    return welder


def _event(title, *, trade, lat, lng, days=10):
    org = Organization.objects.get_or_create(slug="forges", defaults={"name": "Forges"})[0]
    start = timezone.now() + dt.timedelta(days=days)
    event = Event.objects.create(
        organization=org,
        kind="open_day",
        title=title,
        slug=title.lower().replace(" ", "-"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        is_published=True,
        latitude=lat,
        longitude=lng,
    )
    Label.objects.update_or_create(event=event, defaults={"state": Label.State.LABELLED})
    event.trades.add(trade)
    return event


def test_welder_page_for_69001_shows_the_rhone_figure_tension_and_pay(client, market):
    text = page_text(client.get("/metiers/soudeur/", {"cp": "69001"}))
    assert "Besoin de recrutement — Rhône (69)" in text
    # 57 + 21 + 43 + 15 + 14 published; three bassins masked.
    assert "150 projets de recrutement dans le département Rhône en 2024" in text
    assert "dont 136 jugés difficiles par les employeurs (91 %)" in text
    assert "Chiffre masqué dans 3 bassins d'emploi du département" in text
    assert "France Travail ne publie pas le chiffre" in text
    assert "Source : France Travail, enquête Besoins en main-d'œuvre (BMO) 2024." in text
    assert "« Soudeurs » (correspondance directe)" in text
    assert "Dans le département : tension très forte (5 sur 5)" in text
    assert "intensité d'embauches (5/5), lien formation-emploi (4/5)" in text
    assert "Source : DARES et France Travail, indicateur de tension 2019." in text
    assert "Salaire médian : 1 756 € net par mois" in text
    assert "famille « Ouvriers qualifiés travaillant par formage de métal »" in text
    assert "Part des femmes dans ces métiers : 3,9 %" in text
    # National: every line of the extract's welders (four départements).
    assert "projets de recrutement en France en 2024" in text


def test_pages_vary_by_postal_code_even_when_cached(client, market):
    rhone = page_text(client.get("/metiers/soudeur/", {"cp": "69001"}))
    marseille = page_text(client.get("/metiers/soudeur/", {"cp": "13001"}))
    again = page_text(client.get("/metiers/soudeur/", {"cp": "69001"}))
    assert "150 projets" in rhone and again == rhone
    # 18 + 7 + 78 + 32 + 32 in the Bouches-du-Rhône, nothing masked there.
    assert "167 projets de recrutement dans le département Bouches-du-Rhône" in marseille
    assert "Chiffre masqué" not in marseille


@pytest.mark.parametrize(
    ("cp", "note"),
    [("69", "5 chiffres"), ("abcde", "5 chiffres"), ("99999", "Aucune commune")],
)
def test_bad_postal_code_gets_a_french_note(client, market, cp, note):
    response = client.get("/metiers/soudeur/", {"cp": cp})
    assert response.status_code == 200
    text = page_text(response)
    assert note in text
    assert "dans le département" not in text
    assert "en France en 2024" in text  # the national figure stays


def test_nearby_events_showing_the_trade(client, market):
    _event("Portes ouvertes soudure Vénissieux", trade=market, lat=45.697, lng=4.886)
    _event("Forum soudure Marseille", trade=market, lat=43.2965, lng=5.3698)
    text = page_text(client.get("/metiers/soudeur/", {"cp": "69001"}))
    assert "à moins de 50 km de 69001" in text
    assert "Portes ouvertes soudure Vénissieux" in text and "(8 km)" in text
    assert "Forum soudure Marseille" not in text


def test_trade_without_bmo_trade_says_so(client, market):
    Trade.objects.create(rome_code="M1805", title="Développeur", slug="dev")
    text = page_text(client.get("/metiers/dev/", {"cp": "69001"}))
    assert "Pas encore de chiffre pour ce métier" in text


def test_job_seekers_journey_lists_industrial_trades_recruiting_nearby(client, market):
    response = client.get("/pour-qui/demandeurs-d-emploi/", {"code_postal": "69001"})
    text = page_text(response)
    assert "Les métiers de l'industrie qui recrutent le plus près de chez vous" in text
    assert "Soudeurs : 150 projets de recrutement, dont 91 % jugés difficiles" in text
    assert "(au moins : masqué dans 3 bassins)" in text
    assert "Régleurs : 41 projets de recrutement" in text
    assert text.index("Soudeurs :") < text.index("Régleurs :")
    assert 'href="/metiers/soudeur/?cp=69001"' in response.content.decode()
    assert "Source : France Travail, enquête BMO 2024, département Rhône (69)" in text


def test_career_changers_journey_too(client, market):
    text = page_text(client.get("/pour-qui/reconversion/", {"code_postal": "13001"}))
    assert "Soudeurs : 167 projets de recrutement" in text


def test_journey_query_count_with_postal_code(client, market, django_assert_num_queries):
    cache.clear()
    # 1. featured trades (none here, so no levels prefetch), 2. next events; postal code:
    # 3. communes of the code; 4. latest BMO year and 5. totals of the département; industrial
    # trades: 6. latest year, 7. top trades, 8. their trade pages.
    with django_assert_num_queries(8):
        client.get("/pour-qui/demandeurs-d-emploi/", {"code_postal": "69001"})
