"""The legal pages name a publisher, a contact, a DPO and the retention (issue 15, point 7):
they read "édité par ," and "anonymes  jours après"; production now refuses to start without
them (`check --deploy`, `make check-deploy`)."""

from __future__ import annotations

from html import unescape

import pytest

from vocations.core.checks import legal_identity

from .test_settings import STRONG_SECRET, run_check

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_SECRET,
    "ALLOWED_HOSTS": "vocations.example.fr",
    "SITE_URL": "https://vocations.example.fr",
    "TRUSTED_PROXY_COUNT": "1",
    "EMAIL_HOST": "smtp.example.fr",
    "DATABASE_URL": "sqlite:////tmp/vocations-settings-test/check.sqlite3",
}
IDENTITY = {
    "SITE_PUBLISHER": "Opco 2i",
    "SITE_CONTACT_EMAIL": "contact@opco2i.fr",
    "SITE_DPO_EMAIL": "dpo@opco2i.fr",
}


def test_the_check_names_each_missing_setting(settings):
    settings.DEBUG = False
    settings.SITE_PUBLISHER = ""
    settings.SITE_CONTACT_EMAIL = "contact@opco2i.fr"
    settings.SITE_DPO_EMAIL = "  "
    errors = legal_identity()
    assert [e.id for e in errors] == ["vocations.E001", "vocations.E001"]
    assert "SITE_PUBLISHER is empty" in errors[0].msg
    assert "SITE_DPO_EMAIL is empty" in errors[1].msg


def test_check_deploy_refuses_a_production_start_without_publisher():
    result = run_check(PRODUCTION, "--deploy", "--fail-level", "ERROR")
    assert result.returncode != 0
    assert "vocations.E001" in result.stderr
    assert "SITE_PUBLISHER is empty" in result.stderr


def test_check_deploy_passes_the_legal_check_with_an_identity():
    result = run_check({**PRODUCTION, **IDENTITY}, "--deploy", "--fail-level", "ERROR")
    assert "vocations.E001" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_pages_show_publisher_dpo_and_retention(client, settings):
    settings.REGISTRATION_RETENTION_DAYS = 90
    privacy = unescape(client.get("/donnees-personnelles/").content.decode())
    assert "rendues anonymes\n    90 jours après" in privacy
    assert "Responsable du traitement : Vocations (instance de démonstration)." in privacy
    assert "dpo@vocations.demo" in privacy
    notice = unescape(client.get("/mentions-legales/").content.decode())
    assert "édité par Vocations (instance de démonstration)" in notice
    assert "contact@vocations.demo" in notice
