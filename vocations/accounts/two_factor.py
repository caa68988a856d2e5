"""Optional TOTP two-factor sign-in for staff and organizers (django-otp), required for staff
when ``OTP_REQUIRED_FOR_STAFF`` is on (the default when DEBUG is off). docs/security.md.

A user enrols one authenticator app (a confirmed ``TOTPDevice``); from then on a password
alone opens nothing in the back office or the admin: the session must also be verified with
a six-digit code (backoffice/two_factor.py). Wrong codes slow down on their own (django-otp's
throttling doubles the wait after each failure).

Enrolling also creates ten single-use recovery codes (django-otp's ``StaticDevice``), shown
once: a lost phone does not lock the account, and the user can remove or replace the app
themselves with a current code or a recovery code — no administrator needed.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vocations.core.services import audit_log

DEVICE_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
RECOVERY_CODES = 10


def required_for(user) -> bool:
    """Must this user enrol before using the back office?"""
    return bool(user.is_staff and getattr(settings, "OTP_REQUIRED_FOR_STAFF", False))


def has_device(user) -> bool:
    """An authenticator app is enrolled (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalize_code(code: str | None) -> str:
    """Six digits or a recovery code, as typed: spaces and dashes dropped, lower case."""
    return "".join((code or "").split()).replace("-", "").lower()


def plausible_code(code: str) -> bool:
    """Worth a look-up: six to eight digits (the app) or eight letters and digits (recovery)."""
    return 6 <= len(code) <= 8 and code.isalnum() and code.isascii()


def verify(user, code: str | None):
    """The device that accepts ``code`` (a recovery code is used up), or None."""
    code = normalize_code(code)
    if not plausible_code(code):
        return None
    return match_token(user, code)


def is_recovery(device) -> bool:
    return isinstance(device, StaticDevice)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returned once, stored as is by
    django-otp (single use, deleted when used)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    audit_log(actor=user, action="account.recovery_codes_created", target=user)
    return codes


@transaction.atomic
def two_factor_remove(*, user, code: str | None) -> bool:
    """Remove the authenticator app and the recovery codes if ``code`` is a current code or a
    recovery code; audited. Staff who must use two-factor enrol again at the next page."""
    if verify(user, code) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(actor=user, action="account.two_factor_disabled", target=user)
    return True


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
    token = normalize_code(token)
    if device.user_id != user.pk or device.confirmed or not token.isdigit():
        return False
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_log(actor=user, action="account.two_factor_enabled", target=user)
    return True
