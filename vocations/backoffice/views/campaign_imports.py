"""Media plan and media figures imports: the upload is stored and checked by the worker
(vocations/core/jobs.py), and this page follows it until the report is ready."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vocations.backoffice.forms.campaigns import ImportForm
from vocations.campaigns.selectors import import_job_for, import_job_progress
from vocations.campaigns.services import import_jobs, imports

from ..gate import CAMPAIGN, gate
from .campaigns import CANNOT_CHANGE
from .common import not_found

IMPORTS = {
    "plan": ("Import du plan média", imports.PLAN_COLUMNS),
    "chiffres": ("Import des chiffres médias", imports.FIGURE_COLUMNS),
}
JOB_GONE = "Cet import n'existe pas ou n'est plus disponible."


@gate("change", CAMPAIGN, denied=CANNOT_CHANGE)
def import_view(request: HttpRequest, campaign, kind: str) -> HttpResponse:
    if kind not in IMPORTS:
        return not_found(request, "Cet import n'existe pas.")
    title, columns = IMPORTS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"page_title": title, "campaign": campaign, "form": form, "columns": columns}
    context["kind"] = kind
    if request.method != "POST":
        return render(request, "backoffice/campaigns/import.html", context)
    if request.POST.get("job"):  # "import the valid lines" of a checked file
        checked = import_job_for(request.user, campaign, kind, request.POST["job"])
        job = import_jobs.import_valid_lines(job=checked) if checked is not None else None
        if job is None:
            messages.error(request, "Ce fichier a expiré : envoyez-le à nouveau.")
            return redirect("backoffice:campaign_import", pk=campaign.pk, kind=kind)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_jobs.import_start(
            actor=request.user,
            campaign=campaign,
            kind=kind,
            content=upload.read(),
            filename=upload.name,
        )
    else:
        return render(request, "backoffice/campaigns/import.html", context, status=400)
    return redirect("backoffice:campaign_import_job", pk=campaign.pk, kind=kind, job=job.pk)


@gate("change", CAMPAIGN, denied=CANNOT_CHANGE)
def import_job_view(request: HttpRequest, campaign, kind: str, job) -> HttpResponse:
    """While the worker runs: progress, refreshed every two seconds. Then the report."""
    if kind not in IMPORTS:
        return not_found(request, "Cet import n'existe pas.")
    job = import_job_for(request.user, campaign, kind, job)
    if job is None:
        return not_found(request, JOB_GONE)
    title, columns = IMPORTS[kind]
    progress = import_job_progress(job)
    report = job.result
    context = {
        "page_title": title,
        "campaign": campaign,
        "kind": kind,
        "columns": columns,
        "job": job,
        "stalled": progress.stalled,
        "done": progress.done,
        "total": progress.total,
        "report": report if job.finished else None,
        "form": ImportForm(),
        "offer_valid_lines": bool(
            job.finished
            and report.get("messages")
            and report.get("valid_lines")
            and not report.get("refusal")
            and not report.get("imported")
        ),
    }
    failed = job.finished and not report.get("imported")
    return render(
        request, "backoffice/campaigns/import_job.html", context, status=400 if failed else 200
    )
