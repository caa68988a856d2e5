"""The campaign imports as background jobs (vocations/core/jobs.py): the web request only
stores the file; the worker checks and writes it, all or nothing, and keeps the report."""

from __future__ import annotations

from vocations.core import jobs
from vocations.core.models import BackgroundImport

from ..models import Campaign
from .imports import media_figures_import, media_plan_import

KINDS = {"plan": media_plan_import, "chiffres": media_figures_import}


def import_job_kind(kind: str) -> str:
    """The job kind core.jobs knows a campaign import of ``kind`` ("plan", "chiffres") by."""
    return f"campaigns.{kind}"


def _runner(importer):
    def run(*, job, content: bytes, progress) -> dict:
        campaign = Campaign.objects.get(pk=job.params["campaign"])
        report = importer(
            actor=job.owner,
            campaign=campaign,
            content=content,
            filename=job.filename,
            valid_lines_only=job.valid_lines_only,
            progress=progress,
        )
        return jobs.report_dict(report)

    return run


def register_all() -> None:
    for kind, importer in KINDS.items():
        jobs.register(import_job_kind(kind), _runner(importer))


def import_start(*, actor, campaign: Campaign, kind: str, content: bytes, filename: str):
    return jobs.import_start(
        owner=actor,
        kind=import_job_kind(kind),
        params={"campaign": campaign.pk},
        content=content,
        filename=filename,
    )


def import_valid_lines(*, job: BackgroundImport) -> BackgroundImport | None:
    """Import the valid lines of a checked file (found by ``selectors.import_job_for``, in the
    user's scope); None when its file is gone."""
    return jobs.import_valid_lines(job=job)
