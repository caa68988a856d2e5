"""The event outcome report ("rapport de bilan"), like l'Usine extraordinaire's: a page with
charts (inline SVG), the same report as a print-ready PDF (WeasyPrint, fonts shipped in
vocations/backoffice/static/fonts/), CSV and XLSX; and the forms where the organizer records
press coverage and officials. Figures: vocations/events/outcome_report.py (docs/reports.md).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can
from vocations.events.selectors import media_article_for_event
from vocations.events.services.coverage import (
    media_article_create,
    media_article_delete,
    outcome_facts_update,
)

from ..exports import csv_response, xlsx_response
from ..forms.outcomes import MediaArticleForm, OutcomeFactsForm
from ..gate import EVENT, gate
from ..selectors import event_outcome_report
from ..territory_map import boundaries, choropleth, fmt

# WeasyPrint logs every layout step at INFO: keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de compléter le bilan."
CHART_WIDTH = 560
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 200
TOP_DEPARTMENTS = 15
SOCIAL = (
    ("impressions", "Impressions"),
    ("engagements", "Engagements"),
    ("video_views", "Vues de vidéos"),
    ("followers", "Abonnés gagnés"),
)


def bar_chart(items: list[tuple[str, int]], *, title: str) -> dict:
    """Geometry of a horizontal bar chart drawn in inline SVG by the template."""
    peak = max((value for _, value in items), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": max(round(value * room / peak), 1 if value else 0),
                "value_x": LABEL_WIDTH + max(round(value * room / peak), 0) + 6,
            }
        )
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(items) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def pupils_map(departments) -> dict:
    """Pupils by département of origin on the territory view's map (a picture: no links, each
    département's <title> says its figure). Names come from the shipped boundaries, so the map
    costs no query; départements without a group are "pas de chiffre" (grey), not 0."""
    shapes = boundaries()["departments"]
    values = {
        d.code: (d.pupils, f"{fmt(d.pupils)} élève(s), {d.groups} groupe(s)")
        for d in departments
        if d.code
    }
    return choropleth(
        [(code, shape["name"]) for code, shape in sorted(shapes.items())],
        {code: values.get(code, (None, "aucun groupe")) for code in shapes},
        href=None,
    )


def _context(report) -> dict:
    departments = report.outcomes.departments
    top = [d for d in departments if d.code][:TOP_DEPARTMENTS]
    social = [
        (label, report.media.get(metric) if report.media else None) for metric, label in SOCIAL
    ]
    return {
        "report": report,
        "event": report.event,
        "t": report.outcomes.total,
        "social": social,
        "departments_chart": bar_chart(
            [(f"{d.name} ({d.code})", d.pupils) for d in top],
            title=f"Élèves par département d'origine ({len(top)} premiers)",
        ),
        "departments_map": pupils_map(departments),
        "spaces_chart": bar_chart(
            [(s.space, s.attended) for s in report.spaces[:TOP_DEPARTMENTS]],
            title="Personnes présentes par espace",
        ),
    }


@gate("view", EVENT)
def outcome_report_view(request: HttpRequest, event) -> HttpResponse:
    report = event_outcome_report(event)
    facts = {"vip_count": report.vip_count, "vip_note": report.vip_note}
    return render(
        request,
        "backoffice/outcomes/report.html",
        {
            **_context(report),
            "page_title": f"Rapport de bilan — {report.event.title}",
            "section": "outcome_report",
            "can_edit": can(request.user, "change", report.event),
            "article_form": MediaArticleForm(),
            "facts_form": OutcomeFactsForm(initial=facts),
        },
    )


# --- PDF -------------------------------------------------------------------------------------

PDF_CACHE_PREFIX = "outcome-pdf:"
PDF_CACHE_SECONDS = 3600
FONT_FILES = {"regular": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}


def _font_urls() -> dict[str, str]:
    return {name: Path(finders.find(path)).as_uri() for name, path in FONT_FILES.items()}


def render_pdf(report) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fonts = _font_urls()
    allowed = set(fonts.values())

    class LocalFontsOnly(URLFetcher):
        """WeasyPrint fetches nothing but the shipped fonts: no network, no other file."""

        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"ressource refusée dans le PDF : {url}")
            return super().fetch(url, headers)

    context = {**_context(report), "fonts": fonts, "printed_on": timezone.localdate()}
    html = render_to_string("backoffice/outcomes/print.html", context)
    # The print stylesheet is given to WeasyPrint, not written into the HTML: templates hold
    # no style element (the Content-Security-Policy allows none), the PDF's layout is its own.
    css = render_to_string("backoffice/outcomes/print.css", {"fonts": fonts})
    # Laying out a long report takes seconds: the same HTML (same figures, same day) is
    # served from the cache, so repeated downloads cost one render of the HTML only.
    key = PDF_CACHE_PREFIX + hashlib.sha256((css + html).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        fetcher = LocalFontsOnly(allowed_protocols=["file"], fail_on_errors=True)
        stylesheet = CSS(string=css, url_fetcher=fetcher)
        pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


@gate("view", EVENT)
def outcome_report_pdf(request: HttpRequest, event) -> HttpResponse:
    report = event_outcome_report(event)
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bilan-{report.event.slug}.pdf"'
    return response


# --- CSV / XLSX ------------------------------------------------------------------------------

HEADER = ["indicateur", "valeur", "précision"]


def _rows(report) -> list[list]:
    t = report.outcomes.total
    missing = "non renseigné"
    rows = [
        ["Personnes présentes (comptées à l'accueil)", t.attended, ""],
        ["Personnes inscrites", t.registered, f"{t.registrations} inscriptions confirmées"],
        ["Élèves inscrits (groupes confirmés)", t.pupils, f"{t.groups} groupes"],
        ["Départements d'origine des groupes", report.departments_count, ""],
        ["Établissements scolaires", report.schools, ""],
        ["Partenaires", len(report.partner_names), ""],
        ["Journalistes accrédités", report.journalists, f"{report.journalist_outlets} médias"],
        ["Retombées presse enregistrées", len(report.articles), ""],
        [
            "Audience déclarée des retombées",
            report.articles_reach if report.articles_reach is not None else missing,
            "",
        ],
        [
            "Personnalités officielles",
            report.vip_count if report.vip_count is not None else missing,
            report.vip_note,
        ],
    ]
    for invitation in report.invitations:
        rows.append(
            [
                f"Sur invitation — {invitation.title}",
                invitation.attended,
                f"{invitation.invited} invités, {invitation.confirmed} inscrits",
            ]
        )
    for metric, label in SOCIAL:
        value = report.media.get(metric) if report.media else None
        rows.append([f"Réseaux sociaux — {label}", value if value is not None else missing, ""])
    return rows


def _sheets(report):
    yield "Bilan", HEADER, _rows(report)
    yield (
        "Départements",
        ["département", "code", "groupes", "élèves", "présents"],
        [[d.name, d.code, d.groups, d.pupils, d.attended] for d in report.outcomes.departments],
    )
    yield (
        "Espaces",
        ["univers", "espace", "séances", "inscrits", "présents"],
        [[s.universe, s.space, s.sessions, s.registered, s.attended] for s in report.spaces],
    )
    yield (
        "Presse",
        ["média", "date", "titre", "lien", "audience déclarée"],
        [[a.outlet, a.published_on.isoformat(), a.title, a.url, a.reach] for a in report.articles],
    )


@gate("view", EVENT)
def outcome_report_csv(request: HttpRequest, event) -> HttpResponse:
    report = event_outcome_report(event)

    def rows():
        for i, (title, header, sheet_rows) in enumerate(_sheets(report)):
            if i:
                yield []
                yield [title.upper()]
                yield header
            yield from sheet_rows

    return csv_response(f"bilan-{report.event.slug}-rapport.csv", HEADER, rows())


@gate("view", EVENT)
def outcome_report_xlsx(request: HttpRequest, event) -> HttpResponse:
    report = event_outcome_report(event)
    return xlsx_response(f"bilan-{report.event.slug}.xlsx", _sheets(report))


# --- what the organizer records -------------------------------------------------------------


def _invalid(request, event, *, article_form=None, facts_form=None) -> HttpResponse:
    report = event_outcome_report(event)
    facts = {"vip_count": report.vip_count, "vip_note": report.vip_note}
    return render(
        request,
        "backoffice/outcomes/report.html",
        {
            **_context(report),
            "page_title": f"Rapport de bilan — {event.title}",
            "section": "outcome_report",
            "can_edit": True,
            "article_form": article_form or MediaArticleForm(),
            "facts_form": facts_form or OutcomeFactsForm(initial=facts),
        },
        status=400,
    )


def _copy_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_POST
@gate("change", EVENT, denied=CANNOT_CHANGE)
def media_article_add(request: HttpRequest, event) -> HttpResponse:
    form = MediaArticleForm(request.POST)
    if not form.is_valid():
        return _invalid(request, event, article_form=form)
    try:
        media_article_create(actor=request.user, event=event, **form.cleaned_data)
    except ValidationError as error:
        _copy_errors(form, error)
        return _invalid(request, event, article_form=form)
    messages.success(request, "La retombée presse est enregistrée.")
    return redirect("backoffice:outcome_report", pk=event.pk)


@require_POST
@gate("change", EVENT, denied=CANNOT_CHANGE)
def media_article_remove(request: HttpRequest, event, article_pk: int) -> HttpResponse:
    # Not a 404: a second click on "remove" finds it gone, and says so on the report.
    article = media_article_for_event(event, article_pk)
    if article is None:
        messages.error(request, "Cette retombée presse n'existe plus.")
        return redirect("backoffice:outcome_report", pk=event.pk)
    media_article_delete(actor=request.user, article=article)
    messages.success(request, "La retombée presse est supprimée.")
    return redirect("backoffice:outcome_report", pk=event.pk)


@require_POST
@gate("change", EVENT, denied=CANNOT_CHANGE)
def outcome_facts_edit(request: HttpRequest, event) -> HttpResponse:
    form = OutcomeFactsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, event, facts_form=form)
    try:
        outcome_facts_update(actor=request.user, event=event, **form.cleaned_data)
    except ValidationError as error:
        _copy_errors(form, error)
        return _invalid(request, event, facts_form=form)
    messages.success(request, "Le bilan est mis à jour.")
    return redirect("backoffice:outcome_report", pk=event.pk)
