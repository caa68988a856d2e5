"""Check-in at the door on a phone: an organizer checks a class in by its ticket number.

The camera cannot run in headless Chromium (no device, no permission prompt), so the test types
the ticket number, which goes through the same script, queue and JSON endpoint as a QR code
read by the camera. The camera path itself is described in docs/checkin.md.
"""

from __future__ import annotations

from pathlib import Path

from vocations.accounts.models import Membership, Organization, User
from vocations.events.models import Registration
from vocations.events.services import registration_create
from vocations.events.tests.test_registrations_support import (
    group,
    make_department,
    make_event,
    person,
)

PASSWORD = "mot-de-passe-de-test"
AXE_JS = next(
    (Path(__file__).resolve().parents[2] / "vocations/web/static/vendor").glob(
        "axe-core-*/axe.min.js"
    )
)


def _serious_axe_violations(page) -> list[str]:
    """axe-core (vendored, injected by the test only): serious or critical violations."""
    # Evaluated, not added as an inline <script>: the page's CSP refuses inline scripts.
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )


def _scene():
    make_department("69")
    forges = Organization.objects.create(name="Forges de Lyon", slug="forges", kind="company")
    owner = User.objects.create_user("owner@forges.fr", PASSWORD)
    Membership.objects.create(user=owner, organization=forges, role="owner")
    event = make_event(forges, title="Portes ouvertes aux Forges", capacity=60)
    klass = registration_create(event=event, data=group(pupils=25, adults=2))
    registration_create(event=event, data=person("lea@example.fr"))
    return event, klass


def test_organizer_checks_a_class_in_at_phone_width(open_page, screenshot_dir):
    event, klass = _scene()
    page = open_page("/organisateur/connexion/", width=390, height=844)
    page.get_by_label("Adresse e-mail").fill("owner@forges.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")

    page.goto(f"/organisateur/evenements/{event.pk}/")
    page.get_by_role("link", name="Accueil (check-in)").click()
    page.wait_for_url(f"**/evenements/{event.pk}/accueil/")
    assert page.locator("#count-arrived").inner_text() == "0"
    assert page.locator("#count-expected").inner_text() == "28"
    # The script shows the camera button (the browser has mediaDevices on localhost).
    assert page.get_by_role("button", name="Scanner avec la caméra").is_visible()

    # The short code typed as read aloud: in lower case, with a space for the dash.
    code = klass.short_code
    page.get_by_label("Code du billet").fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_role("button", name="Valider l'arrivée").click()
    result = page.locator("#checkin-result")
    result.get_by_text("Bienvenue").wait_for()
    assert "Collège Jean Moulin" in result.inner_text()
    assert "Paul Durand" in result.inner_text()
    page.wait_for_function("() => document.getElementById('count-arrived').textContent === '27'")

    # 24 pupils came out of 25: the staff member corrects and confirms.
    page.get_by_label("Élèves présents").fill("24")
    page.get_by_role("button", name="Confirmer la présence").click()
    result.get_by_text("Présence enregistrée : 26 personnes").wait_for()
    page.wait_for_function("() => document.getElementById('count-arrived').textContent === '26'")
    registration = Registration.objects.get(pk=klass.pk)
    assert registration.attended == 26 and registration.checked_in_at is not None
    page.screenshot(path=str(screenshot_dir / "checkin-390.png"), full_page=True)
    assert _serious_axe_violations(page) == []

    # The same ticket again: a warning with the time of the first scan, nothing counted.
    page.get_by_label("Code du billet").fill(klass.short_code_display)
    page.get_by_role("button", name="Valider l'arrivée").click()
    result.get_by_text("Déjà scanné à").wait_for()
    assert result.locator("[data-status=already]").count() == 1
    assert page.locator("#count-arrived").inner_text() == "26"
    assert Registration.objects.get(pk=klass.pk).attended == 26
    page.screenshot(path=str(screenshot_dir / "checkin-already-390.png"), full_page=True)

    # Nothing left in the resend queue, and no request left the server.
    queue = page.evaluate(f"localStorage.getItem('vocations-checkin-{event.pk}')")
    assert queue == "[]"
    assert open_page.offsite_requests == []


def test_a_scan_whose_answer_is_lost_is_resent_and_counted_once(open_page):
    """Slow network: the server recorded the scan but the phone never got the answer."""
    event, klass = _scene()
    page = open_page("/organisateur/connexion/", width=390, height=844)
    page.get_by_label("Adresse e-mail").fill("owner@forges.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")
    page.goto(f"/organisateur/evenements/{event.pk}/accueil/")

    lost = []

    def lose_first_answer(route):
        if not lost:
            route.fetch()  # the server does its work...
            lost.append(route.request.post_data)
            route.abort("connectionreset")  # ...and the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/accueil/scan/", lose_first_answer)
    page.get_by_label("Code du billet").fill(klass.ticket_code)
    page.get_by_role("button", name="Valider l'arrivée").click()
    page.get_by_text("En attente de réseau").wait_for()
    pending = page.evaluate(f"JSON.parse(localStorage.getItem('vocations-checkin-{event.pk}'))")
    assert len(pending) == 1 and pending[0]["fields"] == {"ticket": klass.ticket_code}
    assert Registration.objects.get(pk=klass.pk).attended == 27  # the server did count it

    # Resent automatically with the same scan id: answered as the first scan, not "déjà scanné".
    page.locator("#checkin-result").get_by_text("Bienvenue").wait_for(timeout=10_000)
    assert page.locator("#count-arrived").inner_text() == "27"
    assert page.locator("#checkin-network").inner_text() == ""
    assert page.evaluate(f"localStorage.getItem('vocations-checkin-{event.pk}')") == "[]"
    assert len(lost) == 1
