from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_log(
    *,
    actor=None,
    action: str,
    target: models.Model | None = None,
    organization=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record an action in the audit trail. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        organization=organization,
        data=data or {},
    )


def reference_dataset_is_current(*, name: str, checksum: str) -> bool:
    from .models import ReferenceDataset

    return ReferenceDataset.objects.filter(name=name, checksum=checksum).exists()


def reference_dataset_mark_loaded(*, name: str, checksum: str, counts: dict[str, int]) -> None:
    """Record that a reference file is loaded. Call inside the loader's transaction."""
    from .models import ReferenceDataset

    ReferenceDataset.objects.update_or_create(
        name=name, defaults={"checksum": checksum, "counts": counts}
    )
