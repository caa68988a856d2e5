"""The choropleth map of départements or régions, shared by the territory view, the
collective's presence page and the event outcome report.

Inline SVG drawn from vocations/territories/data/boundaries.json (no tile server): each
territory is a link whose accessible name carries its value; five quantile classes. Swatches
are SVG rectangles with a fill attribute (no inline style), so the map also renders in the
WeasyPrint PDF and under a strict Content-Security-Policy.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

from django.utils.safestring import mark_safe

BOUNDARIES = Path(__file__).resolve().parents[1] / "territories" / "data" / "boundaries.json"
# Five classes, light to dark (blue scale; the darkest passes 4.5:1 against white text).
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#f0f0f0"


@functools.cache
def boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


@functools.cache
def _escaped_paths(level: str) -> dict[str, str]:
    """The shipped SVG paths, escaped once per process: they never change (≈ 97 KB). The
    standard library's escape: the same entities as Django's, without its lazy wrapper."""
    shapes = boundaries()["regions" if level == "region" else "departments"]
    return {code: escape(shape["d"]) for code, shape in shapes.items()}


def _shape_markup(item: dict, path_d: str) -> str:
    """One territory of the map: a link (or a group in a picture) with its accessible name.
    Built here rather than in a template loop: ~100 shapes per page, rendered at each view."""
    label, code = escape(item["label"]), escape(item["code"])
    path = f'<path d="{path_d}" fill="{escape(item["fill"])}" stroke="#ffffff" stroke-width="0.8"/>'
    if item["href"]:
        return (
            f'<a href="{escape(item["href"])}" aria-label="{label}" class="territory" '
            f'data-code="{code}"><title>{label}</title>{path}</a>'
        )
    return f'<g class="territory" data-code="{code}"><title>{label}</title>{path}</g>'


def fmt(value: float | int | None, decimals: int = 0) -> str:
    """French number: narrow no-break space for thousands, comma for decimals."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def quantile_bounds(values: list[float]) -> list[float]:
    """Upper bounds of five quantile classes."""
    ordered = sorted(values)
    if not ordered:
        return []
    count = len(ordered)
    return [ordered[max(0, -(-count * (i + 1) // 5) - 1)] for i in range(5)]


def class_of(value: float | None, bounds: list[float]) -> int | None:
    if value is None or not bounds:
        return None
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds) - 1


def choropleth(
    territories: Iterable[tuple[str, str]],
    values: dict[str, tuple[float | None, str]],
    *,
    href: Callable[[str], str] | None,
    level: str = "department",
    decimals: int = 0,
) -> dict:
    """Template context of `backoffice/territories/_map.html`.

    ``territories``: (code, name) in the order keyboard users will meet them; ``values``:
    code -> (number or None, the words said for it); ``href``: code -> link (None: the map
    is a picture, as in the PDF). Territories without a shipped boundary (collectivités
    d'outre-mer) are left out of the map; pages list them in their table.
    """
    shapes = boundaries()["regions" if level == "region" else "departments"]
    paths = _escaped_paths(level)
    numbers = [v for v, _ in values.values() if v is not None]
    bounds = quantile_bounds(numbers)
    items = []
    for code, name in territories:
        shape = shapes.get(code)
        if shape is None:
            continue
        value, text = values.get(code, (None, "pas de chiffre"))
        klass = class_of(value, bounds)
        items.append(
            {
                "code": code,
                "name": name,
                "d": shape["d"],
                "href": href(code) if href else "",
                "label": f"{name} ({code}) : {text}",
                "fill": NO_DATA if klass is None else PALETTE[klass],
            }
        )
    legend = []
    lower = min(numbers, default=None)
    for i, bound in enumerate(bounds):
        if i and bound == bounds[i - 1]:
            continue  # an empty class (many equal values, e.g. zeros)
        legend.append(
            {"fill": PALETTE[i], "text": f"{fmt(lower, decimals)} à {fmt(bound, decimals)}"}
        )
        lower = bound
    return {
        "view_box": " ".join(str(n) for n in boundaries()["viewBox"]),
        "items": items,
        "shapes": mark_safe(  # noqa: S308 - every part escaped in _shape_markup
            "\n".join(_shape_markup(item, paths[item["code"]]) for item in items)
        ),
        "legend": legend,
        "no_data": NO_DATA,
        "geo_source": boundaries()["source"],
    }
