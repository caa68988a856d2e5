"""Deployment checks (``manage.py check --deploy``, ``make check-deploy``): a production start
refuses settings the law or the product requires (issue 15, point 7)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

LEGAL_SETTINGS = {
    "SITE_PUBLISHER": "the publisher named on /mentions-legales/ (« édité par … »)",
    "SITE_CONTACT_EMAIL": "the contact address of the legal and privacy pages",
    "SITE_DPO_EMAIL": "the data-protection officer's address on /donnees-personnelles/",
}


@register(Tags.security, deploy=True)
def legal_identity(app_configs=None, **kwargs) -> list[Error]:
    """The legal pages must name a publisher, a contact and a DPO: RGPD art. 13, LCEN art. 6."""
    if settings.DEBUG:
        return []  # development uses the demo identity (config/settings.py)
    return [
        Error(
            f"{name} is empty: set it in the environment ({what}).",
            hint="See docs/deployment.md and docs/privacy.md.",
            id="vocations.E001",
        )
        for name, what in LEGAL_SETTINGS.items()
        if not str(getattr(settings, name, "") or "").strip()
    ]


@register(Tags.security, deploy=True)
def webhooks_stay_public(app_configs=None, **kwargs) -> list[Error]:
    """Webhooks to private addresses (SSRF) are a development convenience only (docs/api.md)."""
    if settings.DEBUG or not getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_URLS", False):
        return []
    return [
        Error(
            "WEBHOOKS_ALLOW_PRIVATE_URLS is on in production: webhooks could reach the "
            "internal network.",
            hint="Unset it (docs/api.md, « Addresses »).",
            id="vocations.E002",
        )
    ]
