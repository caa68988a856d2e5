"""axe-core on every public page in Chromium, and keyboard use of the quiz.

axe-core is vendored (vocations/web/static/vendor/axe-core-*/, MPL-2.0) and injected by the
test only; no page loads it. A page fails on any violation of impact "serious" or "critical";
the failure lists each rule, its help text and the offending elements.

The list of pages is built when the tests are collected: pages owned by other parts of the site
(event finder, event page, trades explorer, branch pages) are checked as soon as their routes
exist, with the minimal data below (a labelled public event, a featured trade, a branch).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.careers.models import Branch, QualificationLevel, Sector, Trade
from vocations.events.models import Event

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "vocations" / "web" / "static" / "vendor" / "axe-core-4.10.3"
AXE_JS = AXE_DIR / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}

EVENT_SLUG = "salon-de-l-industrie-axe"
TRADE_SLUG = "soudeur-soudeuse"
BRANCH_SLUG = "metallurgie"


def _path(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def public_pages() -> list[tuple[str, str]]:
    """(test id, path) of every public page whose route exists now."""
    pages = [
        ("home", "/"),
        ("mentions-legales", "/mentions-legales/"),
        ("donnees-personnelles", "/donnees-personnelles/"),
        ("accessibilite", "/accessibilite/"),
        ("pour-qui", "/pour-qui/"),
        ("jeunes", "/pour-qui/jeunes/"),
        ("parents", "/pour-qui/parents/"),
        ("demandeurs-d-emploi", "/pour-qui/demandeurs-d-emploi/?code_postal=69002"),
        ("reconversion", "/pour-qui/reconversion/?code_postal=00000"),
        ("enseignants", "/pour-qui/enseignants-et-prescripteurs/"),
        ("quiz", "/quel-metier-est-fait-pour-toi/"),
        ("quiz-resultat", "/quel-metier-est-fait-pour-toi/?q2=a&q3=b&q5=a&q10=a&q99=x"),
    ]
    optional = [
        ("evenements-liste", "web:event_list", {}, ""),
        ("evenements-carte", "web:event_list", {}, "?vue=carte"),
        ("evenements-calendrier", "web:event_list", {}, "?vue=calendrier"),
        ("evenements-recherche", "web:event_list", {}, "?code_postal=69002&rayon=20"),
        ("evenement", "web:event_detail", {"slug": EVENT_SLUG}, ""),
        ("metiers", "web:trade_list", {}, ""),
        ("metier", "web:trade_detail", {"slug": TRADE_SLUG}, ""),
        ("branches", "web:branch_list", {}, ""),
        ("branche", "web:branch_detail", {"slug": BRANCH_SLUG}, ""),
    ]
    for page_id, name, kwargs, query in optional:
        path = _path(name, **kwargs)
        if path is not None:
            pages.append((page_id, path + query))
    return pages


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(transactional_db):
    geo = make_geography()
    sector = Sector.objects.create(slug="metallurgie", name="Métallurgie")
    cap = QualificationLevel.objects.create(level=3, label="CAP")
    trade = Trade.objects.create(
        rome_code="H2913",
        title="Soudeur / Soudeuse",
        slug=TRADE_SLUG,
        is_featured=True,
        description="Le soudeur ou la soudeuse assemble des pièces de métal par fusion.",
    )
    trade.sectors.add(sector)
    trade.qualification_levels.add(cap)
    branch = Branch.objects.create(
        slug=BRANCH_SLUG,
        name="Métallurgie",
        short_name="Métallurgie",
        federation="UIMM — Union des industries et métiers de la métallurgie",
    )
    branch.sectors.add(sector)
    trade.branches.add(branch)
    event = make_event(
        organization=make_organization(),
        title="Salon de l'industrie de Villeurbanne",
        commune=geo["Villeurbanne"],
        starts_at=moment(7, 9),
        kind=Event.Kind.ORIENTATION_FAIR,
        audiences=("young_people", "advisers"),
        sectors=(sector,),
        trades=(trade,),
        capacity=120,
        accepts_groups=True,
        max_group_size=35,
        summary="Rencontrez les entreprises de la métallurgie.",
    )
    Event.objects.filter(pk=event.pk).update(slug=EVENT_SLUG)
    make_event(
        organization=make_organization(),
        title="Forum de recrutement de Grenoble",
        commune=geo["Grenoble"],
        starts_at=moment(12, 14),
        kind=Event.Kind.RECRUITMENT_FORUM,
        audiences=("job_seekers", "career_changers"),
    )
    return geo


def _run_axe(page) -> list[dict]:
    # Evaluated, not added as an inline <script>: the page's CSP refuses inline scripts.
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )


def _readable(path: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious/critical axe-core violation(s) on {path}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']} — {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more element(s)")
    return "\n".join(lines)


def test_axe_core_is_vendored_with_its_licence():
    assert AXE_JS.read_text(encoding="utf-8")[:40].startswith("/*! axe v4.10.3")
    assert "Mozilla Public License" in (AXE_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "4.10.3" in (AXE_DIR / "VENDOR.md").read_text(encoding="utf-8")


def test_no_page_template_loads_axe_core():
    templates = ROOT / "vocations"
    offenders = [
        str(p.relative_to(ROOT))
        for p in templates.rglob("*.html")
        if "axe-core" in p.read_text(encoding="utf-8") or "axe.min" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize(("page_id", "path"), public_pages(), ids=[p[0] for p in public_pages()])
def test_public_page_has_no_serious_or_critical_axe_violation(open_page, world, page_id, path):
    page = open_page(path, width=1280)
    assert page.title().endswith("Vocations"), (path, page.title())

    violations = _run_axe(page)

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable(path, blocking)


@pytest.mark.parametrize("path", ["/", "/quel-metier-est-fait-pour-toi/?q1=a", "/pour-qui/jeunes/"])
def test_phone_layout_has_no_serious_or_critical_axe_violation(open_page, world, path):
    page = open_page(path, width=320)

    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]

    assert blocking == [], _readable(path, blocking)


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                id: el.id,
                tag: el.tagName.toLowerCase(),
                type: el.getAttribute('type'),
                text: el.textContent.trim(),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
            };
        }"""
    )


def test_quiz_can_be_answered_with_the_keyboard_alone(open_page, world):
    page = open_page("/quel-metier-est-fait-pour-toi/", width=1280)

    # Tab from the top of the page reaches the first answer of the first question.
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["outlineStyle"] != "none", focused
        if focused["id"] == "q1-a":
            break
    else:
        pytest.fail("Tab never reached the first answer of the quiz")

    # In each group: arrow down picks the second answer (visible focus), Tab goes to the next.
    for number in range(1, 11):
        page.keyboard.press("ArrowDown")
        focused = _focused(page)
        assert focused["id"] == f"q{number}-b", focused
        assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused
        assert page.locator(f"#q{number}-b").is_checked()
        page.keyboard.press("Tab")

    focused = _focused(page)
    assert (focused["tag"], focused["text"]) == ("button", "Voir mon résultat")
    assert focused["outlineStyle"] != "none"
    page.keyboard.press("Enter")

    page.wait_for_url("**/quel-metier-est-fait-pour-toi/?q1=b&q2=b*")
    assert page.get_by_role("heading", name="Ton résultat").is_visible()
    assert page.locator("#q10-b").is_checked()
    # The explanation is reachable and readable: one line per answer.
    assert page.locator(".score-lines li").count() == 10
