"""Every write on events goes through these services."""

from .events import (
    EventData,
    event_create,
    event_duplicate,
    event_publish,
    event_unpublish,
    event_update,
)
from .labels import (
    label_accept,
    label_conditions,
    label_refuse,
    label_request_changes,
    label_submit,
    label_withdraw,
)

__all__ = [
    "EventData",
    "event_create",
    "event_duplicate",
    "event_publish",
    "event_unpublish",
    "event_update",
    "label_accept",
    "label_conditions",
    "label_refuse",
    "label_request_changes",
    "label_submit",
    "label_withdraw",
]
