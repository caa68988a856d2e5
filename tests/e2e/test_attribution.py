"""Scan a billboard's QR code, land on the event page, register, see it in the wave report.

The event page has no registration form yet and no view calls attribute_registration yet: the
browser registers through the registration API (with the visit key carried in the page's
address), then the test calls attribute_registration as the registration view will
(docs/analytics.md, "Wiring").
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve

from vocations.accounts.models import User
from vocations.analytics.models import Attribution, Visit
from vocations.analytics.tests.support import build_world
from vocations.events.models import Registration

PASSWORD = "mot-de-passe-de-test"
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def _registration_api_mounted() -> bool:
    try:
        resolve("/api/v1/events/1/registrations")
    except (Resolver404, NoReverseMatch):
        return False
    return True


def test_billboard_qr_scan_to_registration_to_wave_report(
    browser, live_server, transactional_db, settings, screenshot_dir
):
    assert _registration_api_mounted()
    world = build_world()
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

    # The visitor registers from the event page, the key travelling with the form data.
    result = page.evaluate(
        """async ([eventId, key]) => {
            const response = await fetch(`/api/v1/events/${eventId}/registrations`, {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({kind: "individual", email: "lea@example.fr",
                    first_name: "Léa", last_name: "Martin", audience: "young_people",
                    age_bracket: "15_17", consent: true, visit_key: key}),
            });
            return {status: response.status, body: await response.json()};
        }""",
        [world.event.pk, visit_key],
    )
    assert result["status"] == 201, result
    registration = Registration.objects.get(pk=result["body"]["id"])
    # The registration endpoint attributed it to the billboard through the carried key.
    attribution = Attribution.objects.get(registration=registration)
    assert attribution.last_placement_id == world.billboard.pk
    assert Attribution.objects.count() == 1
    phone.close()

    # The campaign team sees it in the wave report.
    office = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    staff = office.new_page()
    staff.goto("/organisateur/connexion/")
    staff.get_by_label("Adresse e-mail").fill("staff@campagne.fr")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Se connecter").click()
    staff.wait_for_url("**/organisateur/")
    staff.goto(f"/organisateur/resultats/{world.campaign.pk}/")
    row = staff.locator("#report-waves tr.report-placement", has_text="Affiches Lyon")
    cells = row.locator("td")
    # Dépense, portée, visites, visiteurs uniques, inscriptions, places, présents, coût.
    assert cells.nth(2).inner_text() == "1"
    assert cells.nth(4).inner_text() == "1"
    wave_row = staff.locator("#report-waves tr.report-wave", has_text="Vague 1")
    assert wave_row.locator("td").nth(4).inner_text() == "1"
    staff.screenshot(path=str(screenshot_dir / "analytics-wave-report.png"), full_page=True)
    office.close()
