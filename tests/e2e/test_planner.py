"""The next-wave planner in Chromium: plan list, the inputs form, the result page (charts,
map, tables) pass axe-core; a plan is made from the form."""

from __future__ import annotations

from vocations.planner.tests.conftest import PASSWORD, build_history

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe


def _axe(page, path):
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable(path, blocking)


def test_planner_pages_pass_axe_and_make_a_plan(open_page, screenshot_dir):
    history = build_history()
    plans = f"/organisateur/campagnes/{history.campaign.pk}/plans/"
    page = open_page(f"/organisateur/connexion/?next={plans}", width=1280)
    page.get_by_label("Adresse e-mail").fill("editor@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{plans}")
    page.get_by_role("heading", level=1, name="Planifier la prochaine vague").wait_for()
    _axe(page, plans)

    page.get_by_role("link", name="Nouveau plan").click()
    page.get_by_role("heading", level=1, name="Nouveau plan de vague").wait_for()
    _axe(page, plans + "nouveau/")
    page.get_by_label("Nom du plan").fill("Vague 4 — essai")
    page.get_by_label("Vague à planifier").select_option(label=str(history.next_wave))
    page.get_by_label("Budget de la vague (€)").fill("2 600 000")
    page.get_by_label("Frais fixes (production, agence) (€)").fill("100 000")
    page.get_by_label("Début").fill("2027-02-01")
    page.get_by_label("Fin").fill("2027-03-07")
    # Celery runs eagerly here: the response (a redirect to the finished plan) comes once the
    # plan is computed, which takes minutes on a loaded machine.
    page.set_default_timeout(600_000)
    page.get_by_role("button", name="Calculer le plan").click()
    page.get_by_role("heading", name="Courbes de réponse").wait_for()
    _axe(page, "plan result")
    assert page.locator("svg polygon").count() >= 4  # one band per fitted channel
    page.screenshot(path=str(screenshot_dir / "planner-result-1280.png"), full_page=True)
