"""A class bigger than the seats left (issue #12, point 1), and a waiting-list offer, in
Chromium at phone width: the seats left follow the group's size as it is typed, the server
offers reduce-or-wait with the truth, the offer page confirms in one click; axe-core on each."""

from __future__ import annotations

from vocations.events.models import Event, Registration
from vocations.events.offer_links import offer_token
from vocations.events.services import RegistrationData, registration_cancel, registration_create

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe
from .test_registration import PHONE, _no_horizontal_scroll, _world


def _fill_class(page, pupils: str, adults: str) -> None:
    page.get_by_label("Nom de l'établissement ou du centre de formation").fill("Collège Lumière")
    page.get_by_label("Département d'origine du groupe").select_option("69")
    page.get_by_label("Niveau de la classe").select_option("4e")
    page.get_by_label("Nombre d'élèves").fill(pupils)
    page.get_by_label("Nombre d'adultes accompagnateurs, vous compris").fill(adults)
    page.get_by_label("Votre prénom").fill("Inès")
    page.get_by_label("Votre nom").fill("Bernard")
    page.get_by_label("Votre adresse e-mail").fill("ines.bernard@college.fr")
    page.get_by_label("J'accepte que ces informations servent uniquement").check()


def _axe_clean(page) -> None:
    _no_horizontal_scroll(page)
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, _readable(page.url, blocking)


def test_a_class_bigger_than_the_seats_left_chooses_to_wait(open_page, screenshot_dir):
    event = _world()  # 60 seats
    Event.objects.filter(pk=event.pk).update(capacity=20)
    for i in range(10):
        registration_create(
            event=event,
            data=RegistrationData(
                kind="individual",
                email=f"p{i}@example.fr",
                first_name="Léa",
                last_name="Martin",
                audience="young_people",
                consent=True,
            ),
        )
    page = open_page(f"/evenements/{event.slug}/inscription/?type=groupe", width=PHONE, height=844)
    live = page.locator("#places-groupe")
    _fill_class(page, "12", "2")
    # As it is typed, before anything is sent (static script, no inline JS).
    assert live.inner_text().startswith("Il reste 10 places, votre groupe en demande 14")
    page.get_by_label("Nombre d'élèves").fill("7")
    assert live.inner_text() == "Il reste 10 places ; votre groupe en demande 9."
    page.get_by_label("Nombre d'élèves").fill("12")
    _axe_clean(page)

    # Sent anyway: the server says the same and offers both choices; nothing is written.
    page.get_by_role("button", name="Inscrire la classe").click()
    choice = page.locator("#choix-places")
    assert "Il reste 10 places, votre groupe en demande 14" in choice.inner_text()
    assert Registration.objects.filter(kind="group").count() == 0
    page.screenshot(path=str(screenshot_dir / "registration-seats-short-390.png"), full_page=True)
    _axe_clean(page)
    page.get_by_role("button", name="Inscrire les 14 personnes sur liste d'attente").click()
    page.wait_for_url("**/confirmation/")
    klass = Registration.objects.get(kind="group")
    assert (klass.status, klass.seats) == ("waitlisted", 14)
    assert "liste d'attente" in page.locator("main").inner_text()


def test_a_waiting_list_offer_is_confirmed_in_one_click(open_page, screenshot_dir):
    event = _world()
    Event.objects.filter(pk=event.pk).update(capacity=1, waitlist_offer_hours=48)
    event.refresh_from_db()
    people = [
        registration_create(
            event=event,
            data=RegistrationData(
                kind="individual",
                email=f"{name}@example.fr",
                first_name=name.capitalize(),
                last_name="Martin",
                audience="young_people",
                consent=True,
            ),
        )
        for name in ("lea", "noah")
    ]
    registration_cancel(registration=people[0])
    offered = Registration.objects.get(pk=people[1].pk)
    page = open_page(f"/inscription/place-proposee/{offer_token(offered)}/", width=PHONE)
    assert page.get_by_role("heading", level=1).inner_text() == "Une place vous est proposée"
    _axe_clean(page)
    page.screenshot(path=str(screenshot_dir / "waitlist-offer-390.png"), full_page=True)
    page.get_by_role("button", name="Confirmer ma place").click()
    page.wait_for_url("**/confirmation/")
    assert Registration.objects.get(pk=offered.pk).status == "confirmed"
    again = open_page(f"/inscription/place-proposee/{offer_token(offered)}/", width=PHONE)
    assert "Cette place est déjà confirmée" in again.locator("main").inner_text()
    _axe_clean(again)
