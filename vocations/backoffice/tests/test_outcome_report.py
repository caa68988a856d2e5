"""The event outcome report screens: page with charts, PDF, CSV, XLSX, the press coverage and
officials forms, permissions, query counts, and the campaign's social figures."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from vocations.accounts.models import Membership, Organization, User
from vocations.analytics.event_media import event_media_figures
from vocations.analytics.tests.support import build_world
from vocations.campaigns.models import MediaFigure, TrackedLink
from vocations.events.models import MediaArticle, Registration
from vocations.events.services import registration_check_in, registration_create
from vocations.events.services.coverage import media_article_create, outcome_facts_update
from vocations.events.tests.test_registrations_support import (
    group,
    make_department,
    make_event,
)

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def scene():
    """An event with three classes from the Rhône and Finistère, 2 articles, 13 officials."""
    make_department("69")
    make_department("29")
    org = Organization.objects.create(name="Usine Extra", slug="usine-extra", kind="company")
    owner = User.objects.create_user("owner@usine.fr", PASSWORD)
    viewer = User.objects.create_user("viewer@usine.fr", PASSWORD)
    Membership.objects.create(user=owner, organization=org, role="owner")
    Membership.objects.create(user=viewer, organization=org, role="viewer")
    event = make_event(org, title="Usine extraordinaire", capacity=500)
    team = User.objects.create_user("equipe@campagne.fr", PASSWORD, is_staff=True)
    a = registration_create(event=event, data=group(25, 2, email="a@college.fr"))
    registration_create(event=event, data=group(30, 3, email="b@lycee.fr", uai="0291234B"))
    registration_create(
        event=event,
        data=group(18, 2, email="c@lycee.fr", uai="0291999C", origin_department="29"),
    )
    registration_check_in(actor=team, event=event, ticket=a.ticket_code, attended=26)
    day = event.starts_at.date()
    media_article_create(
        actor=owner, event=event, outlet="Le Progrès", published_on=day, reach=150_000
    )
    media_article_create(
        actor=owner,
        event=event,
        outlet='=HYPERLINK("http://evil")',
        published_on=day,
        title="+ de 10 000 élèves",
    )
    outcome_facts_update(actor=owner, event=event, vip_count=13, vip_note="ministres")
    return {"event": event, "owner": owner, "viewer": viewer, "org": org}


def _url(event, tail=""):
    return f"/organisateur/evenements/{event.pk}/bilan/{tail}"


def test_report_page_shows_the_figures_and_charts(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    response = client.get(_url(event, "rapport/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rapport de bilan" in body and "<svg" in body
    assert 'id="outcome-report-departments"' in body
    assert "2\u00a0retombées" not in body  # counts are numbers, not text
    assert "13</strong> personnalités officielles" in body
    assert "150\u00a0000" in body  # the declared reach
    assert "Ajouter une retombée presse" in body
    # The event menu leads here.
    assert f'href="{_url(event, "rapport/")}"' in body


def test_viewer_sees_the_report_but_cannot_record(client, scene):
    event = scene["event"]
    client.force_login(scene["viewer"])
    body = client.get(_url(event, "rapport/")).content.decode()
    assert "Ajouter une retombée presse" not in body
    response = client.post(
        _url(event, "presse/ajouter/"), {"outlet": "Le Monde", "published_on": "2027-03-01"}
    )
    assert response.status_code == 403
    assert MediaArticle.objects.count() == 2


def test_other_organizations_get_a_404(client, scene):
    event = scene["event"]
    stranger = User.objects.create_user("autre@usine.fr", PASSWORD)
    client.force_login(stranger)
    for tail in ("rapport/", "rapport.pdf", "rapport.csv", "rapport.xlsx"):
        assert client.get(_url(event, tail)).status_code == 404


def test_record_an_article_then_delete_it(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    day = event.starts_at.date().isoformat()
    response = client.post(
        _url(event, "presse/ajouter/"),
        {"outlet": "Ouest-France", "published_on": day, "url": "https://of.fr/a", "reach": "9000"},
    )
    assert response.status_code == 302
    article = MediaArticle.objects.get(outlet="Ouest-France")
    assert article.reach == 9000 and article.created_by == scene["owner"]
    response = client.post(_url(event, f"presse/{article.pk}/supprimer/"))
    assert response.status_code == 302 and not MediaArticle.objects.filter(pk=article.pk).exists()


def test_bad_article_is_refused_in_french_and_nothing_written(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    response = client.post(
        _url(event, "presse/ajouter/"),
        {"outlet": "", "published_on": "2001-01-01", "url": "ftp://x", "reach": "-4"},
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Le formulaire n'a pas été enregistré" in body
    assert "Indiquez une adresse web complète" in body
    assert "négative" in body
    assert MediaArticle.objects.count() == 2
    # The date far from the event: the service's message on the form.
    response = client.post(
        _url(event, "presse/ajouter/"), {"outlet": "Le Monde", "published_on": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "dans l'année" in html.unescape(response.content.decode())


def test_officials_form(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    response = client.post(_url(event, "faits/"), {"vip_count": "", "vip_note": ""})
    assert response.status_code == 302
    body = client.get(_url(event, "rapport/")).content.decode()
    assert "non renseigné" in body


def test_pdf_parses_and_contains_the_figures(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    response = client.get(_url(event, "rapport.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bilan — Usine extraordinaire" in text
    assert "73" in text  # pupils: 25 + 30 + 18
    assert "ministres" in text and "Le Progrès" in text
    # The shipped font is embedded.
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("DejaVu-Sans" in name for name in fonts), fonts


def test_csv_and_xlsx_neutralize_formulas(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    response = client.get(_url(event, "rapport.csv"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "indicateur;valeur;précision"
    assert "Élèves inscrits (groupes confirmés);73;3 groupes" in lines
    assert "Personnalités officielles;13;ministres" in lines
    cells = [cell for row in csv.reader(lines, delimiter=";") for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'+ de 10 000 élèves" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    response = client.get(_url(event, "rapport.xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Bilan", "Départements", "Espaces", "Presse"]
    press = list(book["Presse"].iter_rows(values_only=True))[1:]
    outlets = {row[0] for row in press}
    assert '\'=HYPERLINK("http://evil")' in outlets
    assert any(row[2] == "'+ de 10 000 élèves" for row in press)
    bilan = {row[0]: row[1] for row in book["Bilan"].iter_rows(values_only=True)}
    assert bilan["Élèves inscrits (groupes confirmés)"] == 73  # numbers stay numbers
    assert bilan["Réseaux sociaux — Impressions"] == "non renseigné"


def test_report_page_query_count(client, scene):
    event = scene["event"]
    client.force_login(scene["owner"])
    client.get(_url(event, "rapport/"))
    with CaptureQueriesContext(connection) as small:
        client.get(_url(event, "rapport/"))
    for n in range(5):
        registration_create(
            event=event, data=group(10, 1, email=f"x{n}@college.fr", uai=f"069000{n}X")
        )
        media_article_create(
            actor=scene["owner"],
            event=event,
            outlet=f"Média {n}",
            published_on=event.starts_at.date(),
        )
    with CaptureQueriesContext(connection) as large:
        client.get(_url(event, "rapport/"))
    # 16: session, user, the scoped event, the 11 of the report (pools, sessions,
    # départements, audiences, schools, spaces, invitations, partners, journalists, articles,
    # officials), the placements promoting the event (none: no media-figure query), the
    # change permission for the forms. Not one per registration nor per article.
    assert len(large.captured_queries) == len(small.captured_queries) == 16


def test_social_figures_from_the_campaign_placement(client, scene):
    event = scene["event"]
    world = build_world()
    TrackedLink.objects.create(
        code="promo01",
        campaign=world.campaign,
        target_kind="event",
        placement=world.social,
        event=event,
        landing_path=f"/evenements/{event.slug}/",
    )
    for metric, value in (("impressions", 2_600_000), ("followers", 3_400)):
        MediaFigure.objects.create(
            placement=world.social,
            period_start=world.wave1.starts_on,
            period_end=world.wave1.starts_on + dt.timedelta(days=6),
            metric=metric,
            value_milli=value * 1000,
        )
    with CaptureQueriesContext(connection) as queries:
        figures = event_media_figures(event.pk)
    assert len(queries) == 2  # placements, figures by metric
    assert figures.placements == ["LinkedIn parents"]
    assert figures.get("impressions") == 2_600_000 and figures.get("engagements") is None
    client.force_login(scene["owner"])
    body = client.get(_url(event, "rapport/")).content.decode()
    assert "2\u00a0600\u00a0000" in body and "non déclaré" in body


def test_registration_attendance_counts_once(scene):
    # The report's visitors are people counted present at check-in.
    assert Registration.objects.filter(attended__isnull=False).count() == 1


def test_pdf_is_rendered_again_only_when_the_figures_change(client, scene, monkeypatch):
    import weasyprint
    from django.core.cache import cache

    cache.clear()
    event = scene["event"]
    client.force_login(scene["owner"])
    renders = []
    real = weasyprint.HTML.write_pdf
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self, *a, **k: renders.append(1) or real(self)
    )
    first = client.get(_url(event, "rapport.pdf")).content
    assert client.get(_url(event, "rapport.pdf")).content == first
    assert len(renders) == 1
    outcome_facts_update(actor=scene["owner"], event=event, vip_count=14, vip_note="ministres")
    client.get(_url(event, "rapport.pdf"))
    assert len(renders) == 2


def test_departments_of_origin_as_a_map(client, scene):
    """The territory view's map, coloured by pupils: the Rhône (two classes) darker than the
    Finistère (one), départements without a group grey; a picture (no links) on the page and
    in the PDF."""
    event = scene["event"]
    client.force_login(scene["owner"])
    body = html.unescape(client.get(_url(event, "rapport/")).content.decode())
    assert '<figure class="territory-map">' in body
    assert "<title>Rhône (69) : 55 élève(s), 2 groupe(s)</title>" in body
    assert "<title>Finistère (29) : 18 élève(s), 1 groupe(s)</title>" in body
    assert "<title>Ain (01) : aucun groupe</title>" in body
    fills = dict(
        re.findall(r'data-code="(\w+)"><title>[^<]*</title><path d="[^"]*" fill="(#\w+)"', body)
    )
    assert len({fills["69"], fills["29"], fills["01"]}) == 3
    assert fills["01"] == "#f0f0f0"
    assert '<g class="territory" data-code="69">' in body  # a picture, not a link
    printed = client.get(_url(event, "rapport.pdf")).content
    reader = PdfReader(io.BytesIO(printed))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Carte : élèves des groupes scolaires" in text and "Fonds de carte" in text
