"""``{{ figures|figure_cells }}``: the cells of one row of the campaign report.

The same markup as a template would give, built in Python: the report shows hundreds of rows
of thirteen cells, and an ``{% include %}`` per row cost more than the report's queries.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vocations.analytics.templatetags.analytics import euros, thousands

register = template.Library()

PARTIAL_COST = '<abbr title="sur les emplacements dont la dépense est connue">*</abbr>'


def _cost(cents, partial: bool, results: int, gap: str) -> str:
    if cents is not None:
        return escape(euros(cents)) + (PARTIAL_COST if partial else "")
    if results:
        return f'<span class="muted">{escape(gap)}</span>'
    return "—"


@register.filter
def figure_cells(f) -> SafeString:
    cells = []
    if f.placements:
        reported = (
            escape(euros(f.reported_cents))
            + (
                f' <span class="muted">({f.reported_placements} empl. sur {f.placements})</span>'
                if f.reported_placements < f.placements
                else ""
            )
            if f.reported_placements
            else '<span class="muted">non déclarée</span>'
        )
        cells += [
            escape(euros(f.planned_cents)),
            escape(euros(f.committed_cents)),
            reported,
            escape(thousands(f.reach)),
        ]
        html = "".join(f'<td class="num">{cell}</td>' for cell in cells)
    else:
        gap = "non réparti" if f.unallocated_parts else "hors plan média"
        html = f'<td class="num muted">{gap}</td>' * 4
    partial = f.costs_partial
    cells = [
        escape(thousands(f.visits)),
        escape(thousands(f.unique_visitors)),
        escape(thousands(f.registrations)),
        escape(thousands(f.first_registrations)),
        escape(thousands(f.attendance)),
        _cost(f.cost_per_registration_cents, partial, f.registrations, f.cost_gap),
        _cost(f.cost_per_attendee_cents, partial, f.attendance, f.cost_gap),
    ]
    return mark_safe(  # noqa: S308 - every value escaped above
        html + "".join(f'<td class="num">{cell}</td>' for cell in cells)
    )
