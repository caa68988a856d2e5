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
    # Celery runs eagerly here: the response (a redirect to the finished plan) comes once the
    # plan is computed (seconds; more on a loaded machine).
    page.set_default_timeout(600_000)
    _make_plan(page, history, "Vague 4 — essai", "2 600 000")
    _axe(page, "plan result")
    assert page.locator("svg polygon").count() >= 4  # one band per fitted channel
    page.get_by_role("table", name="réponse par département").wait_for()
    page.screenshot(path=str(screenshot_dir / "planner-result-1280.png"), full_page=True)

    # A second plan, then both side by side from the list.
    page.goto(page.url.split("/plans/")[0] + "/plans/nouveau/")
    _make_plan(page, history, "Vague 4 — ambitieux", "3 200 000")
    page.goto(page.url.split("/plans/")[0] + "/plans/")
    page.get_by_label("Comparer « Vague 4 — essai »").check()
    page.get_by_label("Comparer « Vague 4 — ambitieux »").check()
    page.get_by_role("button", name="Comparer les plans cochés").click()
    page.get_by_role("heading", level=1, name="Comparer des plans").wait_for()
    page.get_by_role("row", name="Besoin atteint").wait_for()
    _axe(page, plans + "comparer/")


def _make_plan(page, history, name, budget):
    page.get_by_label("Nom du plan").fill(name)
    page.get_by_label("Vague à planifier").select_option(label=str(history.next_wave))
    page.get_by_label("Budget de la vague (€)").fill(budget)
    page.get_by_label("Frais fixes (production, agence) (€)").fill("100 000")
    page.get_by_label("Début").fill("2027-02-01")
    page.get_by_label("Fin").fill("2027-03-07")
    page.get_by_role("button", name="Calculer le plan").click()
    page.get_by_role("heading", name="Courbes de réponse").wait_for()
