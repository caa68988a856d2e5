"""An individual manages their registration on a phone from the e-mailed link: corrects their
name, brings a companion, moves to another session (a full one is refused in French), then
downloads the ticket as a PDF and the session for their calendar. axe-core on each state."""

from __future__ import annotations

from pathlib import Path

from django.core import mail

from vocations.api.tests.factories import make_event, make_geography, make_organization, moment
from vocations.events.models import Event, Registration, Session
from vocations.events.services import RegistrationData, registration_create
from vocations.events.tickets import self_service_token

from .test_accessibility import BLOCKING_IMPACTS, _readable, _run_axe

PHONE = 390


def _flagship() -> tuple[Event, Session, Session]:
    geo = make_geography()
    event = make_event(
        organization=make_organization("Usine extraordinaire"),
        title="L'Usine extraordinaire",
        commune=geo["Lyon"],
        starts_at=moment(20, 9),
        ends_at=moment(21, 18),
        capacity=None,
        max_companions=2,
        kind=Event.Kind.FLAGSHIP,
    )
    talk = Session.objects.create(
        event=event,
        kind="conference",
        title="Conférence hydrogène",
        starts_at=moment(20, 14),
        ends_at=moment(20, 15),
        capacity=1,
    )
    workshop = Session.objects.create(
        event=event,
        kind="workshop",
        title="Atelier soudure",
        starts_at=moment(21, 10),
        ends_at=moment(21, 12),
        capacity=30,
    )
    return event, talk, workshop


def _person(email: str, first_name: str = "Léa") -> RegistrationData:
    return RegistrationData(
        kind="individual",
        email=email,
        first_name=first_name,
        last_name="Martinn",
        audience="young_people",
        consent=True,
    )


def _axe(page) -> None:
    blocking = [v for v in _run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, _readable(page.url, blocking)


def test_an_individual_changes_their_registration_on_a_phone(open_page, screenshot_dir):
    event, talk, workshop = _flagship()
    registration_create(event=event, session=talk, data=_person("autre@example.fr", "Ali"))
    lea = registration_create(event=event, data=_person("lea@example.fr"))
    token = self_service_token(lea)
    page = open_page(f"/inscription/{token}/", width=PHONE, height=844)

    code = page.locator(".ticket__code").inner_text()
    assert code == lea.short_code_display and len(code) == 9 and code[4] == "-"
    _axe(page)

    # A typo in the name.
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_role("button", name="Enregistrer le nom").click()
    assert "Votre nom est corrigé." in page.get_by_role("status").inner_text()
    assert "Léa Martin" in page.locator(".reg-facts").inner_text()

    # The full conference is refused in French, the page says why and nothing moved.
    page.get_by_label("Conférence hydrogène").check()
    page.get_by_role("button", name="Changer de séance").click()
    alert = page.get_by_role("alert")
    assert "La séance choisie est complète : il reste 0 place" in alert.inner_text()
    page.screenshot(path=str(screenshot_dir / "self-service-session-full-390.png"), full_page=True)
    _axe(page)
    lea.refresh_from_db()
    assert lea.session_id is None

    # The workshop has room; then a friend comes along.
    page.get_by_label("Atelier soudure").check()
    page.get_by_role("button", name="Changer de séance").click()
    assert "Votre séance est changée." in page.get_by_role("status").inner_text()
    page.get_by_label("Nombre de personnes qui viennent avec vous").fill("1")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "vous et 1 accompagnant" in page.locator(".reg-facts").inner_text()
    lea.refresh_from_db()
    assert (lea.session_id, lea.seats, lea.last_name) == (workshop.pk, 2, "Martin")
    assert any(m.subject.startswith("Changement de séance") for m in mail.outbox)

    # Downloads: the ticket as a PDF, the session for the calendar.
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Télécharger le billet (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as ics:
        page.get_by_role("link", name="Ajouter à mon agenda").click()
    body = Path(ics.value.path()).read_text(encoding="utf-8")
    assert "SUMMARY:L'Usine extraordinaire — Atelier soudure" in body
    assert "lea@example.fr" not in body

    page.screenshot(path=str(screenshot_dir / "self-service-changed-390.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE, scroll_width
    _axe(page)
    assert Registration.objects.get(pk=lea.pk).status == "confirmed"
    assert open_page.offsite_requests == []
