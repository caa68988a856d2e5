"""Scan a billboard's QR code, land on the event page, register through the real registration
form, see it in the wave report and in the placement's per-city table.

The visit key travels in the address (`?v=`) from the event page to the form, then in the form's
hidden `visit_key` field; the registration view calls attribute_registration (docs/analytics.md).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from vocations.accounts.models import User
from vocations.analytics.models import Attribution, Visit
from vocations.analytics.tasks import flush_visits
from vocations.analytics.tests.support import build_world
from vocations.campaigns.models import TrackedLink
from vocations.events.models import Registration
from vocations.territories.models import Commune

PASSWORD = "mot-de-passe-de-test"
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def test_billboard_qr_scan_to_registration_to_wave_report(
    browser, live_server, transactional_db, settings, screenshot_dir
):
    world = build_world()
    # The billboard placement of the wave has one tracked link per city: Lyon's is the one scanned.
    TrackedLink.objects.filter(pk=world.billboard_link.pk).update(
        commune=Commune.objects.get(insee_code="69123"), label="Affiche Lyon"
    )
    User.objects.create_user("staff@campagne.fr", PASSWORD, is_staff=True)

    # A phone scans the billboard's QR code: /l/<code>?s=qr.
    phone = browser.new_context(
        base_url=live_server.url, user_agent=MOBILE_UA, viewport={"width": 390, "height": 844}
    )
    page = phone.new_page()
    page.goto(f"/l/{world.billboard_link.code}?s=qr&utm_campaign=vague1")
    landed = urlsplit(page.url)
    assert landed.path == f"/evenements/{world.event.slug}/"
    visit_key = parse_qs(landed.query)["v"][0]
    assert page.get_by_role("heading", level=1).inner_text() == world.event.title
    assert phone.cookies() == []  # measured without a single cookie
    visit = Visit.objects.get(visit_key=visit_key)
    assert (visit.source, visit.placement_id, visit.device) == ("qr", world.billboard.pk, "mobile")

    # The visitor follows "S'inscrire": the form's address and its hidden field carry the key.
    page.get_by_role("link", name="S'inscrire").click()
    page.wait_for_url(f"**/evenements/{world.event.slug}/inscription/**")
    assert parse_qs(urlsplit(page.url).query)["v"] == [visit_key]
    assert page.locator('input[name="visit_key"]').get_attribute("value") == visit_key
    page.get_by_label("Votre prénom").fill("Léa")
    page.get_by_label("Votre nom").fill("Martin")
    page.get_by_label("Votre adresse e-mail").fill("lea@example.fr")
    page.get_by_label("Jeune", exact=True).check()
    page.get_by_label("Votre âge").select_option("15_17")
    page.get_by_label("J'accepte que ces informations servent uniquement").check()
    page.get_by_role("button", name="Valider mon inscription").click()
    page.wait_for_url(re.compile(r".*/inscription/[^/]+/confirmation/(#.*)?$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Inscription confirmée"
    registration = Registration.objects.get(email="lea@example.fr")
    # The registration view attributed it to the billboard through the carried key.
    attribution = Attribution.objects.get(registration=registration)
    assert (attribution.last_placement_id, attribution.last_link_id) == (
        world.billboard.pk,
        world.billboard_link.pk,
    )
    assert Attribution.objects.count() == 1
    phone.close()

    # The worker rolls the visits up (celery beat in production; report pages never write).
    flush_visits()
    # The campaign team sees it in the wave report, reached from the back-office navigation.
    office = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    staff = office.new_page()
    staff.goto("/organisateur/connexion/")
    staff.get_by_label("Adresse e-mail").fill("staff@campagne.fr")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Se connecter").click()
    staff.wait_for_url("**/organisateur/")
    staff.get_by_role("navigation", name="Espace organisateur").get_by_role(
        "link", name="Résultats"
    ).click()
    staff.get_by_role("link", name=world.campaign.name).click()
    staff.wait_for_url(f"**/organisateur/resultats/{world.campaign.pk}/")
    row = staff.locator("#report-waves tr.report-placement", has_text="Affiches Lyon")
    cells = row.locator("td")
    # Dépense prévue, engagée, déclarée, portée, visites, visiteurs uniques, inscriptions
    # (dernier contact), inscriptions (premier contact), présents, coût par inscription…
    assert cells.nth(4).inner_text() == "1"
    assert cells.nth(5).inner_text() == "1"
    assert cells.nth(6).inner_text() == "1" and cells.nth(7).inner_text() == "1"
    wave_row = staff.locator("#report-waves tr.report-wave", has_text="Vague 1")
    assert wave_row.locator("td").nth(6).inner_text() == "1"
    # Lyon's territory row carries the visit; spend stays with the placement's own territory.
    territory = staff.locator("#report-territories tr", has_text="Rhône (69)")
    assert territory.locator("td").nth(4).inner_text() == "1"
    staff.screenshot(path=str(screenshot_dir / "analytics-wave-report.png"), full_page=True)

    # From the placement row to its per-city table: Lyon's billboard brought the registration.
    row.get_by_role("link", name="Affiches Lyon").click()
    staff.wait_for_url(f"**/emplacements/{world.billboard.pk}/**")
    city_row = staff.locator("#report-links tr.report-link", has_text="Affiche Lyon")
    city_cells = city_row.locator("td")
    # Ville, visites, visiteurs uniques, inscriptions, places, présents.
    assert city_cells.nth(0).inner_text() == "Lyon (69)"
    assert city_cells.nth(1).inner_text() == "1"
    assert city_cells.nth(3).inner_text() == "1"
    staff.screenshot(path=str(screenshot_dir / "analytics-placement-cities.png"), full_page=True)
    office.close()
