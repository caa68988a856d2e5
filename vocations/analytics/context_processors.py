"""Template context: ``visit_key`` (see vocations/analytics/carry.py)."""

from .carry import visit_key

__all__ = ["visit_key"]
