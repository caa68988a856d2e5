"""Helpers shared by the back-office views: the French 403/404 pages (they live with the gate,
which answers with them) and the staff check templates use."""

from __future__ import annotations

from ..gate import NOT_FOUND_EVENT, STAFF_ONLY, forbidden, not_found

__all__ = ["NOT_FOUND_EVENT", "STAFF_ONLY", "forbidden", "is_campaign_staff", "not_found"]


def is_campaign_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
