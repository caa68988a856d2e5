"""Back-office campaign screens: scope (404/403), forms, imports, QR downloads, query counts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.campaigns.models import BranchMessage, MediaFigure, Placement, TrackedLink
from vocations.campaigns.services import tracked_link_create

from .conftest import EUR, text
from .test_imports import PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def url(campaign, rest=""):
    return f"/organisateur/campagnes/{campaign.pk}/{rest}"


def test_other_organizations_campaign_is_not_found(client, users, campaign, other_campaign):
    client.force_login(users["other"])
    for path in ("", "liens/", "modifier/", "emplacements/nouveau/", "import/plan/"):
        assert client.get(url(campaign, path)).status_code == 404
    assert client.get(url(other_campaign)).status_code == 200


def test_non_member_non_staff_is_refused(client, users, campaign):
    from vocations.accounts.models import User

    stranger = User.objects.create_user("stranger@example.fr", "x")
    client.force_login(stranger)
    assert client.get("/organisateur/campagnes/").status_code == 403
    assert client.get(url(campaign)).status_code == 404
    client.logout()
    assert client.get(url(campaign)).status_code == 302  # to the sign-in page


def test_viewer_sees_but_cannot_change(client, users, campaign, waves):
    client.force_login(users["viewer"])
    assert client.get(url(campaign)).status_code == 200
    assert client.get(url(campaign, "emplacements/nouveau/")).status_code == 403
    assert client.post(url(campaign, "import/plan/"), {}).status_code == 403


def placement_post(wave, **overrides):
    values = {
        "wave": wave.pk,
        "channel": "billboard",
        "name": "Affichage Lyon",
        "territory": "69123",
        "quantity": "200",
        "unit": "panneaux",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-14",
        "planned": "85 000",
        "committed": "80 000,50",
        "landing_path": "/evenements/",
    }
    values.update(overrides)
    return values


def test_placement_form_creates_and_refuses_over_budget(client, users, campaign, waves, geo):
    client.force_login(users["editor"])
    response = client.post(url(campaign, "emplacements/nouveau/"), placement_post(waves[0]))
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.commune == geo["lyon"] and placement.committed_cents == 8_000_050
    response = client.post(
        url(campaign, "emplacements/nouveau/"),
        placement_post(waves[1], name="Trop cher", committed="15 000 000"),
    )
    assert response.status_code == 400
    body = text(response).replace("\u00a0", " ")
    assert "Engagé 15 080 000,50 € > budget 15 000 000 € : dépassement de 80 000,50 €" in body
    response = client.post(
        url(campaign, "emplacements/nouveau/"),
        placement_post(waves[1], name="Lien externe", landing_path="https://evil.example"),
    )
    assert response.status_code == 400 and "pas d'adresse externe" in text(response)
    assert Placement.objects.count() == 1


def test_campaign_page_shows_totals_and_warnings(client, users, campaign, waves, add_placement):
    add_placement(waves[0], planned_cents=16_000_000 * EUR, committed_cents=0)
    client.force_login(users["staff"])
    body = text(client.get(url(campaign))).replace("\u00a0", " ")
    assert "Prévu 16 000 000 € > budget 15 000 000 €" in body
    assert "Spot TV national" in body
    filtered = text(client.get(url(campaign), {"channel": "cinema"}))
    assert "Aucun emplacement pour ces filtres" in filtered


def test_placements_list_queries_do_not_grow(client, users, campaign, waves, add_placement, geo):
    client.force_login(users["staff"])
    for i in range(3):
        add_placement(
            waves[0], name=f"P{i}", commune=geo["lyon"], scope="commune", committed_cents=0
        )
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(campaign)).status_code == 200
    for i in range(3, 15):
        add_placement(waves[i % 4], name=f"P{i}", committed_cents=0)
    # Expected queries:
    #  1. session   2. user   3. campaign in scope (with organization)
    #  4. waves (filter form and totals)   5. sums by wave and channel   6. waves for totals
    #  7. placements with warnings   8. placements with wave, territory, message and link count
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(campaign))
    assert text(response).count("/emplacements/") >= 15
    assert len(many) == len(few) <= 8


def run_import(client, capture, campaign, kind: str, data: dict):
    """Post an import as the page does; the worker's task runs at commit (eager Celery).
    Returns the POST's answer and the job page it leads to."""
    with capture(execute=True):
        posted = client.post(url(campaign, f"import/{kind}/"), data)
    page = client.get(posted["Location"]) if posted.status_code == 302 else None
    return posted, page


