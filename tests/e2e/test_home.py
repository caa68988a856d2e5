"""The home page in a real browser: layout at phone and desktop widths, keyboard access."""

from __future__ import annotations

from vocations.careers.models import Sector


def _focus_outline(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                text: el.textContent.trim(),
                href: el.getAttribute('href'),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                visible: el.getBoundingClientRect().bottom > 0,
            };
        }"""
    )


def test_home_at_phone_and_desktop_widths(open_page, screenshot_dir):
    Sector.objects.create(slug="aero", name="Aéronautique et spatial")
    Sector.objects.create(slug="agro", name="Agroalimentaire")

    for width in (390, 1280):
        page = open_page("/", width=width)

        heading = page.get_by_role("heading", level=1)
        assert heading.count() == 1
        assert heading.is_visible()
        assert "avenir à fabriquer" in heading.inner_text()
        nav = page.get_by_role("navigation", name="Menu principal")
        for label in ("Accueil", "Métiers", "Événements", "Pour qui ?"):
            assert nav.get_by_role("link", name=label).is_visible(), (width, label)
        assert page.get_by_text("Agroalimentaire").is_visible()
        # The stylesheet loaded (our own file, served by the live server).
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
        page.screenshot(path=str(screenshot_dir / f"home-{width}.png"), full_page=True)

    assert open_page.offsite_requests == []


def test_keyboard_reaches_skip_link_first_then_navigation(open_page):
    page = open_page("/", width=1280)

    page.keyboard.press("Tab")
    focused = _focus_outline(page)
    assert focused["text"] == "Aller au contenu"
    assert focused["outlineStyle"] != "none"
    assert focused["outlineWidth"] >= 2
    assert focused["visible"]

    # Following the skip link moves focus into the main content.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"

    # From the top again: banner name, then the four navigation links, each with a visible focus.
    page.goto("/")
    labels = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = _focus_outline(page)
        assert focused["outlineStyle"] != "none", focused
        labels.append(focused["text"])
    assert labels == [
        "Aller au contenu",
        "Vocations",
        "Accueil",
        "Métiers",
        "Événements",
        "Pour qui ?",
    ]

    # Enter on "Pour qui ?" goes to the audiences.
    page.keyboard.press("Enter")
    page.wait_for_url("**/#pour-qui")
    assert page.get_by_role("heading", name="Pour qui ?").is_visible()


def test_no_horizontal_scroll_at_320px(open_page):
    for path in ("/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"):
        page = open_page(path, width=320)

        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, (path, scroll_width)
