"""Background imports: the request stores the file and queues a task; the worker runs the
domain's importer and keeps its report; the page polls until it is done (docs/security.md).

core knows no domain app: each app registers its importers by name in its ``AppConfig.ready``
(``register("campaigns.plan", runner)``). A runner is called as
``runner(job=…, content=…, progress=…)`` and returns the report as a JSON-able dict; it must
be all-or-nothing (one transaction), so a re-run after a lost worker changes nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from .exceptions import ImportFileError
from .models import BackgroundImport

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Runner = Callable[..., dict]
_RUNNERS: dict[str, Runner] = {}
# A job still "running" after this long lost its worker and the retry failed too.
STALLED_AFTER = dt.timedelta(minutes=30)
KEEP_FOR = dt.timedelta(days=1)


def register(kind: str, runner: Runner) -> None:
    _RUNNERS[kind] = runner


def _storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "import-jobs")


def _progress_key(job_id) -> str:
    return f"import-progress:{job_id}"


def import_start(
    *,
    owner,
    kind: str,
    params: dict,
    content: bytes,
    filename: str,
    valid_lines_only: bool = False,
    stored_name: str = "",
) -> BackgroundImport:
    """Keep the file, record the job, queue it after commit."""
    if kind not in _RUNNERS:
        raise ValueError(f"Unknown import kind {kind!r}")
    if not stored_name:
        stored_name = _storage().save(f"{uuid.uuid4().hex}.bin", ContentFile(content))
    job = BackgroundImport.objects.create(
        kind=kind,
        owner=owner,
        params=params,
        filename=filename[:255],
        stored_name=stored_name,
        valid_lines_only=valid_lines_only,
    )
    transaction.on_commit(lambda: run_background_import.delay(str(job.pk)))
    return job


def import_valid_lines(*, job: BackgroundImport) -> BackgroundImport | None:
    """Run a checked file again, keeping only its valid lines; None when the file is gone."""
    if not _storage().exists(job.stored_name):
        return None
    return import_start(
        owner=job.owner,
        kind=job.kind,
        params=job.params,
        content=b"",
        filename=job.filename,
        valid_lines_only=True,
        stored_name=job.stored_name,
    )


def run(job_id: str) -> None:
    """The task's body: idempotent (a finished job is left alone)."""
    with transaction.atomic():
        job = BackgroundImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return
        job.status, job.started_at = BackgroundImport.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job.pk), (done, total), 3600)

    try:
        with _storage().open(job.stored_name, "rb") as handle:
            content = handle.read()
        result = _RUNNERS[job.kind](job=job, content=content, progress=progress)
        status = BackgroundImport.Status.DONE
    except ImportFileError as error:
        result, status = {"file_error": str(error)}, BackgroundImport.Status.DONE
    except Exception:  # the report must say it failed, whatever the cause
        logger.exception("Background import %s failed", job.pk)
        result = {"failure": "L'import a échoué de façon inattendue : rien n'a été modifié."}
        status = BackgroundImport.Status.FAILED
    job.status, job.result, job.finished_at = status, result, timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    cache.delete(_progress_key(job.pk))


def progress_of(job: BackgroundImport) -> tuple[int, int]:
    """(lines done, lines in all) while running; (0, 0) before the file is read."""
    done, total = cache.get(_progress_key(job.pk)) or (0, 0)
    return done, total


def stalled(job: BackgroundImport) -> bool:
    started = job.started_at or job.created_at
    return not job.finished and timezone.now() - started > STALLED_AFTER


def job_for(*, owner, job_id, kind: str, params: dict) -> BackgroundImport | None:
    """The job if it is this user's, of this kind, for these parameters; else None (404)."""
    try:
        job = BackgroundImport.objects.get(pk=job_id, owner=owner, kind=kind)
    except (BackgroundImport.DoesNotExist, ValidationError, ValueError, TypeError):
        return None
    return job if job.params == params else None


def purge_old_imports() -> int:
    """Delete jobs and their files a day after they were created (the beat runs it)."""
    old = BackgroundImport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR)
    storage = _storage()
    names = set(old.values_list("stored_name", flat=True))
    recent = set(
        BackgroundImport.objects.filter(stored_name__in=names)
        .exclude(pk__in=old.values("pk"))
        .values_list("stored_name", flat=True)
    )
    count, _ = old.delete()
    for name in names - recent:
        if storage.exists(name):
            storage.delete(name)
    return count


def report_dict(report) -> dict:
    """A domain ImportReport (vocations.campaigns.tables) as the job keeps it."""
    return {
        "filename": report.filename,
        "total_lines": report.total_lines,
        "valid_lines": report.valid_lines,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "error_lines": report.error_lines,
        "messages": report.messages,
        "warnings": list(report.warnings),
        "refusal": report.refusal,
        "imported": report.imported,
    }


# --- tasks (here, not in tasks.py, so queuing one needs no import back) ----------------------


@shared_task(acks_late=True)
def run_background_import(job_id: str) -> None:
    run(job_id)


@shared_task
def purge_old_imports_task() -> int:
    return purge_old_imports()
