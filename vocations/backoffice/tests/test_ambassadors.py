# ruff: noqa: F811 - pytest fixtures imported from vocations/ambassadors/tests/conftest.py
"""The collective's back-office screens: who may do what (role × object × action), the
journey of a coordinator and a member, the LinkedIn import, and query counts of the lists."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.ambassadors.models import Invitation, Mobilisation, Participation, Post
from vocations.ambassadors.services import (
    MobilisationData,
    PostData,
    ambassador_network_set,
    join_request_create,
    mobilisation_create,
    mobilisation_join,
    post_declare,
    post_metrics_set,
)
from vocations.ambassadors.tests.conftest import (  # noqa: F401 - fixtures
    _measurement,
    alice,
    bruno,
    collective,
    coordinator,
    departments,
    make_member,
    outsider,
    staff,
    world,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def mobilisation(collective, coordinator, world):
    return mobilisation_create(
        actor=coordinator,
        collective=collective,
        data=MobilisationData(
            title="Parents de lycéens",
            goal="Toucher les parents",
            starts_on=DAY,
            ends_on=DAY + dt.timedelta(days=20),
            event=world.event,
            campaign=world.campaign,
            target_audiences=["parents"],
        ),
    )


@pytest.fixture
def alice_post(alice, mobilisation):
    mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=mobilisation)
    post = post_declare(
        actor=alice.user,
        ambassador=alice,
        data=PostData(
            network="linkedin",
            url="https://www.linkedin.com/posts/alice-1",
            published_on=DAY,
            mobilisation=mobilisation,
        ),
    )
    post_metrics_set(actor=alice.user, post=post, values={"impressions": 4321})
    return post


def text(response) -> str:
    return html.unescape(response.content.decode())


def _get(client, user, url):
    client.force_login(user) if user is not None else client.logout()
    return client.get(url)


# --- role × object × action ------------------------------------------------------------------

COORDINATOR_PAGES = [
    "membres/",
    "mobilisations/",
    "mobilisations/nouvelle/",
    "tableau-de-bord/",
    "territoires/",
    "themes/",
    "ateliers/",
]


@pytest.mark.parametrize("page", COORDINATOR_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("staff", 200), ("member", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_coordinator_pages_by_role(
    client, collective, coordinator, staff, alice, outsider, page, role, status
):
    user = {
        "coordinator": coordinator,
        "staff": staff,
        "member": alice.user,
        "outsider": outsider,
        "anonymous": None,
    }[role]
    response = _get(client, user, f"/organisateur/collectif/{collective.pk}/{page}")
    assert response.status_code == status


MEMBER_PAGES = [
    "",
    "profil/",
    "publications/nouvelle/",
    "import-linkedin/",
    "tableau-de-bord/",
    "quitter/",
]


@pytest.mark.parametrize("page", MEMBER_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 200), ("coordinator", 403), ("outsider", 403), ("anonymous", 302)],
)
def test_member_pages_by_role(client, coordinator, alice, outsider, page, role, status):
    user = {
        "member": alice.user,
        "coordinator": coordinator,
        "outsider": outsider,
        "anonymous": None,
    }[role]
    assert _get(client, user, f"/organisateur/ambassadeur/{page}").status_code == status


def test_a_member_sees_only_own_figures_and_no_one_elses_contacts(
    client, alice, bruno, alice_post, mobilisation
):
    ambassador_network_set(
        actor=alice.user,
        ambassador=alice,
        network="tiktok",
        handle="@alice_secret",
        audience_size=100,
    )
    client.force_login(bruno.user)
    page = text(client.get("/organisateur/ambassadeur/tableau-de-bord/"))
    assert "4321" not in page and "alice" not in page.lower()
    # Another member's post: not found, not editable.
    response = client.get(f"/organisateur/ambassadeur/publications/{alice_post.pk}/chiffres/")
    assert response.status_code == 404
    response = client.post(
        f"/organisateur/ambassadeur/publications/{alice_post.pk}/chiffres/", {"impressions": 1}
    )
    assert response.status_code == 404
    assert alice_post.metrics.get().value == 4321
    # The coordinators' member list is not for members.
    assert client.get(f"/organisateur/collectif/{alice.collective_id}/membres/").status_code == 404
    # Alice sees her own.
    client.force_login(alice.user)
    page = text(client.get("/organisateur/ambassadeur/tableau-de-bord/"))
    assert "4321" in page


def test_member_cannot_delete_another_members_network(client, alice, bruno):
    network = ambassador_network_set(actor=alice.user, ambassador=alice, network="linkedin")
    client.force_login(bruno.user)
    response = client.post(f"/organisateur/ambassadeur/reseaux/{network.pk}/supprimer/")
    assert response.status_code == 404 and alice.networks.count() == 1


def test_other_collective_is_not_found_for_its_non_coordinator(client, coordinator):
    from vocations.accounts.models import Organization

    other = Organization.objects.create(name="Autre collectif", slug="autre-c", kind="collective")
    client.force_login(coordinator)
    assert client.get(f"/organisateur/collectif/{other.pk}/membres/").status_code == 404


# --- journeys --------------------------------------------------------------------------------


def test_invite_then_join_by_link(client, collective, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/organisateur/collectif/{collective.pk}/membres/",
        {"email": "dora@example.fr", "full_name": "Dora Petit"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="dora@example.fr")
    assert f"/organisateur/rejoindre/{invitation.token}/" in mail.outbox[0].body
    client.logout()
    url = f"/organisateur/rejoindre/{invitation.token}/"
    response = client.post(url, {"password": "court", "consent": "on"})
    assert "10 caractères" in text(response)
    response = client.post(url, {"password": "un-bon-mot-de-passe", "consent": "on"})
    assert response.status_code == 302
    assert client.get("/organisateur/ambassadeur/").status_code == 200
    assert client.get(url).status_code == 404  # used once


def test_request_accept_from_the_list(client, collective, coordinator):
    request = join_request_create(collective=collective, email="eli@example.fr", full_name="Éli")
    client.force_login(coordinator)
    page = text(client.get(f"/organisateur/collectif/{collective.pk}/membres/"))
    assert "Éli" in page
    client.post(f"/organisateur/collectif/{collective.pk}/demandes/{request.pk}/accepter/")
    request.refresh_from_db()
    assert request.status == "accepted" and len(mail.outbox) == 1


def test_coordinator_creates_a_mobilisation_and_sees_the_matrix(
    client, collective, coordinator, world, alice
):
    ambassador_network_set(
        actor=alice.user, ambassador=alice, network="linkedin", audience_size=2500
    )
    client.force_login(coordinator)
    response = client.post(
        f"/organisateur/collectif/{collective.pk}/mobilisations/nouvelle/",
        {
            "title": "Portes ouvertes",
            "event": world.event.pk,
            "campaign": world.campaign.pk,
            "goal": "Les parents",
            "target_audiences": ["parents"],
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-20",
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    page = text(client.get(response["Location"]))
    assert "Parents × Réseaux sociaux : trou" in page
    assert "Alice Martin — LinkedIn" in page


def test_mobilisation_form_refuses_event_and_wave_together(client, collective, coordinator, world):
    client.force_login(coordinator)
    response = client.post(
        f"/organisateur/collectif/{collective.pk}/mobilisations/nouvelle/",
        {
            "title": "X",
            "event": world.event.pk,
            "wave": world.wave1.pk,
            "goal": "Y",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-20",
        },
    )
    assert response.status_code == 200
    assert "soit un événement, soit une vague" in text(response)
    assert not Mobilisation.objects.exists()


def test_member_joins_copies_link_and_declares_a_post(client, alice, mobilisation):
    client.force_login(alice.user)
    client.post(f"/organisateur/ambassadeur/mobilisations/{mobilisation.pk}/rejoindre/")
    participation = Participation.objects.get(ambassador=alice)
    page = text(client.get("/organisateur/ambassadeur/"))
    assert f"/l/{participation.link.code}" in page and "Copier mon lien" in page
    qr = client.get(f"/organisateur/ambassadeur/liens/{participation.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    response = client.post(
        "/organisateur/ambassadeur/publications/nouvelle/",
        {"network": "linkedin", "url": "https://evil.example/post", "published_on": "2026-03-03"},
    )
    assert "n'est pas sur LinkedIn" in text(response)
    response = client.post(
        "/organisateur/ambassadeur/publications/nouvelle/",
        {
            "network": "linkedin",
            "url": "https://www.linkedin.com/posts/a-2",
            "published_on": "2026-03-03",
            "mobilisation": mobilisation.pk,
        },
    )
    assert response.status_code == 302 and Post.objects.get().mobilisation == mobilisation


def test_leave_erases(client, alice):
    client.force_login(alice.user)
    response = client.post("/organisateur/ambassadeur/quitter/", {"confirm": "oui"})
    assert "effacées" in text(response)
    alice.refresh_from_db()
    assert alice.user is None and alice.display_name == "Membre parti"


# --- LinkedIn import -------------------------------------------------------------------------

CSV_OK = (
    "URL du post;Date de publication;Impressions;Interactions;Clics\n"
    "https://www.linkedin.com/posts/alice-1;02/03/2026;1 200;45;12\n"
    "https://www.linkedin.com/posts/alice-9;03/03/2026;800;10;\n"
)


def _upload(client, content: bytes, name="export.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/organisateur/ambassadeur/import-linkedin/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_linkedin_import_is_idempotent(client, alice, alice_post):
    client.force_login(alice.user)
    assert _upload(client, CSV_OK.encode()).status_code == 302
    alice_post.refresh_from_db()
    assert {m.metric: m.value for m in alice_post.metrics.all()} == {
        "impressions": 1200,
        "engagements": 45,
        "clicks": 12,
    }
    assert Post.objects.filter(ambassador=alice).count() == 2  # alice-9 was added
    _upload(client, CSV_OK.encode())
    assert Post.objects.filter(ambassador=alice).count() == 2
    assert alice_post.metrics.get(metric="impressions").value == 1200


def test_linkedin_import_all_or_nothing_with_french_line_errors(client, alice, bruno, alice_post):
    client.force_login(bruno.user)
    bad = (
        "Post URL;Post publish date;Impressions\n"
        "https://www.linkedin.com/posts/bruno-1;02/03/2026;100\n"
        "https://www.linkedin.com/posts/alice-1;02/03/2026;999\n"
        "https://twitter.com/x/1;02/03/2026;5\n"
        "https://www.linkedin.com/posts/bruno-2;02/03/2026;-3\n"
    )
    page = text(_upload(client, bad.encode()))
    assert "Rien n'a été importé" in page
    assert "Ligne 3 : cette publication a été déclarée par un autre membre" in page
    assert "Ligne 4 : Cette adresse n'est pas sur LinkedIn" in page
    assert "Ligne 5 : impressions" in page
    assert not Post.objects.filter(ambassador=bruno).exists()
    assert alice_post.metrics.get().value == 4321
    page = text(_upload(client, b"colonne;autre\n1;2\n"))
    assert "Colonnes manquantes : URL du post" in page


# --- query counts ----------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_pages_cost_a_fixed_number_of_queries(
    client, collective, coordinator, make_member, departments, mobilisation
):
    for i in range(2):
        member = make_member(f"m{i}@example.fr", f"Membre {i}", departments["69"])
        ambassador_network_set(actor=member.user, ambassador=member, network="linkedin")
        mobilisation_join(actor=member.user, ambassador=member, mobilisation=mobilisation)
        post_declare(
            actor=member.user,
            ambassador=member,
            data=PostData(network="linkedin", url=f"https://linkedin.com/p/{i}", published_on=DAY),
        )
    client.force_login(coordinator)
    base = f"/organisateur/collectif/{collective.pk}/"
    small = {
        page: _count(client, base + page)
        for page in ("membres/", "mobilisations/", "tableau-de-bord/", "territoires/", "ateliers/")
    }
    for i in range(2, 8):
        member = make_member(f"m{i}@example.fr", f"Membre {i}", departments["29"])
        ambassador_network_set(actor=member.user, ambassador=member, network="tiktok")
        mobilisation_join(actor=member.user, ambassador=member, mobilisation=mobilisation)
        post_declare(
            actor=member.user,
            ambassador=member,
            data=PostData(
                network="tiktok",
                url=f"https://tiktok.com/@m/{i}",
                published_on=DAY,
                mobilisation=mobilisation,
            ),
        )
    for page, count in small.items():
        assert _count(client, base + page) == count, page
    # Members list: session, user, collective in scope, members (+ department, sector, user),
    # their networks, their themes, pending requests, sent invitations = 8.
    assert small["membres/"] == 8
    # Mobilisations: session, user, collective, mobilisations with counts = 4.
    assert small["mobilisations/"] == 4
    # Dashboard: session, user, collective, participations, visits by link, registrations by
    # link, posts, their metrics, and the roll-up state (read only, for "figures up to …": the
    # dashboards no longer roll visits up themselves) = 9.
    assert small["tableau-de-bord/"] == 9
    # Presence: session, user, collective, départements, members, posts, events by
    # département, latest BMO year (no hiring data here, so no per-département sum), the
    # département picker = 9.
    assert small["territoires/"] == 9


def test_member_pages_cost_a_fixed_number_of_queries(
    client, alice, make_member, collective, coordinator, world
):
    client.force_login(alice.user)
    post_declare(
        actor=alice.user,
        ambassador=alice,
        data=PostData(network="x", url="https://x.com/a/1", published_on=DAY),
    )
    for i in range(2):
        m = mobilisation_create(
            actor=coordinator,
            collective=collective,
            data=MobilisationData(
                title=f"M{i}", goal="g", starts_on=DAY, ends_on=DAY, event=world.event
            ),
        )
        mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=m)
    home, board = (
        _count(client, "/organisateur/ambassadeur/"),
        _count(client, "/organisateur/ambassadeur/tableau-de-bord/"),
    )
    for i in range(2, 6):
        m = mobilisation_create(
            actor=coordinator,
            collective=collective,
            data=MobilisationData(
                title=f"M{i}", goal="g", starts_on=DAY, ends_on=DAY, event=world.event
            ),
        )
        mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=m)
        post_declare(
            actor=alice.user,
            ambassador=alice,
            data=PostData(network="x", url=f"https://x.com/a/{i}", published_on=DAY),
        )
    # Home: session, user, membership, mobilisations, their themes, my participations = 6.
    assert _count(client, "/organisateur/ambassadeur/") == home == 6
    # Dashboard: session, user, membership, participations, visits, registrations, posts,
    # their metrics, the roll-up state (read only: no catch-up on a dashboard) = 9.
    assert _count(client, "/organisateur/ambassadeur/tableau-de-bord/") == board == 9


def test_linkedin_import_reads_an_xlsx_export(client, alice):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Post URL", "Post publish date", "Impressions", "Engagements", "Reposts"])
    sheet.append(["https://www.linkedin.com/posts/alice-x", dt.date(2026, 3, 4), 5000, 120, 7])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(alice.user)
    response = _upload(client, buffer.getvalue(), name="export.xlsx")
    assert response.status_code == 302
    post = Post.objects.get(ambassador=alice)
    assert post.published_on == dt.date(2026, 3, 4)
    assert {m.metric: m.value for m in post.metrics.all()} == {
        "impressions": 5000,
        "engagements": 120,
        "shares": 7,
    }


def test_member_types_the_figures_of_a_post(client, alice, alice_post):
    client.force_login(alice.user)
    url = f"/organisateur/ambassadeur/publications/{alice_post.pk}/chiffres/"
    response = client.post(url, {"impressions": "-5"})
    assert response.status_code == 200 and alice_post.metrics.get().value == 4321
    response = client.post(url, {"impressions": "5000", "clicks": "40"})
    assert response.status_code == 302
    assert {m.metric: m.value for m in alice_post.metrics.all()} == {
        "impressions": 5000,
        "clicks": 40,
    }


def test_public_page_costs_a_fixed_number_of_queries(client, collective, make_member, settings):
    # Visit measurement (its own queries, tested in vocations/analytics) is off here.
    settings.ANALYTICS_ENABLED = False

    from vocations.ambassadors.services import ambassador_update_profile
    from vocations.ambassadors.services.members import ProfileData

    def show(n):
        for i in range(n):
            member = make_member(f"pub{n}-{i}@example.fr", f"Public {n}-{i}")
            ambassador_update_profile(
                actor=member.user,
                ambassador=member,
                data=ProfileData(display_name=member.display_name, is_public=True),
            )

    show(2)
    # Public page (anonymous, cache emptied): the collective with its member count, the
    # themes, the public members, their themes = 4.
    from django.core.cache import cache

    cache.clear()
    assert _count(client, "/ambassadeurs/") == 4
    show(5)
    cache.clear()
    assert _count(client, "/ambassadeurs/") == 4


def test_coordinator_sees_posts_without_anything_to_approve(
    client, collective, coordinator, make_member, departments, mobilisation, alice, alice_post
):
    ambassador_network_set(actor=alice.user, ambassador=alice, network="linkedin")
    client.force_login(coordinator)
    url = f"/organisateur/collectif/{collective.pk}/mobilisations/{mobilisation.pk}/"
    page = text(client.get(url))
    assert "Alice Martin" in page and "4321" in page
    assert "valider" not in page.lower().replace("rien à valider", "")
    small = _count(client, url)
    for i in range(4):
        member = make_member(f"p{i}@example.fr", f"Membre {i}", departments["29"])
        ambassador_network_set(actor=member.user, ambassador=member, network="instagram")
        mobilisation_join(actor=member.user, ambassador=member, mobilisation=mobilisation)
        post = post_declare(
            actor=member.user,
            ambassador=member,
            data=PostData(
                network="instagram",
                url=f"https://www.instagram.com/p/{i}/",
                published_on=DAY,
                mobilisation=mobilisation,
            ),
        )
        post_metrics_set(actor=member.user, post=post, values={"impressions": 10})
    # Mobilisation page: session, user, collective, the mobilisation (with event, wave,
    # campaign), its themes; coverage inputs (placements, media figures, event audiences,
    # members' networks, their themes); posts, their metrics; participants — the same number
    # whatever the number of members and posts.
    assert _count(client, url) == small <= 16


def test_presence_map_colours_members_and_links_each_department(
    client, collective, coordinator, alice, bruno, departments
):
    """The coordinators' presence page draws the territory map coloured by members: each
    département is a link to its coverage matrix whose name says members, events and need;
    the Loire, with no member, says so. A member of the collective cannot open it."""
    base = f"/organisateur/collectif/{collective.pk}/territoires/"
    body = text(_get(client, coordinator, base))
    assert '<figure class="territory-map">' in body
    assert 'aria-labelledby="titre-carte-presence"' in body
    rhone = 'aria-label="Rhône (69) : 1 membre(s), 0 événement(s) à venir, 0 projet(s)'
    assert rhone in body
    assert 'aria-label="Loire (42) : aucun membre, 0 événement(s) à venir' in body
    assert '<a href="?departement=42#couverture"' in body
    # Two colours: départements with a member are darker than the Loire.
    fills = dict(
        re.findall(r'data-code="(\w+)"><title>[^<]*</title><path d="[^"]*" fill="(#\w+)"', body)
    )
    assert fills["69"] == fills["29"] != fills["42"]
    # The table is kept.
    assert 'id="presence"' in body
    # The link opens that département's coverage.
    assert "Loire (42)" in text(_get(client, coordinator, base + "?departement=42"))
    assert _get(client, alice.user, base).status_code == 404
