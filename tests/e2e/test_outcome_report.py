"""The event outcome report in a real browser: reached from the event's menu, no serious
axe-core violation (desktop and phone), the PDF downloads and holds the figures; the campaign
dashboard reached from the back-office menu has no serious violation either."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from vocations.accounts.models import Membership, Organization, User
from vocations.analytics.tests.support import build_world
from vocations.events.services import registration_check_in, registration_create
from vocations.events.services.coverage import media_article_create, outcome_facts_update
from vocations.events.tests.test_registrations_support import group, make_department, make_event

from .test_accessibility import _readable, _run_axe

PASSWORD = "mot-de-passe-de-test"
BLOCKING = {"serious", "critical"}


def _sign_in(open_page, email: str, *, width: int = 1280):
    page = open_page("/organisateur/connexion/", width=width)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")
    return page


def _event():
    make_department("69")
    make_department("29")
    org = Organization.objects.create(name="Usine Extra", slug="usine-extra", kind="company")
    owner = User.objects.create_user("owner@usine.fr", PASSWORD)
    Membership.objects.create(user=owner, organization=org, role="owner")
    event = make_event(org, title="Usine extraordinaire", capacity=500)
    team = User.objects.create_user("equipe@campagne.fr", PASSWORD, is_staff=True)
    a = registration_create(event=event, data=group(25, 2, email="a@college.fr"))
    registration_create(
        event=event, data=group(18, 2, email="c@lycee.fr", uai="0291999C", origin_department="29")
    )
    registration_check_in(actor=team, event=event, ticket=a.ticket_code, attended=26)
    media_article_create(
        actor=owner,
        event=event,
        outlet="Le Progrès",
        published_on=event.starts_at.date(),
        reach=150_000,
    )
    outcome_facts_update(actor=owner, event=event, vip_count=13, vip_note="ministres")
    return event


def _blocking(page) -> list[dict]:
    return [v for v in _run_axe(page) if v["impact"] in BLOCKING]


def test_outcome_report_page_and_pdf_download(open_page, screenshot_dir):
    event = _event()
    page = _sign_in(open_page, "owner@usine.fr")
    page.goto(f"/organisateur/evenements/{event.pk}/bilan/")
    page.get_by_role("navigation", name="Gestion de l'événement").get_by_role(
        "link", name="Rapport de bilan"
    ).click()
    page.wait_for_url(f"**/evenements/{event.pk}/bilan/rapport/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Rapport de bilan — Usine extraordinaire"
    )
    violations = _blocking(page)
    assert not violations, _readable(page.url, violations)
    page.screenshot(path=str(screenshot_dir / "outcome-report.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"bilan-{event.slug}.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Bilan — Usine extraordinaire" in text
    assert "43" in text and "ministres" in text and "Le Progrès" in text  # 25 + 18 pupils

    phone = _sign_in(open_page, "owner@usine.fr", width=390)
    phone.goto(f"/organisateur/evenements/{event.pk}/bilan/rapport/")
    violations = _blocking(phone)
    assert not violations, _readable(phone.url, violations)
    phone.screenshot(path=str(screenshot_dir / "outcome-report-390.png"), full_page=True)


def test_campaign_dashboard_from_the_menu_has_no_serious_violation(open_page, screenshot_dir):
    world = build_world()
    User.objects.create_user("staff@campagne.fr", PASSWORD, is_staff=True)
    page = _sign_in(open_page, "staff@campagne.fr")
    page.get_by_role("navigation", name="Espace organisateur").get_by_role(
        "link", name="Résultats"
    ).click()
    page.get_by_role("link", name=world.campaign.name).click()
    page.wait_for_url(f"**/resultats/{world.campaign.pk}/")
    violations = _blocking(page)
    assert not violations, _readable(page.url, violations)
    page.get_by_role("link", name="Jour par jour autour des diffusions TV").click()
    violations = _blocking(page)
    assert not violations, _readable(page.url, violations)
    page.screenshot(path=str(screenshot_dir / "campaign-series.png"), full_page=True)
