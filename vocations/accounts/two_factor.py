"""Optional TOTP two-factor sign-in for staff and organizers (django-otp), required for staff
when ``OTP_REQUIRED_FOR_STAFF`` is on (the default when DEBUG is off). docs/security.md.

A user enrols one authenticator app (a confirmed ``TOTPDevice``); from then on a password
alone opens nothing in the back office or the admin: the session must also be verified with
a six-digit code (backoffice/two_factor.py). Wrong codes slow down on their own (django-otp's
throttling doubles the wait after each failure).
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from vocations.core.services import audit_log

DEVICE_NAME = "Application d'authentification"


def required_for(user) -> bool:
    """Must this user enrol before using the back office?"""
    return bool(user.is_staff and getattr(settings, "OTP_REQUIRED_FOR_STAFF", False))


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The enrolment in progress (unconfirmed), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand (base32, in groups of four)."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def totp_enrol_confirm(*, user, device: TOTPDevice, token: str) -> bool:
    """Confirm the enrolment if ``token`` is the app's current code; audited."""
    token = (token or "").replace(" ", "")
    if device.user_id != user.pk or device.confirmed or not token.isdigit():
        return False
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_log(actor=user, action="account.two_factor_enabled", target=user)
    return True
