"""The home page in a real browser: layout at phone and desktop widths, keyboard access."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils.text import slugify

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.careers.models import Sector, Trade
from vocations.events.models import Event


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


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Public pages are cached by URL in the local-memory cache the live server shares.
    cache.clear()
    yield
    cache.clear()


def _world() -> None:
    """Two sectors, featured trades and upcoming labelled events, so every block has content."""
    aero = Sector.objects.create(slug="aeronautique-spatial", name="Aéronautique et spatial")
    Sector.objects.create(slug="agroalimentaire", name="Agroalimentaire")
    trades = []
    for code, title in (
        ("H2913", "Soudeur / Soudeuse"),
        ("H2909", "Monteur-assembleur / Monteuse-assembleuse en aéronautique"),
        ("I1304", "Technicien / Technicienne de maintenance industrielle"),
    ):
        trade = Trade.objects.create(
            rome_code=code, title=title, slug=slugify(title), is_featured=True
        )
        trade.sectors.add(aero)
        trades.append(trade)
    geo = make_geography()
    org = make_organization()
    make_event(
        organization=org,
        title="Journée portes ouvertes de l'usine de Villeurbanne",
        commune=geo["Villeurbanne"],
        starts_at=moment(5, 9),
        trades=(trades[1],),
    )
    make_event(
        organization=org,
        title="Forum de recrutement de Grenoble",
        commune=geo["Grenoble"],
        starts_at=moment(9, 14),
        kind=Event.Kind.RECRUITMENT_FORUM,
    )
    make_event(
        organization=org,
        title="Webinaire des métiers de l'aéronautique",
        starts_at=moment(3),
        kind=Event.Kind.ONLINE_SESSION,
        sectors=(aero,),
    )


def test_home_at_phone_and_desktop_widths(open_page, screenshot_dir):
    _world()

    for width in (390, 1280):
        page = open_page("/", width=width)

        heading = page.get_by_role("heading", level=1)
        assert heading.count() == 1
        assert heading.is_visible()
        assert "avenir à fabriquer" in heading.inner_text()
        nav = page.get_by_role("navigation", name="Menu principal")
        if width < 640:  # folded behind its button on a phone (tests/e2e/test_phone.py)
            nav.get_by_role("button", name="Menu").click()
        for label in ("Accueil", "Métiers", "Événements", "Pour qui ?"):
            assert nav.get_by_role("link", name=label).is_visible(), (width, label)
        assert page.get_by_text("Agroalimentaire").is_visible()
        near_me = page.get_by_role("search", name="Près de chez moi")
        assert near_me.get_by_label("Code postal").is_visible()
        assert page.get_by_role("link", name="Forum de recrutement de Grenoble").is_visible()
        assert page.get_by_text("Soudeur / Soudeuse").is_visible()
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

    # Enter on "Pour qui ?" goes to the audience list.
    page.keyboard.press("Enter")
    page.wait_for_url("**/pour-qui/")
    assert page.get_by_role("heading", name="Pour qui ?", level=1).is_visible()


def test_no_horizontal_scroll_at_320px(open_page):
    _world()
    for path in (
        "/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/pour-qui/",
        "/pour-qui/jeunes/",
        "/pour-qui/demandeurs-d-emploi/?code_postal=69002",
        "/pour-qui/enseignants-et-prescripteurs/",
        "/quel-metier-est-fait-pour-toi/",
        "/quel-metier-est-fait-pour-toi/?q1=a&q2=b&q4=a&q10=c",
    ):
        page = open_page(path, width=320)

        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, (path, scroll_width)


def test_near_me_form_opens_the_finder_around_the_postal_code(open_page):
    _world()
    page = open_page("/", width=390)

    near_me = page.get_by_role("search", name="Près de chez moi")
    near_me.get_by_label("Code postal").fill("69002")
    near_me.get_by_label("Rayon").select_option("10")
    near_me.get_by_role("button", name="Trouver un événement").click()

    page.wait_for_url("**/evenements/?code_postal=69002&rayon=10")
    assert "Villeurbanne" in page.locator("main").inner_text()


def test_audience_pages_at_phone_and_desktop_widths(open_page, screenshot_dir):
    _world()
    for width in (390, 1280):
        page = open_page("/pour-qui/jeunes/", width=width)

        assert page.get_by_role("heading", level=1).inner_text() == (
            "Jeunes : des métiers qui ont du sens"
        )
        finder = page.get_by_role("link", name="Trouver un salon ou une visite près de chez moi")
        assert finder.is_visible()
        assert page.get_by_role("link", name="Faire le quiz « Quel métier est fait pour toi ? »")
        page.screenshot(path=str(screenshot_dir / f"audience-{width}.png"), full_page=True)

    assert open_page.offsite_requests == []


def test_quiz_result_at_phone_width(open_page, screenshot_dir):
    _world()
    page = open_page("/quel-metier-est-fait-pour-toi/?q1=c&q3=d&q4=b&q7=b&q10=b", width=390)

    assert page.get_by_role("heading", name="Ton résultat").is_visible()
    assert "Aéronautique et spatial" in page.locator(".top-sectors").inner_text()
    where = page.locator(".quiz-result .mini-event")
    assert where.count() == 2  # the webinar (its sector) and the open day (its trade)
    page.screenshot(path=str(screenshot_dir / "quiz-390.png"), full_page=True)


def test_public_post_form_gets_its_csrf_token_only_when_used(open_page):
    # A cached page holds no token; csrf-token.js fetches it from /jeton-csrf.json.
    page = open_page("/", width=1280)
    assert page.context.cookies() == []
    page.evaluate(
        """() => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/';
            form.setAttribute('data-csrf-url', '/jeton-csrf.json');
            form.innerHTML = '<label for="f-email">Courriel</label><input id="f-email">';
            document.querySelector('main').appendChild(form);
        }"""
    )
    page.add_script_tag(url="/static/web/js/csrf-token.js")
    assert page.locator('input[name="csrfmiddlewaretoken"]').count() == 0

    page.locator("#f-email").focus()

    page.wait_for_selector("form[data-csrf-ready='true']", state="attached")
    token = page.locator('input[name="csrfmiddlewaretoken"]').input_value()
    assert len(token) == 64
    assert [c["name"] for c in page.context.cookies()] == ["csrftoken"]
