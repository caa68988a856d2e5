"""Analytics services: every write of the analytics app (docs/architecture.md rule 1).

- ``visits``: build and record a visit, attribute a registration;
- ``buffer`` and ``storage``: the durable visit buffer and the bulk insert of its payloads;
- ``flusher``, ``increments``, ``visit_log``: the worker's flush of the buffer and of nginx's
  visit log, folded into the roll-ups batch by batch;
- ``rollups``: the full recompute of the roll-ups (late visits, repairs, the "direct" buffer).

Readers (reports, selectors) import none of these: the roll-ups' periods are in ``periods.py``
and their freshness in ``selectors.rolled_until``.
"""

from .visits import attribute_registration, build_visit, record_visit

__all__ = ["attribute_registration", "build_visit", "record_visit"]
