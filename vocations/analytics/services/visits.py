"""The visit services: record a visit, attribute a registration, rotate the salts.

A visit is built from the request here, in one place, and only these fields leave it: the IP and
the user agent are used for the hash, the bot flag and the device class, then dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from .. import bots, privacy
from ..models import Attribution, Source, Visit
from ..salts import rotate_salts  # noqa: F401  (part of the service surface)
from ..signals import flush_wanted
from .buffer import get_buffer

logger = logging.getLogger(__name__)

VISIT_CACHE_PREFIX = "analytics:vk:"
VISIT_CACHE_SECONDS = 2 * 24 * 3600
FLUSH_GATE_KEY = "analytics:flush-gate"
DEFAULT_WINDOW_DAYS = 30


def build_visit(
    request: HttpRequest,
    *,
    landing_path: str,
    source: str = Source.DIRECT,
    link: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The buffer payload of one visit: JSON-ready, with nothing about the person but the hash."""
    now = now or timezone.now()
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:1000]
    ip = privacy.client_ip(request)
    link = link or {}
    return {
        "visit_key": privacy.new_visit_key(),
        "at": now.astimezone(dt.UTC).isoformat(),
        "landing_path": privacy.clean_text(landing_path, 300) or "/",
        "source": source,
        "link_id": link.get("id"),
        "placement_id": link.get("placement_id"),
        "wave_id": link.get("wave_id"),
        "campaign_id": link.get("campaign_id"),
        "channel": link.get("channel") or "",
        **privacy.utm_values(request.GET),
        "referrer": privacy.referrer_category(request),
        "device": privacy.device_class(user_agent),
        "is_bot": bots.is_bot(user_agent),
        "visitor_hash": privacy.visitor_hash(ip=ip, user_agent=user_agent, when=now),
    }


def record_visit(*, visit: dict[str, Any]) -> None:
    """Push a built visit to the durable buffer; remember its key for attribution before flush."""
    get_buffer().push(visit)
    if visit.get("link_id") and not visit.get("is_bot"):
        cache.set(VISIT_CACHE_PREFIX + visit["visit_key"], _touch(visit), VISIT_CACHE_SECONDS)
    _schedule_flush()


def _schedule_flush() -> None:
    """At most one flush task queued per interval across the site (Celery beat also runs it).

    With the "direct" buffer the visit is stored already and the task only rolls up what is
    new: report screens never write (they read the roll-ups and say how fresh they are)."""
    from django.conf import settings

    interval = int(getattr(settings, "ANALYTICS_FLUSH_INTERVAL", 60))
    if interval <= 0 or not cache.add(FLUSH_GATE_KEY, 1, timeout=interval):
        return
    # The tasks module listens (signals.py): it imports this one, so no import back.
    transaction.on_commit(lambda: flush_wanted.send(sender=record_visit))


def _touch(visit: dict[str, Any] | Visit) -> dict[str, Any]:
    get = visit.get if isinstance(visit, dict) else (lambda name: getattr(visit, name))
    at = get("at")
    return {
        "visit_key": get("visit_key"),
        "at": at if isinstance(at, str) else at.astimezone(dt.UTC).isoformat(),
        "link_id": get("link_id"),
        "placement_id": get("placement_id"),
        "wave_id": get("wave_id"),
        "campaign_id": get("campaign_id"),
        "channel": get("channel") or "",
        "visitor_hash": get("visitor_hash"),
        "is_bot": get("is_bot"),
    }


def _visit_touch(visit_key: str) -> dict[str, Any] | None:
    visit = Visit.objects.filter(visit_key=visit_key).first()
    if visit is not None:
        return _touch(visit)
    return cache.get(VISIT_CACHE_PREFIX + visit_key)  # pushed, not flushed yet


def _window_days(campaign_id: int | None) -> int:
    from vocations.campaigns.models import Campaign

    if campaign_id is None:
        return DEFAULT_WINDOW_DAYS
    days = Campaign.objects.filter(pk=campaign_id).values_list("attribution_window_days", flat=True)
    return next(iter(days), DEFAULT_WINDOW_DAYS)


def attribute_registration(*, registration, visit_key: str | None) -> Attribution | None:
    """Attribute a registration to the tracked-link visit whose key the form carried.

    Last touch: the visit of ``visit_key``. First touch: the earliest tracked-link visit of the
    same visitor hash within the campaign's window before it (hashes change daily, so in
    practice the same day; see docs/analytics.md). Not attributed (None) when the key is
    malformed or unknown, the visit came through no link or from a bot, or the registration
    came after the window. Idempotent: a second call returns the existing attribution.
    """
    key = privacy.valid_visit_key(visit_key)
    if not key or registration is None or registration.pk is None:
        return None
    existing = Attribution.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    last = _visit_touch(key)
    if last is None or not last.get("link_id") or last.get("is_bot"):
        return None
    last_at = dt.datetime.fromisoformat(last["at"])
    registered_at = registration.created_at or timezone.now()
    window = dt.timedelta(days=_window_days(last.get("campaign_id")))
    if last_at > registered_at + dt.timedelta(minutes=5) or registered_at - last_at > window:
        return None
    first = last
    earlier = (
        Visit.objects.filter(
            visitor_hash=last["visitor_hash"],
            is_bot=False,
            link__isnull=False,
            at__gte=registered_at - window,
            at__lt=last_at,
        )
        .order_by("at", "id")
        .first()
    )
    if earlier is not None:
        first = _touch(earlier)
    try:
        with transaction.atomic():
            return Attribution.objects.create(
                registration=registration,
                campaign_id=last.get("campaign_id"),
                first_visit_key=first["visit_key"],
                first_at=dt.datetime.fromisoformat(first["at"]),
                first_link_id=first.get("link_id"),
                first_placement_id=first.get("placement_id"),
                first_wave_id=first.get("wave_id"),
                first_channel=first.get("channel") or "",
                last_visit_key=last["visit_key"],
                last_at=last_at,
                last_link_id=last.get("link_id"),
                last_placement_id=last.get("placement_id"),
                last_wave_id=last.get("wave_id"),
                last_channel=last.get("channel") or "",
            )
    except IntegrityError:  # attributed concurrently (double submit)
        return Attribution.objects.filter(registration=registration).first()
