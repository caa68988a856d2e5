"""Helpers shared by the back-office views: the French 403/404 pages (they live with the gate,
which answers with them) and the staff check templates use."""

from __future__ import annotations

from ..gate import NOT_FOUND_EVENT, STAFF_ONLY, forbidden, not_found

__all__ = ["NOT_FOUND_EVENT", "STAFF_ONLY", "forbidden", "is_campaign_staff", "not_found"]


def is_campaign_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_required(view):
    """Signed-in campaign staff only (being replaced by ``@gate("staff")``)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_campaign_staff(request.user):
            return forbidden(request, STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper
