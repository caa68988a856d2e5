"""The trades explorer in a real browser: search « soudeuse », open the trade page."""

from __future__ import annotations

from vocations.careers import services


def test_search_soudeuse_then_open_the_trade(open_page, screenshot_dir):
    services.load_careers(force=True)

    for width in (390, 1280):
        page = open_page("/metiers/", width=width)
        assert page.get_by_role("heading", level=1).inner_text() == "Les métiers de l'industrie"
        page.get_by_label("Métier, activité ou mot-clé").fill("soudeuse")
        page.get_by_role("button", name="Chercher").click()
        page.wait_for_url("**/metiers/?q=soudeuse*")
        first = page.locator(".trade-card h3 a").first
        assert first.inner_text() == "Soudeur / Soudeuse"
        page.screenshot(path=str(screenshot_dir / f"metiers-{width}.png"), full_page=True)

        first.click()
        page.wait_for_url("**/metiers/soudeur-soudeuse/")
        assert page.get_by_role("heading", level=1).inner_text() == "Soudeur / Soudeuse"
        assert page.get_by_text("Code ROME H2913").is_visible()
        assert page.get_by_role("heading", name="Niveaux et formations").is_visible()
        # No horizontal scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(screenshot_dir / f"metier-{width}.png"), full_page=True)

    assert open_page.offsite_requests == []
