"""`check --deploy` refuses a production start without a mail relay, or with proxy, scheme and
host settings that contradict each other (issue 14); the health check answers without a
redirect and names what is down."""

from __future__ import annotations

import pytest
from django.test import override_settings

from vocations.core.checks import mail_relay, proxy_settings

from .test_settings import STRONG_SECRET, run_check

# A production environment that passes every check; each test breaks one thing.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_SECRET,
    "ALLOWED_HOSTS": "vocations.example.fr",
    "SITE_URL": "https://vocations.example.fr",
    "TRUSTED_PROXY_COUNT": "1",
    "EMAIL_HOST": "smtp.example.fr",
    "DATABASE_URL": "sqlite:////tmp/vocations-settings-test/check.sqlite3",
    "SITE_PUBLISHER": "Opco 2i",
    "SITE_CONTACT_EMAIL": "contact@opco2i.fr",
    "SITE_DPO_EMAIL": "dpo@opco2i.fr",
}
PROD = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["vocations.example.fr"],
    "SITE_URL": "https://vocations.example.fr",
    "TRUSTED_PROXY_COUNT": 1,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.fr",
}


def ids(errors) -> list[str]:
    return [e.id for e in errors]


def test_a_complete_production_environment_passes_every_deploy_check():
    result = run_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_production_start_without_a_mail_relay():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = run_check(env, "--deploy", "--fail-level", "ERROR")
    assert result.returncode != 0
    assert "vocations.E002" in result.stderr
    assert "No mail relay" in result.stderr


def test_check_deploy_refuses_gunicorn_without_a_proxy_in_front():
    env = {k: v for k, v in PRODUCTION.items() if k != "TRUSTED_PROXY_COUNT"}
    result = run_check(env, "--deploy", "--fail-level", "ERROR")
    assert result.returncode != 0
    assert "vocations.E003" in result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_a_backend_that_delivers_nothing_is_refused_even_with_a_host(backend):
    with override_settings(**{**PROD, "EMAIL_BACKEND": backend}):
        errors = mail_relay()
    assert ids(errors) == ["vocations.E002"]
    assert "no mail would reach anyone" in errors[0].msg


def test_smtp_relay_passes_and_development_is_left_alone():
    with override_settings(**PROD):
        assert mail_relay() == []
        assert proxy_settings() == []
    with override_settings(**{**PROD, "DEBUG": True, "EMAIL_HOST": ""}):
        assert mail_relay() == []


@pytest.mark.parametrize(
    ("change", "expected", "words"),
    [
        ({"TRUSTED_PROXY_COUNT": 0}, "vocations.E003", "TRUSTED_PROXY_COUNT=0"),
        ({"SITE_URL": "http://vocations.example.fr"}, "vocations.E004", "plain http"),
        ({"SESSION_COOKIE_SECURE": False}, "vocations.E004", "SECURE_COOKIES=0"),
        ({"SITE_URL": "https://autre.example.fr"}, "vocations.E005", "not in ALLOWED_HOSTS"),
        ({"SITE_URL": "vocations.example.fr"}, "vocations.E005", "not an http(s) address"),
    ],
)
def test_inconsistent_proxy_settings_are_each_named(change, expected, words):
    with override_settings(**{**PROD, **change}):
        errors = proxy_settings()
    assert ids(errors) == [expected]
    assert words in errors[0].msg


def test_a_plain_http_site_without_redirect_nor_secure_cookies_is_consistent():
    # The local stack of `make prod` (http://127.0.0.1:…, behind its nginx).
    local = {
        **PROD,
        "ALLOWED_HOSTS": ["127.0.0.1"],
        "SITE_URL": "http://127.0.0.1:8180",
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
    }
    with override_settings(**local):
        assert proxy_settings() == []


@pytest.mark.django_db
def test_health_check_answers_ok_without_redirect_even_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"base": "ok", "redis": "absent", "etat": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # Every other page still goes to https.
    assert client.get("/mentions-legales/").status_code == 301


@pytest.mark.django_db
def test_health_check_says_503_when_redis_is_down(client, settings, monkeypatch):
    from vocations.core import health

    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    def unreachable(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(health.cache, "set", unreachable)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"base": "ok", "redis": "erreur", "etat": "en panne"}
