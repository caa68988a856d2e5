"""Tracked links as the redirect needs them, from the cache (the database only on a miss).

The cached entry is a small dict (link id, destination path, placement/wave/campaign ids,
channel, active). Unknown codes are cached too, briefly, so a flood of forged codes costs one
query per code per minute at most. Entries are dropped when a link or its placement changes
(signals in vocations/analytics/apps.py).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache

from vocations.campaigns.selectors import link_destination, link_for_code

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
CACHE_PREFIX = "analytics:link:"
CACHE_SECONDS = 300
MISSING_CACHE_SECONDS = 60
_MISSING = {"missing": True}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def valid_code(code: str) -> bool:
    return bool(CODE_RE.fullmatch(code or ""))


def safe_local_path(path: str | None) -> str:
    """A path on this site, or "/". Never a scheme, a host, "//host" or "/\\host"."""
    path = (path or "").strip()
    if not path or _CONTROL_RE.search(path):
        return "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/"):
        return "/"
    if len(path) > 1 and path[1] in "/\\":
        return "/"
    return path[:300]


def _lookup(code: str):
    """The TrackedLink with its placement (the campaigns app's selector)."""
    return link_for_code(code)


def _destination(link) -> str:
    return safe_local_path(link_destination(link))


def link_entry(link) -> dict[str, Any]:
    placement = link.placement if link.placement_id else None
    return {
        "id": link.pk,
        "destination": _destination(link),
        "placement_id": link.placement_id,
        "wave_id": placement.wave_id if placement else None,
        "campaign_id": link.campaign_id or (placement.campaign_id if placement else None),
        "channel": placement.channel if placement else "",
        "active": bool(link.is_active),
    }


def resolve_link(code: str) -> dict[str, Any] | None:
    """The link's entry, or None for a malformed or unknown code (inactive ones are returned)."""
    if not valid_code(code):
        return None
    key = CACHE_PREFIX + code
    entry = cache.get(key)
    if entry is None:
        link = _lookup(code)
        entry = link_entry(link) if link is not None else _MISSING
        cache.set(key, entry, CACHE_SECONDS if link is not None else MISSING_CACHE_SECONDS)
    return None if entry.get("missing") else entry


def forget_link(code: str) -> None:
    cache.delete(CACHE_PREFIX + code)