def test_media_plan_upload_with_errors_then_import_valid_lines(
    client, users, campaign, waves, geo, django_capture_on_commit_callbacks
):
    client.force_login(users["editor"])
    bad = PLAN + "1;Radio;Radio;national;1;;01/03/2026;21/03/2026;10;10\n"
    upload = io.BytesIO(bad.encode("cp1252"))
    upload.name = "plan.csv"
    posted, page = run_import(
        client, django_capture_on_commit_callbacks, campaign, "plan", {"file": upload}
    )
    # The request only queues the file; the job page shows the worker's report.
    assert posted.status_code == 302 and "/import/plan/" in posted["Location"]
    assert page.status_code == 400
    body = text(page)
    assert "Ligne 7 : canal inconnu (Radio)" in body and "Importer les lignes valides (5)" in body
    assert "Rien n'a été importé" in body
    assert not Placement.objects.exists()
    job = str(page.context["job"].pk)
    posted, page = run_import(
        client, django_capture_on_commit_callbacks, campaign, "plan", {"job": job}
    )
    assert page.status_code == 200 and Placement.objects.count() == 5
    assert "Import terminé : 5 ajouté(s)" in text(page)
    # Importing the valid lines again changes nothing (upsert), and another user cannot.
    run_import(client, django_capture_on_commit_callbacks, campaign, "plan", {"job": job})
    assert Placement.objects.count() == 5
    client.force_login(users["staff"])
    assert client.get(posted["Location"]).status_code == 404
    refused = client.post(url(campaign, "import/plan/"), {"job": job})
    assert refused.status_code == 302 and refused["Location"].endswith("/import/plan/")
    forged = client.post(url(campaign, "import/plan/"), {"job": "../../etc/passwd"})
    assert forged.status_code == 302 and forged["Location"].endswith("/import/plan/")


def test_wrong_columns_upload_shows_the_missing_columns(
    client, users, campaign, waves, django_capture_on_commit_callbacks
):
    client.force_login(users["editor"])
    upload = io.BytesIO(b"a;b\n1;2\n")
    upload.name = "x.csv"
    _, page = run_import(
        client, django_capture_on_commit_callbacks, campaign, "chiffres", {"file": upload}
    )
    assert page.status_code == 400
    assert "Colonnes manquantes : emplacement, début, fin, indicateur, valeur" in text(page)


def test_figures_upload_imports(
    client, users, campaign, waves, add_placement, django_capture_on_commit_callbacks
):
    placement = add_placement(waves[0])
    client.force_login(users["editor"])
    upload = io.BytesIO(
        f"emplacement;début;fin;indicateur;valeur\n{placement.pk};01/03/2026;07/03/2026;grp;80\n".encode()
    )
    upload.name = "chiffres.csv"
    _, page = run_import(
        client, django_capture_on_commit_callbacks, campaign, "chiffres", {"file": upload}
    )
    assert page.status_code == 200
    assert MediaFigure.objects.get().value_milli == 80_000


