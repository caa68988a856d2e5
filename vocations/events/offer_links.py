"""The signed link of a waiting-list offer ("Confirmer ma place").

It carries the registration id, its random ticket code and the moment of the offer, signed
with the project's SECRET_KEY and a salt of its own (neither a ticket nor a self-service link
opens it, nor the reverse). It confirms once: after that, or after the offer's deadline, the
page says so (vocations.events.services.waitlist decides, under the lock).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from vocations.events.models import Registration
from vocations.events.tickets import TicketError

OFFER_SALT = "vocations.events.waitlist-offer"
OFFER_PATH = "/inscription/place-proposee/{token}/"
INVALID = "Ce lien n'est pas valide."


def _value(registration: Registration) -> str:
    stamp = int(registration.offered_at.timestamp()) if registration.offered_at else 0
    return f"{registration.pk}.{registration.ticket_code}.{stamp}"


def offer_token(registration: Registration) -> str:
    return signing.Signer(salt=OFFER_SALT).sign(_value(registration))


def offer_url(registration: Registration) -> str:
    return settings.SITE_URL + OFFER_PATH.format(token=offer_token(registration))


def verify_offer_token(token: str) -> Registration:
    """The registration an offer link names; TicketError (French) when forged or stale."""
    try:
        value = signing.Signer(salt=OFFER_SALT).unsign((token or "").strip())
    except signing.BadSignature:
        raise TicketError(INVALID) from None
    registration_id, _, rest = value.partition(".")
    code, _, stamp = rest.rpartition(".")
    if not registration_id.isdigit() or not code:
        raise TicketError(INVALID)
    registration = (
        Registration.objects.select_related("event", "session").filter(pk=registration_id).first()
    )
    # One message whatever failed: never tell a guesser which part was right.
    if registration is None or not constant_time_compare(_value(registration), value):
        raise TicketError(INVALID)
    return registration
