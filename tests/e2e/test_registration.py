"""A teacher registers a class on a phone: finder → event → form → confirmation → e-mail →
self-service link. The live server runs in this process with the locmem mail backend and
eager Celery, so the confirmation e-mail lands in django.core.mail.outbox."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.events.models import Event, Registration
from vocations.events.services import RegistrationData, registration_create
from vocations.events.tickets import qr_png, self_service_token, ticket_payload

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe

PHONE = 390


def _world() -> Event:
    geo = make_geography()
    return make_event(
        organization=make_organization("Forges de Villeurbanne"),
        title="Visite de l'atelier de soudure",
        commune=geo["Villeurbanne"],
        starts_at=moment(9, 9),
        ends_at=moment(9, 12),
        audiences=("young_people", "advisers"),
        capacity=60,
        accepts_groups=True,
        max_group_size=35,
        kind=Event.Kind.COMPANY_VISIT,
    )


def _no_horizontal_scroll(page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE, scroll_width


def test_teacher_registers_a_class_on_a_phone(open_page, screenshot_dir):
    event = _world()
    page = open_page("/evenements/", width=PHONE, height=844)

    near_me = page.get_by_role("group", name="Près de chez moi")
    near_me.get_by_label("Code postal").fill("69002")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/evenements/?*code_postal=69002*")
    page.get_by_role("link", name=event.title).click()
    page.wait_for_url(f"**/evenements/{event.slug}/")
    assert "60 places restantes" in page.locator(".reg-cta").inner_text()

    page.get_by_role("link", name="Inscrire une classe").click()
    page.wait_for_url(f"**/evenements/{event.slug}/inscription/?type=groupe")
    assert page.get_by_role("heading", level=1).inner_text() == "Inscrire une classe"
    _no_horizontal_scroll(page)
    # Phone keyboards: digits for the counts, an e-mail keyboard for the address.
    assert page.get_by_label("Nombre d'élèves").get_attribute("inputmode") == "numeric"
    assert page.get_by_label("Votre adresse e-mail").get_attribute("type") == "email"
    submit = page.get_by_role("button", name="Inscrire la classe")
    assert submit.bounding_box()["height"] >= 44  # a thumb-sized target

    # A first try with a wrong UAI code: a French message, the field flagged, nothing saved.
    page.get_by_label("Nom de l'établissement ou du centre de formation").fill(
        "Collège Jean Moulin"
    )
    page.get_by_label("Code UAI de l'établissement").fill("069123")
    page.get_by_label("Département d'origine du groupe").select_option("69")
    page.get_by_label("Niveau de la classe").select_option("3e")
    page.get_by_label("Nombre d'élèves").fill("24")
    page.get_by_label("Nombre d'adultes accompagnateurs, vous compris").fill("2")
    page.get_by_label("Votre prénom").fill("Paul")
    page.get_by_label("Votre nom").fill("Durand")
    page.get_by_label("Votre adresse e-mail").fill("paul.durand@college.fr")
    page.get_by_label("J'accepte que ces informations servent uniquement").check()
    page.screenshot(path=str(screenshot_dir / "registration-form-390.png"), full_page=True)
    submit.click()
    alert = page.get_by_role("alert")
    assert "7 chiffres suivis d'une lettre" in alert.inner_text()
    assert Registration.objects.count() == 0
    uai = page.get_by_label("Code UAI de l'établissement")
    assert uai.get_attribute("aria-invalid") == "true"
    # The summary links to the field; what was typed is still there.
    alert.get_by_role("link").click()
    assert page.evaluate("document.activeElement.name") == "uai"
    assert page.get_by_label("Nombre d'élèves").input_value() == "24"

    uai.fill("0691234A")
    page.get_by_label("J'accepte que ces informations servent uniquement").check()
    page.get_by_role("button", name="Inscrire la classe").click()
    # (The browser keeps the "#champ-uai" fragment of the summary link across the redirect.)
    page.wait_for_url(re.compile(r".*/inscription/[^/]+/confirmation/(#.*)?$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Inscription confirmée"
    body = page.locator("main").inner_text()
    assert "24 élèves et 2 accompagnateurs, soit 26 places" in body
    assert "Un e-mail vous a été envoyé" in body
    assert page.get_by_role("img", name="Code QR du billet").is_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "registration-done-390.png"), full_page=True)

    registration = Registration.objects.get()
    assert (registration.kind, registration.status, registration.seats) == (
        "group",
        "confirmed",
        26,
    )
    assert registration.uai == "0691234A"

    # The captured e-mail: the ticket as a PNG (inline and downloadable) and the personal link.
    (message,) = mail.outbox
    assert message.to == ["paul.durand@college.fr"]
    assert message.subject == f"Inscription confirmée : {event.title}"
    (image,) = [part for part in message.attachments if part.get_content_type() == "image/png"]
    assert image.get_payload(decode=True) == qr_png(ticket_payload(registration))
    assert image["Content-ID"] == "<billet>"
    html, _ = message.alternatives[0]
    assert 'src="cid:billet"' in html
    link = re.search(r"https?://\S+/inscription/\S+/", message.body).group(0)

    page.goto(urlsplit(link).path)
    assert page.get_by_role("heading", level=1).inner_text() == "Mon inscription"
    body = page.locator("main").inner_text()
    assert event.title in body
    assert "Collège Jean Moulin" in body
    assert "Confirmée" in body

    # A forged link: a French refusal, never the registration.
    page.goto(urlsplit(link).path.replace("/inscription/", "/inscription/9", 1))
    assert "Ce lien n'est pas valide." in page.locator("main").inner_text()

    assert open_page.offsite_requests == []


def test_registration_pages_at_phone_width_pass_axe(open_page, screenshot_dir):
    event = _world()
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.FLAGSHIP)
    registration = registration_create(
        event=event,
        data=RegistrationData(
            kind="group",
            email="prof@college.fr",
            first_name="Paul",
            last_name="Durand",
            consent=True,
            school_name="Collège Jean Moulin",
            class_level="3e",
            pupils=20,
            adults=2,
            origin_department="69",
        ),
    )
    token = self_service_token(registration)

    # The individual form sent empty: every error at once, in the summary and by each field.
    page = open_page(f"/evenements/{event.slug}/inscription/", width=PHONE, height=844)
    page.get_by_label("Votre âge").select_option("under_15")
    page.get_by_role("button", name="Valider mon inscription").click()
    alert = page.get_by_role("alert")
    assert "Avant 15 ans, l'accord d'un parent ou d'un tuteur est obligatoire." in (
        alert.inner_text()
    )
    page.screenshot(path=str(screenshot_dir / "registration-errors-390.png"), full_page=True)
    pages = [page]
    for path in (
        f"/inscription/{token}/",
        f"/inscription/{token}/?annuler=1",
        f"/evenements/{event.slug}/presse/",
        f"/evenements/{event.slug}/",
    ):
        pages.append(open_page(path, width=PHONE, height=844))
    pages[1].screenshot(path=str(screenshot_dir / "self-service-390.png"), full_page=True)
    for opened in pages:
        _no_horizontal_scroll(opened)
        blocking = [v for v in _run_axe(opened) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, _readable(opened.url, blocking)
    assert open_page.offsite_requests == []
