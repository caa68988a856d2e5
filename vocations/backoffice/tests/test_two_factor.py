"""Optional TOTP two-factor sign-in (issue 15, point 3): required for staff when
OTP_REQUIRED_FOR_STAFF is on (production), optional for organizers."""

from __future__ import annotations

from html import unescape

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vocations.core.models import AuditEntry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/organisateur/connexion/"
VERIFY = "/organisateur/double-authentification/code/"
SETUP = "/organisateur/double-authentification/"


def code(device: TOTPDevice, *, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.drift = drift
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, email: str):
    return client.post(LOGIN, {"username": email, "password": PASSWORD})


def test_production_requires_it_for_staff_by_default(settings):
    from vocations.core.tests.test_settings import STRONG_SECRET, read_setting

    env = {"DEBUG": "0", "SECRET_KEY": STRONG_SECRET, "ALLOWED_HOSTS": "x.fr"}
    assert read_setting(env, "OTP_REQUIRED_FOR_STAFF") == "True"
    assert read_setting({"DEBUG": "1"}, "OTP_REQUIRED_FOR_STAFF") == "False"


def test_enrolled_organizer_signs_in_with_password_then_code(client, users, _fixed_clock):
    device = TOTPDevice.objects.create(user=users["owner"], name="app", confirmed=True)

    response = sign_in(client, "owner@forges.fr")
    assert response.status_code == 302
    # The password alone opens nothing: every page asks for the code first.
    dashboard = client.get("/organisateur/")
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(VERIFY + "?next=")
    assert client.get("/admin/").status_code == 302

    wrong = client.post(VERIFY, {"code": "000000", "next": "/organisateur/"})
    assert wrong.status_code == 422
    assert "Code incorrect ou expiré" in unescape(wrong.content.decode())
    assert client.get("/organisateur/").status_code == 302

    _fixed_clock.shift(60)  # django-otp's throttle: wait after a wrong code
    right = client.post(VERIFY, {"code": code(device), "next": "/organisateur/"})
    assert right.status_code == 302 and right["Location"] == "/organisateur/"
    assert client.get("/organisateur/").status_code == 200


def test_organizers_without_an_app_are_not_asked(client, users, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in(client, "owner@forges.fr")
    assert client.get("/organisateur/").status_code == 200


def test_staff_must_enrol_when_required_then_is_verified(client, users, settings, _fixed_clock):
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in(client, "staff@campagne.fr")

    response = client.get("/organisateur/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP + "?next=")
    page = client.get(response["Location"])
    body = unescape(page.content.decode())
    assert "la double authentification est obligatoire" in body
    assert "<svg" in body  # the QR code to scan
    device = TOTPDevice.objects.get(user=users["staff"], confirmed=False)
    assert "otpauth://totp/" in device.config_url and "Vocations" in device.config_url

    bad = client.post(SETUP, {"code": "123", "next": "/organisateur/"})
    assert bad.status_code == 422
    _fixed_clock.shift(60)  # django-otp's throttle after a wrong code
    done = client.post(SETUP, {"code": code(device), "next": "/organisateur/"})

    # Enrolment ends on the ten recovery codes, shown this once, then "continue".
    assert done.status_code == 200
    assert 'href="/organisateur/"' in done.content.decode()
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/organisateur/").status_code == 200
    assert AuditEntry.objects.filter(action="account.two_factor_enabled").count() == 1
    # Next sign-in: the code is asked.
    client.logout()
    sign_in(client, "staff@campagne.fr")
    assert client.get("/organisateur/")["Location"].startswith(VERIFY)


def test_an_organizer_may_enrol_from_the_menu(client, users):
    client.force_login(users["owner"])
    assert SETUP in client.get("/organisateur/").content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=users["owner"])
    assert client.post(SETUP, {"code": code(device)}).status_code == 200
    assert "est active" in unescape(client.get(SETUP).content.decode())


def test_codes_are_rate_limited(client, users, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp-user": "3/10m"}
    TOTPDevice.objects.create(user=users["owner"], name="app", confirmed=True)
    sign_in(client, "owner@forges.fr")
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()


def enrol(client, user, email: str) -> tuple[TOTPDevice, list[str]]:
    """Sign in, enrol an app; returns it and the recovery codes the page showed."""
    sign_in(client, email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(SETUP, {"code": code(device), "next": "/organisateur/"})
    device.refresh_from_db()
    return device, page.context["codes"]


def test_a_recovery_code_opens_the_account_once(client, users, _fixed_clock):
    device, codes = enrol(client, users["owner"], "owner@forges.fr")
    assert len(set(codes)) == 10
    assert all(len(c) == 9 and c[4] == "-" for c in codes)  # "abcd-efgh", easy to copy
    client.logout()

    sign_in(client, "owner@forges.fr")
    # Typed as printed or without the dash, in capitals: both accepted.
    used = client.post(VERIFY, {"code": codes[0].upper(), "next": "/organisateur/"})
    assert used.status_code == 302 and used["Location"] == "/organisateur/"
    page = client.get("/organisateur/")
    assert page.status_code == 200
    assert "il vous en reste 9" in unescape(page.content.decode())

    client.logout()
    _fixed_clock.shift(60)
    sign_in(client, "owner@forges.fr")
    again = client.post(VERIFY, {"code": codes[0].replace("-", ""), "next": "/organisateur/"})
    assert again.status_code == 422  # single use
    assert client.get("/organisateur/").status_code == 302


def test_new_recovery_codes_need_a_code_and_void_the_old_ones(client, users, _fixed_clock):
    device, old = enrol(client, users["owner"], "owner@forges.fr")
    assert "Codes de secours restants : <strong>10</strong>" in client.get(SETUP).content.decode()

    refused = client.post(SETUP, {"action": "codes", "code": "zzzz-zzzz"})
    assert refused.status_code == 422
    _fixed_clock.shift(60)
    fresh = client.post(SETUP, {"action": "codes", "code": old[3]})
    assert fresh.status_code == 200
    new = fresh.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEntry.objects.filter(action="account.recovery_codes_created").count() == 2

    client.logout()
    sign_in(client, "owner@forges.fr")
    assert client.post(VERIFY, {"code": old[5]}).status_code == 422
    _fixed_clock.shift(60)
    assert client.post(VERIFY, {"code": new[5], "next": "/organisateur/"}).status_code == 302


def test_a_user_removes_or_replaces_their_app_with_a_code(client, users, settings, _fixed_clock):
    settings.OTP_REQUIRED_FOR_STAFF = True
    device, codes = enrol(client, users["staff"], "staff@campagne.fr")

    wrong = client.post(SETUP, {"action": "remove", "code": "000000"})
    assert wrong.status_code == 422
    assert "Code incorrect" in unescape(wrong.content.decode())
    assert TOTPDevice.objects.filter(user=users["staff"], confirmed=True).exists()

    _fixed_clock.shift(60)
    removed = client.post(SETUP, {"action": "remove", "code": codes[0]})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["staff"], confirmed=True).exists()
    assert AuditEntry.objects.filter(action="account.two_factor_disabled").count() == 1
    # Staff must use two-factor: the back office sends them to add the new phone at once.
    page = client.get("/organisateur/")
    assert page.status_code == 302 and page["Location"].startswith(SETUP)
    assert "<svg" in client.get(page["Location"]).content.decode()


def test_recovery_codes_alone_do_not_count_as_an_app(users):
    from vocations.accounts import two_factor

    two_factor.recovery_codes_create(user=users["owner"])
    assert not two_factor.has_device(users["owner"])
    assert two_factor.recovery_codes_left(users["owner"]) == 10
