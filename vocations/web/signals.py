"""Invalidate the cached public pages when what they show changes.

Connected from ``WebConfig.ready()`` (``from . import signals`` then ``signals.connect()``).
Bulk writes (``QuerySet.update``, ``bulk_create``) send no signal: code doing them on public
content calls ``vocations.web.cache.bump_public_content_version()`` itself; otherwise pages
catch up within ``PUBLIC_MAX_AGE`` seconds.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from vocations.ambassadors.models import Ambassador, Theme
from vocations.careers.models import Branch, Sector, Trade
from vocations.events.models import Event, Label

from .cache import bump_public_content_version

PUBLIC_MODELS = (Event, Label, Trade, Branch, Sector, Ambassador, Theme)
# Relations the public pages read (quiz results, trade and branch pages, event cards).
PUBLIC_RELATIONS = (
    Event.sectors.through,
    Event.trades.through,
    Trade.sectors.through,
    Trade.branches.through,
    Branch.sectors.through,
    Ambassador.themes.through,  # the public page of the collective lists members' themes
)
# Saves that touch only these fields change nothing a cached page shows; an Event counter moved
# at each registration must not empty the cache during a rush.
_INVISIBLE_FIELDS = frozenset({"seats_confirmed", "updated_at"})
_UID = "vocations.web.signals"


def _on_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw:  # fixtures being loaded
        return
    if update_fields is not None and set(update_fields) <= _INVISIBLE_FIELDS:
        return
    bump_public_content_version()


def _on_delete(sender, instance, **kwargs) -> None:
    bump_public_content_version()


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_public_content_version()


def connect() -> None:
    """Idempotent: each receiver has a dispatch_uid."""
    for model in PUBLIC_MODELS:
        name = model._meta.label_lower
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{_UID}.save.{name}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{_UID}.delete.{name}")
    for through in PUBLIC_RELATIONS:
        name = through._meta.label_lower
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{_UID}.m2m.{name}")
