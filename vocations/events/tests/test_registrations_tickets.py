"""Tickets and self-service links: genuine ones open, forged/tampered/expired/other ones don't."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
import segno
from django.core import signing
from django.utils import timezone
from PIL import Image

from vocations.events.services import registration_create
from vocations.events.tickets import (
    SELF_SERVICE_SALT,
    TicketError,
    qr_png,
    qr_svg,
    self_service_token,
    self_service_url,
    ticket_payload,
    verify_self_service_token,
    verify_ticket,
)

from .test_registrations_support import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return registration_create(event=make_event(), data=person())


def test_ticket_code_is_random_url_safe_and_long_enough(registration):
    other = registration_create(event=registration.event, data=person("autre@example.fr"))
    assert registration.ticket_code != other.ticket_code
    # 24 url-safe characters = 144 bits of entropy (≥ 16 bytes).
    assert len(registration.ticket_code) == 24
    assert all(c.isalnum() or c in "-_" for c in registration.ticket_code)


def test_genuine_ticket_opens_its_registration(registration):
    payload = ticket_payload(registration)
    assert verify_ticket(payload).pk == registration.pk
    assert verify_ticket(payload, event=registration.event).pk == registration.pk


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"),  # signature altered
        lambda p: p.replace(p.split(".")[0], str(int(p.split(".")[0]) + 1), 1),  # other id
        lambda p: "",
        lambda p: "n'importe quoi",
    ],
)
def test_tampered_tickets_are_refused(registration, tamper):
    with pytest.raises(TicketError, match="n'est pas valide"):
        verify_ticket(tamper(ticket_payload(registration)))


def test_forged_ticket_with_the_right_code_but_no_key_is_refused(registration):
    forged = signing.Signer(key="pas-la-bonne-cle", salt="vocations.events.ticket").sign(
        f"{registration.pk}.{registration.ticket_code}"
    )
    with pytest.raises(TicketError, match="signature"):
        verify_ticket(forged)


def test_signed_ticket_with_a_wrong_code_is_refused(registration):
    signer = signing.Signer(salt="vocations.events.ticket")
    with pytest.raises(TicketError, match="n'est pas valide"):
        verify_ticket(signer.sign(f"{registration.pk}.{'x' * 24}"))


def test_ticket_of_another_event_is_refused(registration):
    with pytest.raises(TicketError, match="autre événement"):
        verify_ticket(ticket_payload(registration), event=make_event())


def test_a_ticket_is_not_a_self_service_link_and_the_reverse(registration):
    with pytest.raises(TicketError):
        verify_self_service_token(ticket_payload(registration))
    with pytest.raises(TicketError):
        verify_ticket(self_service_token(registration))


def test_self_service_link_opens_until_the_event_end_plus_30_days(registration):
    token = self_service_token(registration)
    assert verify_self_service_token(token).pk == registration.pk
    assert self_service_url(registration).endswith(f"/inscription/{token}/")
    with pytest.raises(TicketError, match="n'est pas valide"):
        verify_self_service_token(token[:-2] + "xx")

    event = registration.event
    # The event ended 29 days ago: still open.
    event.starts_at = timezone.now() - dt.timedelta(days=29, hours=2)
    event.ends_at = timezone.now() - dt.timedelta(days=29)
    event.registration_opens_at = event.registration_closes_at = None
    event.save()
    assert verify_self_service_token(token).pk == registration.pk
    # 31 days ago: expired, even though the signature is genuine.
    event.starts_at -= dt.timedelta(days=2)
    event.ends_at -= dt.timedelta(days=2)
    event.save()
    with pytest.raises(TicketError, match="expiré"):
        verify_self_service_token(token)


def test_a_link_signed_long_ago_for_a_past_event_is_expired(registration, monkeypatch):
    # Signed 60 days ago (the signer reads time.time()); the event ended 40 days ago.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 60 * 86400)
    token = signing.TimestampSigner(salt=SELF_SERVICE_SALT).sign(
        f"{registration.pk}.{registration.ticket_code}"
    )
    monkeypatch.setattr(time, "time", real_time)
    event = registration.event
    event.starts_at = timezone.now() - dt.timedelta(days=40, hours=2)
    event.ends_at = timezone.now() - dt.timedelta(days=40)
    event.registration_opens_at = event.registration_closes_at = None
    event.save()
    with pytest.raises(TicketError, match="expiré"):
        verify_self_service_token(token)


def test_qr_png_draws_the_symbol_of_the_signed_ticket(registration):
    payload = ticket_payload(registration)
    png = qr_png(payload, scale=8)
    image = Image.open(io.BytesIO(png)).convert("L")
    matrix = segno.make(payload, error="m").matrix
    size = len(matrix)
    assert image.size == ((size + 8) * 8, (size + 8) * 8)  # 4-module quiet zone each side
    # Every module's centre pixel is dark exactly where the payload's symbol has a dark module.
    drawn = [
        [image.getpixel(((c + 4) * 8 + 4, (r + 4) * 8 + 4)) < 128 for c in range(size)]
        for r in range(size)
    ]
    assert drawn == [[bool(m) for m in row] for row in matrix]
    svg = qr_svg(payload)
    assert svg.lstrip().startswith("<svg") and "path" in svg