def test_the_importer_reports_its_progress(users, campaign, waves, geo):
    from vocations.campaigns.services.imports import media_plan_import

    line = "1;Affichage;Gare {n};69;1;;01/03/2026;21/03/2026;10;10\n"
    content = PLAN.splitlines(keepends=True)[0] + "".join(line.format(n=n) for n in range(450))
    seen: list[tuple[int, int]] = []
    report = media_plan_import(
        actor=users["editor"],
        campaign=campaign,
        content=content.encode(),
        filename="plan.csv",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.imported and report.created == 450
    assert seen == [(0, 450), (200, 450), (400, 450)]


def test_the_job_page_follows_progress_until_done(client, users, campaign, waves):
    """Before the worker has taken it, the page waits and refreshes itself; while it runs, it
    shows the line reached; a worker lost for half an hour is said, not waited for forever."""
    from django.core.cache import cache

    from vocations.campaigns.services.import_jobs import import_start

    client.force_login(users["editor"])
    job = import_start(
        actor=users["editor"], campaign=campaign, kind="plan", content=b"x", filename="p.csv"
    )
    page_url = url(campaign, f"import/plan/{job.pk}/")
    waiting = client.get(page_url)
    assert waiting.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in text(waiting)
    assert "En attente de traitement" in text(waiting)
    job.status = "running"
    job.save()
    cache.set(f"import-progress:{job.pk}", (1200, 5000), 60)
    running = text(client.get(page_url))
    assert "Ligne 1200 sur 5000" in running and 'max="5000" value="1200"' in running
    type(job).objects.filter(pk=job.pk).update(started_at=job.created_at - dt.timedelta(minutes=31))
    stalled = text(client.get(page_url))
    assert "ne progresse plus" in stalled and "http-equiv" not in stalled


def test_qr_downloads_and_wave_zip(client, users, campaign, waves, add_placement, geo):
    placement = add_placement(waves[0], channel="billboard", name="Affichage")
    client.force_login(users["staff"])
    response = client.post(
        url(campaign, f"emplacements/{placement.pk}/liens/"), {"communes": "69123, 84007"}
    )
    assert response.status_code == 302 and placement.links.count() == 2
    link = placement.links.get(commune=geo["lyon"])
    png = client.get(url(campaign, f"liens/{link.pk}/qr-billboard.png"))
    assert png["Content-Type"] == "image/png"
    assert (
        png["Content-Disposition"]
        == 'attachment; filename="vague-1_affichage_lyon_69123_billboard.png"'
    )
    svg = client.get(url(campaign, f"liens/{link.pk}/qr-flyer.svg"))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert client.get(url(campaign, f"liens/{link.pk}/qr-flyer.gif")).status_code == 404
    archive = client.get(url(campaign, "vagues/1/qr-flyer.zip"))
    assert archive["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "vague-1_affichage_avignon_84007.png" in names and "index.csv" in names
    page = text(client.get(url(campaign, "liens/")))
    assert f"/l/{link.code}" in page


def test_links_of_another_campaign_are_not_downloadable(client, users, campaign, other_campaign):
    wave = other_campaign.waves.get()
    from vocations.campaigns.services import PlacementData, placement_create

    foreign = placement_create(
        actor=users["staff"], campaign=other_campaign,
        data=PlacementData(wave=wave, channel="web", name="Web", scope="national",
                           starts_on=wave.starts_on, ends_on=wave.ends_on),
    )  # fmt: skip
    link = tracked_link_create(actor=users["staff"], target_kind="placement", placement=foreign)
    client.force_login(users["editor"])
    assert client.get(url(campaign, f"liens/{link.pk}/qr-flyer.png")).status_code == 404
    assert client.get(url(other_campaign, f"liens/{link.pk}/qr-flyer.png")).status_code == 404


def test_branch_editor_writes_the_branch_message(
    client, users, campaign, waves, branch, add_placement
):
    placement = add_placement(waves[0], channel="social", name="Social")
    client.force_login(users["branch_editor"])
    assert client.get(url(campaign)).status_code == 404  # budget screens stay private
    assert client.get(url(campaign, "declinaisons/")).status_code == 200
    response = client.post(
        url(campaign, "declinaisons/nouvelle/"),
        {"branch": branch.pk, "title": "La chimie recrute", "text": "Venez !",
         "audiences": ["young_people"], "placements": [placement.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    message = BranchMessage.objects.get()
    assert message.placements.get() == placement
    assert [a.audience for a in message.audiences.all()] == ["young_people"]
    assert TrackedLink.objects.get(target_kind="branch").landing_path == "/branches/chimie/"
    client.force_login(users["other"])
    assert client.get(url(campaign, f"declinaisons/{message.pk}/")).status_code == 404


def test_every_screen_renders_for_staff(client, users, campaign, waves, add_placement, branch):
    placement = add_placement(waves[0])
    client.force_login(users["staff"])
    for path in ("", "modifier/", "vagues/nouvelle/", "vagues/2/", f"emplacements/{placement.pk}/",
                 "import/plan/", "import/chiffres/", "liens/", "declinaisons/",
                 "declinaisons/nouvelle/"):  # fmt: skip
        assert client.get(url(campaign, path)).status_code == 200, path
    for path in ("/organisateur/campagnes/", "/organisateur/campagnes/nouvelle/"):
        assert client.get(path).status_code == 200
    assert "Avec l'industrie" in text(client.get("/organisateur/campagnes/"))
    assert client.get(url(campaign, "import/autre/")).status_code == 404


def test_campaign_and_wave_forms_save(client, users, team, campaign, waves):
    client.force_login(users["editor"])
    response = client.post(
        "/organisateur/campagnes/nouvelle/",
        {"organization": team.pk, "name": "Campagne 2", "budget": "1 000 000",
         "starts_on": "2027-01-01", "ends_on": "2027-12-31", "banner_colour": "#000091",
         "attribution_window_days": "30"},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        url(campaign, "vagues/1/"),
        {"number": "1", "name": "Lancement", "starts_on": "2026-03-01", "ends_on": "2026-03-28"},
    )
    assert response.status_code == 302
    waves[0].refresh_from_db()
    assert waves[0].name == "Lancement"
    response = client.post(
        url(campaign, "vagues/nouvelle/"),
        {"number": "5", "name": "Trop tard", "starts_on": "2029-01-01", "ends_on": "2029-01-20"},
    )
    assert response.status_code == 400 and "pendant la campagne" in text(response)
