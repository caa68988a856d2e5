"""The campaign imports as background jobs (vocations/core/jobs.py): the web request only
stores the file; the worker checks and writes it, all or nothing, and keeps the report."""

from __future__ import annotations

from vocations.core import jobs

from .models import Campaign
from .services.imports import media_figures_import, media_plan_import

KINDS = {"plan": media_plan_import, "chiffres": media_figures_import}


def job_kind(kind: str) -> str:
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
        jobs.register(job_kind(kind), _runner(importer))


def import_start(*, actor, campaign: Campaign, kind: str, content: bytes, filename: str):
    return jobs.import_start(
        owner=actor,
        kind=job_kind(kind),
        params={"campaign": campaign.pk},
        content=content,
        filename=filename,
    )


def import_job(*, actor, campaign: Campaign, kind: str, job_id):
    """This user's import of this kind for this campaign, or None."""
    return jobs.job_for(
        owner=actor, job_id=job_id, kind=job_kind(kind), params={"campaign": campaign.pk}
    )
