"""Signed tickets (QR codes scanned at the door) and self-service links.

Both carry the registration id and its random ``ticket_code``, signed with the project's
SECRET_KEY and a salt of their own, so a ticket cannot be used as a self-service link and the
reverse. A forged, tampered, expired or mismatched value raises TicketError (French message).
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare

from vocations.events.models import Event, Registration
from vocations.events.models.registrations import (
    SHORT_CODE_ALPHABET,
    SHORT_CODE_LENGTH,
    new_short_code,
)

TICKET_SALT = "vocations.events.ticket"
SELF_SERVICE_SALT = "vocations.events.self-service"
# A self-service link works until this long after the event's end (to see or print the ticket).
SELF_SERVICE_GRACE = dt.timedelta(days=30)
# Where the public site serves the self-service page; the API serves the same token.
SELF_SERVICE_PATH = "/inscription/{token}/"


class TicketError(ValidationError):
    """A ticket or self-service link that must be refused."""


def _value(registration: Registration) -> str:
    return f"{registration.pk}.{registration.ticket_code}"


def _registration_from(value: str) -> Registration:
    registration_id, _, code = value.partition(".")
    if not registration_id.isdigit() or not code:
        raise TicketError("Ce billet n'est pas valide.")
    registration = (
        Registration.objects.select_related("event", "session").filter(pk=registration_id).first()
    )
    # Same message whatever failed: never tell a guesser which part was right.
    if registration is None or not constant_time_compare(registration.ticket_code, code):
        raise TicketError("Ce billet n'est pas valide.")
    return registration


def ticket_payload(registration: Registration) -> str:
    """What the QR code on the ticket carries: the signed id and ticket code."""
    return signing.Signer(salt=TICKET_SALT).sign(_value(registration))


def verify_ticket(payload: str, *, event: Event | None = None) -> Registration:
    """The registration a scanned ticket stands for; refuses forged ones and other events'."""
    try:
        value = signing.Signer(salt=TICKET_SALT).unsign((payload or "").strip())
    except signing.BadSignature:
        raise TicketError("Ce billet n'est pas valide (signature incorrecte).") from None
    registration = _registration_from(value)
    if event is not None and registration.event_id != event.pk:
        raise TicketError("Ce billet est celui d'un autre événement.")
    return registration


def self_service_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=SELF_SERVICE_SALT).sign(_value(registration))


def self_service_deadline(event: Event) -> dt.datetime:
    return event.ends_at + SELF_SERVICE_GRACE


def self_service_url(registration: Registration) -> str:
    return settings.SITE_URL + SELF_SERVICE_PATH.format(token=self_service_token(registration))


def verify_self_service_token(token: str) -> Registration:
    """The registration a self-service link opens, until the event's end + 30 days."""
    signer = signing.TimestampSigner(salt=SELF_SERVICE_SALT)
    token = (token or "").strip()
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        raise TicketError("Ce lien n'est pas valide.") from None
    registration = _registration_from(value)
    # The signature is genuine, so its timestamp is too: the link may live from that moment
    # until the deadline, which moves with the event (a postponed event keeps its links).
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    max_age = self_service_deadline(registration.event).timestamp() - signed_at
    try:
        signer.unsign(token, max_age=max(max_age, 0))
    except signing.SignatureExpired:
        raise TicketError("Ce lien a expiré.") from None
    return registration


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """A print-ready PNG QR code (quiet zone included)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(payload: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return buffer.getvalue().decode()


# --- short codes: typed or read aloud at the door -----------------------------------------


def unique_short_code(event: Event) -> str:
    """A short code no registration of this event holds (drawn again on the rare collision).

    Called under the event's row lock by the registration service, so two registrations
    cannot draw the same free code at once; the unique constraint backs it up."""
    while True:
        code = new_short_code()
        if not Registration.objects.filter(event=event, short_code=code).exists():
            return code


def normalize_short_code(value: str) -> str | None:
    """« k7px-m3qd », « K7PX M3QD » → "K7PXM3QD"; None when it cannot be a short code."""
    compact = "".join(value.split()).replace("-", "").upper()
    if len(compact) == SHORT_CODE_LENGTH and all(c in SHORT_CODE_ALPHABET for c in compact):
        return compact
    return None
