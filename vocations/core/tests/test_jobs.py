"""Background imports (issue 15, point 4): the worker runs the importer, keeps its report, and
a failure or a lost worker never leaves a half-done import or a job waited for forever."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from vocations.core import jobs
from vocations.core.exceptions import ImportFileError
from vocations.core.models import AuditEntry, BackgroundImport

pytestmark = pytest.mark.django_db
calls: list[str] = []


def _writes_then(outcome):
    def runner(*, job, content, progress):
        from django.db import transaction

        calls.append(content.decode())
        progress(1, 2)
        with transaction.atomic():  # a runner is all-or-nothing
            AuditEntry.objects.create(action="test.write")
            if isinstance(outcome, Exception):
                raise outcome
        return {"imported": True, "seen": jobs.progress_of(job)}

    return runner


@pytest.fixture
def owner():
    return get_user_model().objects.create_user(email="o@x.fr", password="x")


@pytest.fixture(autouse=True)
def _runners(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    calls.clear()
    jobs.register("test.ok", _writes_then(None))
    jobs.register("test.bad-file", _writes_then(ImportFileError("Fichier illisible.")))
    jobs.register("test.crash", _writes_then(RuntimeError("boom")))


def start(owner, kind, capture):
    with capture(execute=True):
        job = jobs.import_start(
            owner=owner, kind=kind, params={"c": 1}, content=b"lines", filename="f.csv"
        )
    job.refresh_from_db()
    return job


def test_the_worker_keeps_the_report_and_progress_is_seen(
    owner, django_capture_on_commit_callbacks
):
    job = start(owner, "test.ok", django_capture_on_commit_callbacks)
    assert job.status == "done" and job.finished_at is not None
    assert job.result == {"imported": True, "seen": [1, 2]}
    assert calls == ["lines"]
    assert jobs.progress_of(job) == (0, 0)  # cleared once done
    # A second delivery of the same task (acks_late after a lost worker) does nothing.
    jobs.run(str(job.pk))
    assert calls == ["lines"] and AuditEntry.objects.filter(action="test.write").count() == 1


def test_an_unreadable_file_is_a_report_not_a_failure(owner, django_capture_on_commit_callbacks):
    job = start(owner, "test.bad-file", django_capture_on_commit_callbacks)
    assert job.status == "done" and job.result == {"file_error": "Fichier illisible."}
    assert not AuditEntry.objects.filter(action="test.write").exists()


def test_a_crash_writes_nothing_and_says_so_in_french(owner, django_capture_on_commit_callbacks):
    job = start(owner, "test.crash", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert job.result["failure"].startswith("L'import a échoué")
    assert not AuditEntry.objects.filter(action="test.write").exists()


def test_nothing_runs_when_the_request_rolls_back(owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                jobs.import_start(
                    owner=owner, kind="test.ok", params={}, content=b"x", filename="f.csv"
                )
                raise RuntimeError("the request failed after queuing")
        except RuntimeError:
            pass
    assert callbacks == [] and calls == [] and not BackgroundImport.objects.exists()


def test_jobs_are_found_only_by_their_owner_kind_and_parameters(owner):
    other = get_user_model().objects.create_user(email="p@x.fr", password="x")
    job = jobs.import_start(
        owner=owner, kind="test.ok", params={"c": 1}, content=b"x", filename="f"
    )
    assert jobs.job_for(owner=owner, job_id=job.pk, kind="test.ok", params={"c": 1}) == job
    assert jobs.job_for(owner=other, job_id=job.pk, kind="test.ok", params={"c": 1}) is None
    assert jobs.job_for(owner=owner, job_id=job.pk, kind="test.crash", params={"c": 1}) is None
    assert jobs.job_for(owner=owner, job_id=job.pk, kind="test.ok", params={"c": 2}) is None
    assert jobs.job_for(owner=owner, job_id="not-a-uuid", kind="test.ok", params={}) is None


def test_files_and_jobs_are_purged_after_a_day(owner, _fixed_clock):
    old = jobs.import_start(owner=owner, kind="test.ok", params={}, content=b"x", filename="f")
    again = jobs.import_valid_lines(job=old)  # shares the stored file
    path = jobs._storage().path(old.stored_name)
    _fixed_clock.shift(dt.timedelta(hours=25))
    keep = jobs.import_start(owner=owner, kind="test.ok", params={}, content=b"y", filename="g")
    assert jobs.purge_old_imports() == 2
    assert list(BackgroundImport.objects.all()) == [keep]
    assert again.stored_name == old.stored_name
    import os

    assert not os.path.exists(path) and os.path.exists(jobs._storage().path(keep.stored_name))
    assert jobs.import_valid_lines(job=old) is None  # the file is gone: "send it again"
