"""The label workflow in a real browser: an organizer creates and submits, staff label it."""

from __future__ import annotations

import datetime as dt

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Sector
from vocations.events.models import Event, Label, LabelPeriod
from vocations.territories.models import Commune, Department, PostalCode, Region

PASSWORD = "mot-de-passe-de-test"


def _reference_data():
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    rhone = Department.objects.create(code="69", name="Rhône", slug="rhone", region=ara)
    lyon = Commune.objects.create(insee_code="69123", name="Lyon", department=rhone, region=ara)
    PostalCode.objects.create(code="69002", commune=lyon)
    Sector.objects.create(slug="metallurgie", name="Métallurgie")
    LabelPeriod.objects.create(
        name="Semaine de l'industrie 2027",
        starts_on=dt.date(2027, 3, 15),
        ends_on=dt.date(2027, 3, 28),
    )
    forges = Organization.objects.create(name="Forges de Lyon", slug="forges", kind="company")
    owner = User.objects.create_user("owner@forges.fr", PASSWORD)
    Membership.objects.create(user=owner, organization=forges, role="owner")
    User.objects.create_user("staff@campagne.fr", PASSWORD, is_staff=True)


def _sign_in(open_page, email: str, *, width: int = 1280):
    page = open_page("/organisateur/connexion/", width=width)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")
    return page


def test_organizer_creates_and_submits_then_staff_labels(open_page, screenshot_dir):
    _reference_data()

    # The organizer creates an event through the form.
    organizer = _sign_in(open_page, "owner@forges.fr")
    organizer.get_by_role("link", name="Créer un événement").click()
    organizer.get_by_label("Type d'événement").select_option("open_day")
    organizer.get_by_label("Titre").fill("Portes ouvertes aux Forges")
    organizer.get_by_label("Résumé").fill("Visitez nos ateliers de forge et de soudure.")
    organizer.get_by_label("Début", exact=False).first.fill("2027-03-20T09:00")
    organizer.locator("#id_ends_at").fill("2027-03-20T17:00")
    organizer.get_by_label("Code postal").fill("69002")
    # The commune list fills from the postal code (one commune: chosen for us).
    commune = organizer.get_by_label("Commune")
    organizer.wait_for_function(
        "() => document.getElementById('id_commune_insee').value === '69123'"
    )
    assert commune.input_value() == "69123"
    organizer.get_by_label("Nom du lieu").fill("Atelier central")
    organizer.get_by_label("Jeunes").check()
    organizer.get_by_label("Parents").check()
    organizer.get_by_label("Filières").select_option(label="Métallurgie")
    organizer.get_by_label("Capacité (places)").fill("40")
    # First with the end before the start: refused, with a summary that links to the field.
    organizer.locator("#id_ends_at").fill("2027-03-20T08:00")
    organizer.get_by_role("button", name="Créer l'événement").click()
    summary = organizer.get_by_role("alert")
    summary.wait_for()
    assert "La fin de l'événement doit être après son début." in summary.inner_text()
    assert (
        organizer.locator("#id_ends_at")
        .get_attribute("aria-describedby")
        .endswith("id_ends_at_error")
    )
    assert Event.objects.count() == 0
    organizer.screenshot(path=str(screenshot_dir / "event-form-errors-1280.png"), full_page=True)
    summary.get_by_role("link").click()
    organizer.locator("#id_ends_at").fill("2027-03-20T17:00")
    organizer.get_by_role("button", name="Créer l'événement").click()

    organizer.get_by_role("heading", level=1, name="Portes ouvertes aux Forges").wait_for()
    assert organizer.get_by_text("est créé (brouillon)").is_visible()
    event = Event.objects.get()
    assert event.commune.name == "Lyon"

    # The conditions are shown before submitting; then it goes to review.
    assert organizer.get_by_text("Pendant la campagne", exact=True).is_visible()
    organizer.get_by_role("button", name="Soumettre pour le label").click()
    organizer.get_by_text("Demande de label envoyée").wait_for()
    assert Label.objects.get(event=event).state == Label.State.SUBMITTED

    # Staff open the review queue and label it.
    staff = _sign_in(open_page, "staff@campagne.fr")
    staff.get_by_role("link", name="Revue des labels", exact=True).click()
    staff.get_by_role("heading", level=1, name="Revue des demandes de label").wait_for()
    staff.get_by_role("link", name="Portes ouvertes aux Forges").click()
    staff.get_by_role("heading", level=1).wait_for()
    assert (
        "Revue : Portes ouvertes aux Forges" in staff.get_by_role("heading", level=1).inner_text()
    )
    staff.screenshot(path=str(screenshot_dir / "review-1280.png"), full_page=True)
    staff.get_by_role("button", name="Labelliser l'événement").click()
    staff.get_by_text("« Portes ouvertes aux Forges » est labellisé.").wait_for()
    assert Label.objects.get(event=event).state == Label.State.LABELLED

    # The organizer sees "Labellisé" and the history.
    organizer.reload()
    status = organizer.locator(".bo-status")
    assert "Labellisé" in status.inner_text()
    history = organizer.locator("ol.history").inner_text()
    assert "Brouillon → En attente de revue" in history
    assert "En attente de revue → Labellisé" in history
    assert "staff@campagne.fr" in history
    organizer.get_by_role("link", name="Kit de communication").click()
    organizer.get_by_role("heading", level=1, name="Kit de communication").wait_for()
    assert organizer.locator(".kit-qr__image svg").is_visible()
    organizer.screenshot(path=str(screenshot_dir / "kit-1280.png"), full_page=True)

    # The review page on a phone, for the screenshot folder.
    phone = _sign_in(open_page, "staff@campagne.fr", width=390)
    phone.goto(f"/organisateur/revue/{event.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshot_dir / "review-390.png"), full_page=True)

    assert open_page.offsite_requests == []
