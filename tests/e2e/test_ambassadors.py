"""The collective in a real browser (issue "Done when"): a coordinator creates a mobilisation on
an event and sees its coverage matrix with the gaps and suggested members; a member joins,
copies their personal link and declares a post; an anonymous visitor follows the link and
registers; the member's dashboard and the campaign report both show that registration.
axe-core runs on every new page (0 serious or critical violations)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from vocations.accounts.models import Membership, Organization, User
from vocations.ambassadors.models import Invitation, Participation, Post
from vocations.ambassadors.services import (
    ProfileData,
    ambassador_network_set,
    ambassador_update_profile,
    invitation_create,
    invitation_join,
)
from vocations.analytics.models import Attribution
from vocations.analytics.services.rollups import rollup_pending
from vocations.analytics.tasks import flush_visits
from vocations.analytics.tests.support import build_world
from vocations.events.models import EventAudience, Registration
from vocations.territories.models import Department

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe

PASSWORD = "mot-de-passe-de-test"
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def _world():
    world = build_world()
    rhone = Department.objects.get(code="69")
    world.event.department, world.event.region = rhone, rhone.region
    world.event.save()
    EventAudience.objects.create(event=world.event, audience="young_people")
    collective = Organization.objects.create(
        name="Les Influstriels", slug="influstriels", kind="collective"
    )
    coordinator = User.objects.create_user("coord@example.fr", PASSWORD)
    Membership.objects.create(user=coordinator, organization=collective, role="owner")
    User.objects.create_user("staff@campagne.fr", PASSWORD, is_staff=True)
    invitation = invitation_create(
        actor=coordinator, collective=collective, email="alice@example.fr", full_name="Alice Martin"
    )
    Invitation.objects.filter(pk=invitation.pk).update(department=rhone)
    invitation.refresh_from_db()
    alice = invitation_join(invitation=invitation, password=PASSWORD, consent=True)
    ambassador_network_set(
        actor=alice.user,
        ambassador=alice,
        network="linkedin",
        handle="alice-martin",
        audience_size=3200,
    )
    ambassador_update_profile(
        actor=alice.user,
        ambassador=alice,
        data=ProfileData(
            display_name="Alice Martin", role="Cheffe d'atelier", is_public=True, department=rhone
        ),
    )
    Invitation.objects.create(
        collective=collective,
        kind="request",
        email="farid@example.fr",
        full_name="Farid",
        token="demande-en-attente",
    )
    return world, collective, alice


def _sign_in(browser, base_url, email):
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    page.goto("/organisateur/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")
    return context, page


def _axe(page, path=None):
    if path is not None:
        page.goto(path)
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], _readable(page.url, blocking)


def test_mobilisation_to_registration_in_the_browser(
    browser, live_server, transactional_db, settings, screenshot_dir
):
    settings.ANALYTICS_FLUSH_INTERVAL = 0  # roll visits up at each dashboard view
    world, collective, alice = _world()
    base = live_server.url

    # The coordinator creates a mobilisation on the event.
    office, coord = _sign_in(browser, base, "coord@example.fr")
    coord.goto(f"/organisateur/collectif/{collective.pk}/mobilisations/nouvelle/")
    _axe(coord)
    coord.get_by_label("Titre").fill("Portes ouvertes : les parents")
    coord.get_by_label("Événement", exact=True).select_option(label=world.event.title)
    coord.get_by_label("Campagne dont le bilan compte les liens").select_option(
        label=world.campaign.name
    )
    coord.get_by_label("Objectif").fill("Toucher les parents de lycéens sur LinkedIn.")
    coord.locator("#id_target_audiences").get_by_label("Parents").check()
    coord.locator("#id_starts_on").fill("2026-03-01")
    coord.locator("#id_ends_on").fill("2026-03-31")
    coord.get_by_role("button", name="Créer la mobilisation").click()
    coord.get_by_role("heading", level=1, name="Portes ouvertes : les parents").wait_for()
    page_text = coord.content()
    assert "Parents × Réseaux sociaux : trou" in page_text
    assert "Alice Martin — LinkedIn : 3" in page_text
    gap = coord.locator("td.coverage--gap").first
    assert "trou" in gap.get_attribute("title")
    coord.screenshot(path=str(screenshot_dir / "ambassadors-coverage-1280.png"), full_page=True)
    _axe(coord)
    for page in (
        "membres/",
        "mobilisations/",
        "tableau-de-bord/",
        "territoires/?departement=69",
        "themes/",
        "ateliers/",
    ):
        _axe(coord, f"/organisateur/collectif/{collective.pk}/{page}")

    # The member joins, copies their link, declares a post.
    member_context, member = _sign_in(browser, base, "alice@example.fr")
    member.goto("/organisateur/ambassadeur/")
    member.get_by_role("button", name="Rejoindre").click()
    link_input = member.locator("input.personal-link")
    link_input.wait_for()
    short = link_input.input_value()
    participation = Participation.objects.get(ambassador=alice)
    assert short.endswith(f"/l/{participation.link.code}")
    member.get_by_role("button", name="Copier mon lien").click()
    member.get_by_role("button", name="Lien copié").wait_for()
    _axe(member)
    member.get_by_role("link", name="Déclarer une publication").first.click()
    member.get_by_label("Réseau").select_option("linkedin")
    member.get_by_label("Adresse de la publication").fill("https://www.linkedin.com/posts/a-1")
    member.get_by_label("Publiée le").fill("2026-03-05")
    member.get_by_role("button", name="Déclarer").click()
    member.get_by_role("heading", level=1, name="Mon tableau de bord").wait_for()
    assert Post.objects.get().ambassador == alice
    for path in (
        "/organisateur/ambassadeur/profil/",
        "/organisateur/ambassadeur/import-linkedin/",
        "/organisateur/ambassadeur/publications/nouvelle/",
        "/organisateur/ambassadeur/quitter/",
    ):
        _axe(member, path)

    # An anonymous visitor follows the personal link and registers.
    # A phone's user agent: headless Chromium's own is counted as a robot, never attributed.
    visitor_context = browser.new_context(
        base_url=base, user_agent=MOBILE_UA, viewport={"width": 390, "height": 844}
    )
    visitor = visitor_context.new_page()
    visitor.goto(urlsplit(short).path)
    assert urlsplit(visitor.url).path == f"/evenements/{world.event.slug}/"
    visitor.get_by_role("link", name="S'inscrire").click()
    visitor.wait_for_url(f"**/evenements/{world.event.slug}/inscription/**")
    visitor.get_by_label("Votre prénom").fill("Paul")
    visitor.get_by_label("Votre nom").fill("Durand")
    visitor.get_by_label("Votre adresse e-mail").fill("paul@example.fr")
    visitor.get_by_label("Parent", exact=True).check()
    visitor.get_by_label("J'accepte que ces informations servent uniquement").check()
    visitor.get_by_role("button", name="Valider mon inscription").click()
    visitor.wait_for_url(re.compile(r".*/inscription/[^/]+/confirmation/(#.*)?$"))
    registration = Registration.objects.get(email="paul@example.fr")
    attribution = Attribution.objects.get(registration=registration)
    assert (attribution.last_link_id, attribution.last_channel) == (
        participation.link_id,
        "influence",
    )
    _axe(visitor, "/ambassadeurs/")
    assert "Alice Martin" in visitor.content()
    _axe(visitor, "/ambassadeurs/rejoindre/")
    # On a phone: no page wider than the screen, and a screenshot for the folder.
    visitor.goto("/ambassadeurs/")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.screenshot(path=str(screenshot_dir / "ambassadors-public-390.png"), full_page=True)
    visitor_context.close()
    phone = member_context.browser.new_context(
        base_url=base,
        viewport={"width": 390, "height": 844},
        storage_state=member_context.storage_state(),
    ).new_page()
    phone.goto("/organisateur/ambassadeur/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _axe(phone)
    phone.screenshot(path=str(screenshot_dir / "ambassadors-member-home-390.png"), full_page=True)
    phone.context.close()

    # The member's dashboard and the campaign report show that registration once the worker
    # has run its every-minute tasks (dashboards read roll-ups, they do not roll up).
    flush_visits()
    rollup_pending()
    member.goto("/organisateur/ambassadeur/tableau-de-bord/")
    assert member.locator("#my-registrations").inner_text() == "1"
    assert member.locator("#my-visits").inner_text() == "1"
    member.screenshot(
        path=str(screenshot_dir / "ambassadors-member-dashboard-1280.png"), full_page=True
    )
    _axe(member)
    member_context.close()
    staff_context, staff = _sign_in(browser, base, "staff@campagne.fr")
    staff.goto(f"/organisateur/resultats/{world.campaign.pk}/")
    row = staff.locator("#report-waves tr.report-collective")
    # Dépense prévue, engagée, déclarée, portée, visites, visiteurs uniques, inscriptions…
    assert row.locator("td").nth(4).inner_text() == "1"
    assert row.locator("td").nth(6).inner_text() == "1"
    channel = staff.locator("#report-channels tr", has_text="collectif d'ambassadeurs")
    assert channel.locator("td").nth(6).inner_text() == "1"
    staff_context.close()
    office.close()
