"""The event finder in a real browser: find by postal code, open the event, get the .ics."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.events.models import Event


def _world():
    geo = make_geography()
    org = make_organization()
    near = make_event(
        organization=org,
        title="Portes ouvertes de l'atelier de Villeurbanne",
        commune=geo["Villeurbanne"],
        starts_at=moment(6, 9),
        ends_at=moment(6, 12),
        audiences=("young_people", "parents"),
        capacity=25,
    )
    make_event(
        organization=org,
        title="Forum de recrutement de Grenoble",
        commune=geo["Grenoble"],
        starts_at=moment(8, 14),
        kind=Event.Kind.RECRUITMENT_FORUM,
    )
    make_event(organization=org, title="Webinaire des métiers de la chimie", starts_at=moment(4))
    return near


def test_visitor_finds_an_event_by_postal_code_and_downloads_the_ics(
    open_page, tmp_path, screenshot_dir
):
    near = _world()
    page = open_page("/evenements/", width=1280)
    assert page.get_by_role("heading", level=1).inner_text() == "Trouver un événement"
    assert "3 événements" in page.locator("#titre-resultats").inner_text()

    near_me = page.get_by_role("group", name="Près de chez moi")
    near_me.get_by_label("Code postal").fill("69002")
    near_me.get_by_label("Rayon").select_option("20")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/evenements/?*code_postal=69002*")

    results = page.locator(".event-card")
    assert results.count() == 1
    assert "1 événement" in page.locator("#titre-resultats").inner_text()
    assert "à 20 km autour de 69002" in page.locator("#titre-resultats").inner_text()
    card = results.first.inner_text()
    assert "Villeurbanne (69)" in card
    assert "25 places restantes" in card

    page.get_by_role("link", name="Portes ouvertes de l'atelier de Villeurbanne").click()
    page.wait_for_url(f"**/evenements/{near.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == near.title
    page.screenshot(path=str(screenshot_dir / "event-page-1280.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"{near.slug}.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    calendar = Calendar.from_ical(Path(target).read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == near.title
    assert str(vevent["UID"]) == f"event-{near.pk}@vocations"
    assert vevent.decoded("DTSTART") == near.starts_at

    assert open_page.offsite_requests == []


def test_finder_at_phone_and_desktop_widths(open_page, screenshot_dir):
    _world()
    for width in (390, 1280):
        page = open_page("/evenements/", width=width)
        assert page.locator(".event-card").count() == 3
        assert page.get_by_label("Code postal").is_visible()
        nav = page.get_by_role("navigation", name="Menu principal")
        if width < 640:  # folded behind its button on a phone (tests/e2e/test_phone.py)
            nav.get_by_role("button", name="Menu").click()
        assert nav.get_by_role("link", name="Événements").get_attribute("aria-current") == "page"
        page.screenshot(path=str(screenshot_dir / f"event-finder-{width}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (width, scroll_width)
    assert open_page.offsite_requests == []


def test_map_shows_markers_without_tiles(open_page, screenshot_dir, settings):
    # Tiles that do not exist: the markers and the list must still be there.
    settings.MAP_TILE_URL = "/tuiles-absentes/{z}/{x}/{y}.png"
    _world()
    page = open_page("/evenements/?vue=carte", width=1280)

    page.wait_for_selector("#carte-evenements[data-markers]")
    assert page.locator("#carte-evenements").get_attribute("data-markers") == "2"
    assert page.locator(".leaflet-marker-icon").count() == 2
    assert page.locator(".event-card").count() == 3
    page.screenshot(path=str(screenshot_dir / "event-finder-map-1280.png"), full_page=True)
    assert open_page.offsite_requests == []


def test_calendar_is_keyboard_reachable(open_page):
    near = _world()
    month = near.starts_at.strftime("%Y-%m")
    page = open_page(f"/evenements/?vue=calendrier&mois={month}", width=1280)

    link = page.get_by_role("link", name=f"9 h · {near.title}")
    assert link.count() == 1
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == f"9 h · {near.title}":
            break
    else:
        raise AssertionError("The calendar's event link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/evenements/{near.slug}/")
