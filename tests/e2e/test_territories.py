"""The territory map in Chromium: keyboard navigation over départements, and axe-core."""

from __future__ import annotations

import io
import json

from vocations.accounts.models import User
from vocations.territories.services import import_hiring_needs, load_geography
from vocations.territories.tests.conftest import DATA_DIR, MINI_GEOGRAPHY, write_geography

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe

PASSWORD = "mot-de-passe-de-test"


def _world(tmp_path):
    load_geography(
        path=write_geography(tmp_path / "g.json.gz", json.loads(json.dumps(MINI_GEOGRAPHY)))
    )
    # Real BMO 2024 lines (welders and régleurs); bassin 1118 is outside the mini geography.
    import_hiring_needs(
        file=io.BytesIO((DATA_DIR / "bmo_2024_extract.csv").read_bytes()),
        filename="bmo.csv",
        valid_lines_only=True,
    )
    User.objects.create_user("staff@campagne.fr", PASSWORD, is_staff=True)


def _sign_in(open_page, next_path: str):
    page = open_page(f"/organisateur/connexion/?next={next_path}", width=1280)
    page.get_by_label("Adresse e-mail").fill("staff@campagne.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_path}")
    return page


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const path = el.querySelector('path');
            return {
                label: el.getAttribute('aria-label'),
                inSvg: !!el.closest('svg'),
                stroke: path ? getComputedStyle(path).strokeWidth : null,
            };
        }"""
    )


def test_map_is_usable_with_the_keyboard_and_passes_axe(open_page, tmp_path, screenshot_dir):
    _world(tmp_path)
    page = _sign_in(open_page, "/organisateur/territoires/")
    page.get_by_role("heading", level=1, name="Territoires : besoin, actions, résultats").wait_for()

    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable("/organisateur/territoires/", blocking)

    # Tab through the page until the map's links: each says its name and value, in code order.
    labels = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["inSvg"]:
            labels.append(focused["label"])
            # The focused département is outlined (thicker stroke), not only coloured.
            assert float(focused["stroke"].rstrip("px")) >= 3
            if len(labels) == 4:
                break
    assert labels == [
        "Bouches-du-Rhône (13) : 167",
        "Corse-du-Sud (2A) : pas de chiffre",
        "Rhône (69) : 191",
        "La Réunion (974) : 153",
    ]
    page.screenshot(path=str(screenshot_dir / "territory-map-1280.png"), full_page=True)

    # Back to the Rhône with Shift+Tab, then Enter opens its page.
    page.keyboard.press("Shift+Tab")
    assert _focused(page)["label"] == "Rhône (69) : 191"
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisateur/territoires/69/")
    page.get_by_role("heading", level=1, name="Rhône (69)").wait_for()
    assert page.get_by_role("cell", name="150").first.is_visible()
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable("/organisateur/territoires/69/", blocking)


def test_region_map_and_under_served_list_pass_axe(open_page, tmp_path):
    _world(tmp_path)
    page = _sign_in(open_page, "/organisateur/territoires/")
    page.goto("/organisateur/territoires/?niveau=region&pour=10000")
    assert page.locator("svg a.territory").count() == 4
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable("régions", blocking)
    page.goto("/organisateur/territoires/sous-dotes/")
    page.get_by_role("heading", level=1, name="Territoires sous-dotés").wait_for()
    assert "Rhône (69)" in page.locator("ol.underserved").inner_text()
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable("sous-dotés", blocking)


def test_collective_presence_map_with_the_keyboard_and_axe(open_page, tmp_path):
    """The coordinators' presence page: the same map coloured by members, each département a
    link saying members, events and need; Enter opens that département's coverage."""
    from vocations.accounts.models import Membership, Organization
    from vocations.ambassadors.models import Ambassador
    from vocations.territories.models import Department

    _world(tmp_path)
    collective = Organization.objects.create(slug="collectif", name="Collectif", kind="collective")
    coordinator = User.objects.get(email="staff@campagne.fr")
    Membership.objects.create(user=coordinator, organization=collective, role="owner")
    member = User.objects.create_user("membre@example.org", PASSWORD)
    Ambassador.objects.create(
        collective=collective, user=member, display_name="Alice",
        department=Department.objects.get(code="69"),
    )  # fmt: skip
    path = f"/organisateur/collectif/{collective.pk}/territoires/"
    page = _sign_in(open_page, path)
    page.get_by_role("heading", level=2, name="Membres du collectif par département").wait_for()
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable(path, blocking)
    labels = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["inSvg"]:
            labels.append(focused["label"])
            assert float(focused["stroke"].rstrip("px")) >= 3
            if len(labels) == 3:
                break
    assert labels[0].startswith("Bouches-du-Rhône (13) : aucun membre, ")
    assert labels[2].startswith("Rhône (69) : 1 membre(s), ")
    page.keyboard.press("Enter")
    page.wait_for_url("**territoires/?departement=69#couverture")
    page.get_by_role("heading", level=2, name="Rhône (69)").wait_for()
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable(path + "?departement=69", blocking)
