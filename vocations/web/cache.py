"""Caching of anonymous public pages.

Public pages carry no per-visitor state in their HTML: no CSRF token, no session, no user name.
So one rendering serves every visitor, and two layers can keep it:

- nginx's shared cache in front, for a few seconds: ``Cache-Control: public, max-age=0,
  s-maxage=5, stale-while-revalidate=5``. nginx cannot be told that content changed, so its
  copies are short-lived: a published change is served there within 10 s at most (5 s fresh,
  then 5 s stale while one request refreshes it). Browsers keep nothing (``max-age=0``): a
  returning visitor asks nginx, which answers from its cache;
- Django's cache (Redis in production), keyed by the full URL and by a "public content version"
  that :func:`bump_public_content_version` moves forward whenever public content changes
  (receivers in ``vocations/web/signals.py``), so it may keep a page for minutes
  (``max_age``): old entries are never read again and expire.

Only GET/HEAD answers with status 200 are stored; anything else passes through untouched.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Django's copy (version-keyed, so a content change is seen at once): how long it is kept.
PUBLIC_MAX_AGE = 300
# nginx's copy (no purge): fresh this long, then served stale at most this much longer while a
# single request refreshes it. Together, the freshness promised to the campaign team: 10 s.
SHARED_MAX_AGE = 5
STALE_WHILE_REVALIDATE = 5
VERSION_KEY = "vocations:public-content-version"
PAGE_KEY_PREFIX = "vocations:public-page"
# URLs longer than this are answered but not stored: nobody shares such a link, and an attacker
# must not fill the cache with endless query-string variants of big size.
MAX_CACHED_URL_LENGTH = 2000
# Headers a stored page keeps (the rest is recomputed by the middleware on each answer).
_KEPT_HEADERS = ("Content-Type", "Content-Language")


def public_content_version() -> int:
    """The current version; created on first use from the clock, so that a cache that lost the
    key (eviction, restart of Redis) never falls back to a version already used."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns() // 1_000_000, timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key is missing: any fresh value is newer than the lost one
        cache.add(VERSION_KEY, time.time_ns() // 1_000_000, timeout=None)


def bump_public_content_version() -> None:
    """Invalidate every cached public page. Call it when something the public site shows changes.

    Bumped at once and again after the transaction commits: a page rendered from the old rows
    while the transaction was open cannot stay cached under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


# Query parameters that never change what a public page shows: the opaque visit key carried
# from a tracked link (the page's own script passes it on, the HTML does not hold it) and the
# campaign's UTM tags. Ignoring them keeps one cached copy per page during a TV spike.
IGNORED_PARAMS = frozenset(
    {"v", "s", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"}
)


def page_cache_key(request: HttpRequest, version: int | None = None) -> str:
    kept = [(k, v) for k, vs in request.GET.lists() if k not in IGNORED_PARAMS for v in vs]
    query = urlencode(sorted(kept))
    url = request.build_absolute_uri(request.path) + (f"?{query}" if query else "")
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    version = public_content_version() if version is None else version
    return f"{PAGE_KEY_PREFIX}:{version}:{digest}"


def mark_public(response: HttpResponse, max_age: int = PUBLIC_MAX_AGE) -> HttpResponse:
    """Cache headers of a public page: nginx may keep it a few seconds, browsers not at all."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=min(max_age, SHARED_MAX_AGE),
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    # Accept-Encoding only: the body is the same for everyone, whatever their cookies.
    response["Vary"] = "Accept-Encoding"
    return response


def public_page(view: Callable | None = None, *, max_age: int = PUBLIC_MAX_AGE):
    """Decorator for anonymous public pages (GET/HEAD only): cache headers plus page caching.

    ``max_age`` is how long Django's cache keeps the page (pages showing seats left keep it
    shorter: the seat counter moves without a content-version bump).

    The view must not read the session, the user or the CSRF token; tests check that its
    pages set no cookie and hold no token.
    """

    def decorator(func: Callable) -> Callable:
        @require_safe
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            cacheable = len(request.get_full_path()) <= MAX_CACHED_URL_LENGTH
            key = page_cache_key(request) if cacheable else ""
            stored = cache.get(key) if cacheable else None
            if stored is not None:
                response = HttpResponse(stored["content"], status=200)
                for name, value in stored["headers"].items():
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return mark_public(response, max_age)
            response = func(request, *args, **kwargs)
            if getattr(response, "streaming", False) or response.status_code != 200:
                return response
            if response.cookies:  # per-visitor state slipped in: never share this answer
                return response
            if cacheable:
                headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
                cache.set(key, {"content": response.content, "headers": headers}, max_age)
                response["X-Page-Cache"] = "miss"
            return mark_public(response, max_age)

        return wrapper

    return decorator(view) if view is not None else decorator


@never_cache
@require_safe
def csrf_token_json(request: HttpRequest) -> JsonResponse:
    """The CSRF token for a public POST form, fetched by script when the form is used.

    The page itself stays the same for everyone (and cacheable); only this tiny, never-cached
    answer sets the CSRF cookie. See docs/public-site.md.
    """
    from vocations.web.registration.guard import form_started_value

    # The signed start time of the anti-bot check (registration/guard.py) travels with the
    # token: a form on a cached page cannot hold a per-visitor stamp either.
    return JsonResponse({"token": get_token(request), "form_started": form_started_value()})
