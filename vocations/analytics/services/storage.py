"""Writing buffered visit payloads into the Visit table: in bulk, idempotent on visit_key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Visit

_FIELDS = (
    "visit_key",
    "landing_path",
    "source",
    "link_id",
    "placement_id",
    "wave_id",
    "campaign_id",
    "channel",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "referrer",
    "device",
    "is_bot",
    "visitor_hash",
)


def visit_from_payload(payload: dict[str, Any]) -> Visit:
    # Only known fields: a payload can never smuggle another column into the row.
    values = {name: payload.get(name) for name in _FIELDS if name in payload}
    at = payload["at"]
    return Visit(at=datetime.fromisoformat(at) if isinstance(at, str) else at, **values)


def store_visits(*, payloads: list[dict[str, Any]], batch_size: int = 1000) -> int:
    """INSERT … ON CONFLICT (visit_key) DO NOTHING for every payload. Returns len(payloads)."""
    if not payloads:
        return 0
    Visit.objects.bulk_create(
        [visit_from_payload(p) for p in payloads], batch_size=batch_size, ignore_conflicts=True
    )
    return len(payloads)
