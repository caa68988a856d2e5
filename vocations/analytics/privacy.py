"""What a visit may know about the request, and nothing more.

The IP address and the user agent are read here, mixed into the visitor hash and dropped: they
are never stored, never logged, never put in the buffer. The Referer is reduced to a category
(its host is not kept). UTM values are cut to 100 characters without control characters.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from vocations.core.ratelimit import client_ip  # noqa: F401  (re-exported: analytics reads it here)

from .models import Device, ReferrerCategory
from .salts import local_day, salt_for

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
UTM_MAX = 100
# 22 URL-safe characters (the Django view's 16 random bytes) or 32 hex digits (nginx's
# $request_id, the same 16 random bytes: tracked links answered by nginx).
VISIT_KEY_RE = re.compile(r"^(?:[A-Za-z0-9_-]{22}|[0-9a-f]{32})$")
HASH_LENGTH = 16
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

_SEARCH = (
    "google.",
    "bing.",
    "qwant.",
    "duckduckgo.",
    "ecosia.",
    "yahoo.",
    "lilo.",
    "yandex.",
    "baidu.",
    "startpage.",
    "search.brave.",
    "ask.com",
)
_SOCIAL = (
    "facebook.",
    "fb.com",
    "fb.me",
    "instagram.",
    "linkedin.",
    "lnkd.in",
    "t.co",
    "twitter.",
    "x.com",
    "tiktok.",
    "youtube.",
    "youtu.be",
    "snapchat.",
    "pinterest.",
    "reddit.",
    "whatsapp.",
    "wa.me",
    "t.me",
    "telegram.",
    "discord.",
    "threads.net",
    "bsky.app",
    "mastodon.",
    "twitch.",
)
_EMAIL = ("mail.", "webmail.", "outlook.", "gmail.", "zimbra.", "proton.me", "laposte.net")


def new_visit_key() -> str:
    # 16 random bytes, 22 URL-safe characters: opaque, unguessable, per visit (not per person).
    return secrets.token_urlsafe(16)


def valid_visit_key(value: object) -> str:
    """The key if it has the shape of one, else ''."""
    return value if isinstance(value, str) and VISIT_KEY_RE.fullmatch(value) else ""


def _site() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "")).netloc or "vocations"


def visitor_hash(*, ip: str, user_agent: str, when=None) -> str:
    salt = salt_for(local_day(when))
    data = b"|".join([salt, _site().encode(), ip.encode(), user_agent.encode("utf-8", "replace")])
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def device_class(user_agent: str) -> str:
    ua = (user_agent or "")[:512].lower()
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return Device.TABLET
    if "mobi" in ua or "iphone" in ua or "ipod" in ua or "android" in ua:
        return Device.MOBILE
    return Device.DESKTOP


def _host_matches(host: str, needles: tuple[str, ...]) -> bool:
    """``"google."`` matches any host with a label "google" (www.google.fr, news.google.com);
    ``"t.co"`` matches that domain and its subdomains only (not bigt.com)."""
    dotted = f".{host}"
    for needle in needles:
        if needle.endswith("."):
            if f".{needle}" in dotted:
                return True
        elif host == needle or host.endswith(f".{needle}"):
            return True
    return False


def referrer_category(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")[:2000]
    if not referer:
        return ReferrerCategory.NONE
    try:
        host = (urlsplit(referer).hostname or "").lower()
    except ValueError:
        return ReferrerCategory.OTHER
    if not host:
        return ReferrerCategory.OTHER
    own = {(urlsplit(getattr(settings, "SITE_URL", "")).hostname or "").lower()}
    own.add(request.get_host().split(":")[0].lower() if _safe_host(request) else "")
    if host in own:
        return ReferrerCategory.INTERNAL
    if host.startswith("www."):
        host = host[4:]
    if _host_matches(host, _EMAIL):
        return ReferrerCategory.EMAIL
    if _host_matches(host, _SEARCH):
        return ReferrerCategory.SEARCH
    if _host_matches(host, _SOCIAL):
        return ReferrerCategory.SOCIAL
    return ReferrerCategory.OTHER


def _safe_host(request: HttpRequest) -> bool:
    try:
        request.get_host()
    except Exception:  # DisallowedHost: never let measurement turn a request into an error
        return False
    return True


def clean_text(value: str, limit: int = UTM_MAX) -> str:
    # Cut first: a 10 KB value must not cost a regex pass over all of it.
    return _CONTROL_RE.sub("", value[: limit * 2]).strip()[:limit]


def utm_values(params) -> dict[str, str]:
    return {name: clean_text(params.get(name, "") or "") for name in UTM_FIELDS}
