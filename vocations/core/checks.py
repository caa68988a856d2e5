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


# Backends that deliver nothing: in production every mail a page promises would vanish (the
# console one writes 15 MB of Celery log for 6,000 registrations instead).
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register("vocations", deploy=True)
def mail_relay(app_configs=None, **kwargs) -> list[Error]:
    """Production sends its mails through a relay: EMAIL_HOST (or a delivering backend)."""
    if settings.DEBUG:
        return []
    backend = str(getattr(settings, "EMAIL_BACKEND", ""))
    if backend in NON_DELIVERING_BACKENDS:
        return [
            Error(
                f"No mail relay: EMAIL_BACKEND is {backend}, no mail would reach anyone.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER…) to your SMTP relay; "
                "see docs/deployment.md.",
                id="vocations.E002",
            )
        ]
    if backend == SMTP_BACKEND and not str(getattr(settings, "EMAIL_HOST", "")).strip():
        return [
            Error(
                "No mail relay: EMAIL_HOST is empty, confirmations and tickets cannot be sent.",
                hint="Set EMAIL_HOST to your SMTP relay; see docs/deployment.md.",
                id="vocations.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def proxy_settings(app_configs=None, **kwargs) -> list[Error]:
    """The proxy, scheme and host settings must tell the same story (docs/deployment.md)."""
    if settings.DEBUG:
        return []
    from urllib.parse import urlsplit

    from django.http.request import validate_host

    errors = []
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and proxies == 0:
        errors.append(
            Error(
                "Django believes X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) but "
                "TRUSTED_PROXY_COUNT=0 says no proxy stands in front: a client could claim "
                "https, and every visitor's address would be the proxy's.",
                hint="Behind nginx set TRUSTED_PROXY_COUNT=1 (one proxy); never expose "
                "gunicorn directly.",
                id="vocations.E003",
            )
        )
    site = urlsplit(str(getattr(settings, "SITE_URL", "")))
    redirect = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    secure_cookies = bool(getattr(settings, "SESSION_COOKIE_SECURE", False))
    if site.scheme == "http" and redirect:
        errors.append(
            Error(
                f"SITE_URL={settings.SITE_URL} is plain http while SECURE_SSL_REDIRECT is on: "
                "every link in the mails would bounce through a redirect to https.",
                hint="Use the https address in SITE_URL, or SECURE_SSL_REDIRECT=0 for a "
                "plain-HTTP site.",
                id="vocations.E004",
            )
        )
    if site.scheme == "https" and not secure_cookies:
        errors.append(
            Error(
                "SECURE_COOKIES=0 on an https site: session and CSRF cookies could leak over "
                "plain http.",
                hint="Remove SECURE_COOKIES (only the plain-HTTP local stack turns it off).",
                id="vocations.E004",
            )
        )
    if site.scheme not in ("http", "https") or not site.hostname:
        errors.append(
            Error(
                f"SITE_URL={getattr(settings, 'SITE_URL', '')!r} is not an http(s) address.",
                hint="SITE_URL=https://your.host (links in mails, QR codes).",
                id="vocations.E005",
            )
        )
    elif not validate_host(site.hostname, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"SITE_URL's host {site.hostname} is not in ALLOWED_HOSTS: the links in mails "
                "and QR codes would answer 400.",
                hint="Add it to ALLOWED_HOSTS.",
                id="vocations.E005",
            )
        )
    return errors


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
            id="vocations.E006",
        )
    ]
