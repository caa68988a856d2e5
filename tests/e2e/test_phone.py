"""On a 390 px phone: no sideways scrolling (the calendar becomes a list of days), the main
menu folds behind a keyboard-usable button, the finder sends clean addresses, the site has
its icon — and axe-core finds nothing serious."""

from __future__ import annotations

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.events.models import Event

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe

PHONE = 390


def _world():
    geo = make_geography()
    org = make_organization()
    near = make_event(
        organization=org,
        title="Portes ouvertes de l'atelier de Villeurbanne",
        commune=geo["Villeurbanne"],
        starts_at=moment(6, 9),
        ends_at=moment(6, 12),
        capacity=31_424,
    )
    make_event(
        organization=org,
        title="Forum de recrutement de Grenoble",
        commune=geo["Grenoble"],
        starts_at=moment(8, 14, 30),
        kind=Event.Kind.RECRUITMENT_FORUM,
    )
    return near


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, width


def _no_serious_violation(page, path: str) -> None:
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, _readable(path, blocking)


def test_calendar_fits_a_phone_as_a_list_of_days(open_page, screenshot_dir):
    near = _world()
    path = f"/evenements/?vue=calendrier&mois={near.starts_at:%Y-%m}"
    page = open_page(path, width=PHONE)
    _no_sideways_scroll(page)
    # The day of the event is shown with its weekday; days without events are not.
    day = page.locator(".event-calendar__grid td.has-events").first
    assert day.is_visible()
    assert day.locator(".event-calendar__weekday").is_visible()
    assert page.get_by_role("link", name=f"9 h · {near.title}").is_visible()
    assert not page.locator(".event-calendar__grid td:not(.has-events)").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "event-calendar-390.png"), full_page=True)
    _no_serious_violation(page, path)

    # On a wide screen the month grid is back, with its weekday headers.
    wide = open_page(path, width=1280)
    assert wide.locator(".event-calendar__grid thead").is_visible()
    assert not wide.locator(".event-calendar__weekday").first.is_visible()


def test_phone_menu_folds_behind_a_keyboard_button(open_page, screenshot_dir):
    _world()
    page = open_page("/evenements/", width=PHONE)
    nav = page.get_by_role("navigation", name="Menu principal")
    toggle = nav.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.get_by_role("link", name="Métiers").is_visible()
    # Folded, the header stays short (it took 315 px when the menu was always open).
    assert page.locator(".site-header").bounding_box()["height"] < 200

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Métiers").is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-menu-open-390.png"))
    _no_serious_violation(page, "/evenements/ (menu ouvert)")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"

    # Wide screens: no button, the menu is there.
    wide = open_page("/evenements/", width=1280)
    assert not wide.get_by_role("button", name="Menu").is_visible()
    assert wide.get_by_role("link", name="Métiers").is_visible()


def test_finder_sends_a_clean_address_and_shows_french_figures(open_page):
    _world()
    page = open_page("/evenements/", width=PHONE)
    _no_sideways_scroll(page)
    card = page.locator(".event-card", has_text="Villeurbanne").inner_text()
    assert "31\u202f424 places restantes" in card
    page.get_by_text("Plus de critères").click()
    page.get_by_label("Inscriptions ouvertes").check()
    page.get_by_role("button", name="Appliquer les critères").click()
    page.wait_for_url("**/evenements/?inscriptions=ouvertes")
    assert page.url.endswith("/evenements/?inscriptions=ouvertes")
    assert page.get_by_label("Inscriptions ouvertes").is_checked()


def test_the_site_has_an_icon(open_page):
    page = open_page("/", width=PHONE)
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(href).status == 200
    response = page.request.get("/favicon.ico")
    assert response.status == 200 and "svg" in response.headers["content-type"]
