"""Where a webhook may point: refuse private, loopback and link-local addresses (SSRF).

Checked when the organizer saves the address (a French form error) and again before every
delivery, on the addresses the name resolves to then (a name may change its answer).
``settings.WEBHOOKS_ALLOW_PRIVATE_URLS`` (on in development and tests only) lets a local
receiver and plain http through.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

HTTPS_ONLY = "L'adresse doit commencer par https:// (les envois sont chiffrés)."
PRIVATE = (
    "Cette adresse mène à un réseau privé ou local ({ip}) : indiquez l'adresse publique du "
    "serveur qui recevra les webhooks."
)
UNKNOWN_HOST = "Le nom de domaine « {host} » est introuvable : vérifiez l'adresse."
MALFORMED = "Adresse invalide : indiquez une URL complète, par exemple https://exemple.fr/webhooks."


def allow_private_urls() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_URLS", False))


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_webhook_url(url: str) -> None:
    """Raise a French ValidationError (field ``url``) unless ``url`` may receive webhooks."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError({"url": MALFORMED}) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError({"url": MALFORMED})
    if parts.username or parts.password:
        raise ValidationError({"url": MALFORMED})
    allow_private = allow_private_urls()
    if parts.scheme != "https" and not allow_private:
        raise ValidationError({"url": HTTPS_ONLY})
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise ValidationError({"url": UNKNOWN_HOST.format(host=parts.hostname)})
    if allow_private:
        return
    for ip in addresses:
        if not is_public(ip):
            raise ValidationError({"url": PRIVATE.format(ip=ip)})
