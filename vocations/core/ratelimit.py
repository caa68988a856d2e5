"""Rate limits through the cache (django-ratelimit), with a French 429 and ``Retry-After``.

Each limited door names a *group* whose rate lives in ``settings.RATE_LIMITS`` (``"10/10m"``:
10 requests per 10 minutes, counted in fixed windows in the shared cache — Redis in
production, so every gunicorn worker sees the same counts). Keys are the client's address
(``client_ip``: the address our trusted proxy saw, IPv6 grouped by /64) or any value the view
knows (an e-mail, an account), hashed by django-ratelimit before reaching the cache.

A refused request gets 429 with ``Retry-After`` (seconds until the window ends): the French
page ``429.html`` for the site, ``{"detail", "code", "retry_after"}`` for the API.
See docs/security.md.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

TOO_MANY = "Trop de tentatives en peu de temps. Merci de réessayer dans {wait}."
API_TOO_MANY = "Trop de requêtes : réessayez dans {seconds} secondes."


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT = n > 0`` the address n hops back in
    X-Forwarded-For — the one our nearest trusted proxy saw. The first entry is written by the
    client itself and could be forged at will."""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            return forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return request.META.get("REMOTE_ADDR", "")


def ip_key(request: HttpRequest) -> str:
    """The client address; an IPv6 client owns a whole /64, so the /64 is the key."""
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Limit:
    """One counter: ``group`` names its rate in settings.RATE_LIMITS; ``key`` whose count."""

    group: str
    key: Callable[[HttpRequest], str] = ip_key


def _rate(group: str, request: HttpRequest | None = None) -> str | None:
    return settings.RATE_LIMITS.get(group)


def hit(request: HttpRequest, group: str, value: str, *, increment: bool = True) -> int | None:
    """Count one request of ``value`` in ``group``; seconds to wait if over the limit, else None."""
    if not value:
        return None
    usage = get_usage(
        request, group=group, key=lambda _g, _r: value, rate=_rate, increment=increment
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def check(request: HttpRequest, limits: Iterable[Limit]) -> int | None:
    """Count the request in every limit (all of them, so a refused burst still counts); the
    longest wait among those exceeded, or None."""
    waits = [hit(request, limit.group, limit.key(request)) for limit in limits]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def too_many_page(request: HttpRequest, retry_after: int, message: str = "") -> HttpResponse:
    response = render(
        request,
        "429.html",
        {
            "page_title": "Trop de tentatives",
            "message": message or TOO_MANY.format(wait=_wait_text(retry_after)),
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def too_many_json(retry_after: int) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": API_TOO_MANY.format(seconds=retry_after),
            "code": "rate_limited",
            "retry_after": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    *limits: Limit, methods: Iterable[str] = ("POST",), api: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: requests with one of ``methods`` count in ``limits``; over any → 429."""
    counted = {m.upper() for m in methods}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in counted:
                wait = check(request, limits)
                if wait is not None:
                    return too_many_json(wait) if api else too_many_page(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
