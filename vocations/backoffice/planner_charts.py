"""Server-rendered SVG charts of a plan's result (no JavaScript, CSP-safe): allocation bars,
one response curve per channel with its interval band, the départements map."""

from __future__ import annotations

from vocations.planner.selectors import department_names

from .territory_map import choropleth, fmt

WIDTH, HEIGHT, PAD = 320, 160, 30


def allocation_bars(result: dict, labels: dict) -> dict:
    amounts = result["allocation"]
    top = max(amounts.values(), default=0) or 1
    bars = []
    for i, (channel, amount) in enumerate(sorted(amounts.items(), key=lambda x: -x[1])):
        width = int(360 * amount / top)
        bars.append(
            {
                "label": labels[channel],
                "y": 6 + i * 24,
                "text_y": 20 + i * 24,
                "width": width,
                "value_x": 160 + width + 6,
                "value": round(amount),
            }
        )
    return {
        "bars": bars,
        "height": 12 + 24 * len(bars),
        "label_width": 160,
        "width": 620,
        "bar_height": 18,
        "title": "Budget proposé par canal (€)",
    }


def curve_charts(result: dict, labels: dict) -> list[dict]:
    charts = []
    for channel, points in result["curves"].items():
        top_x = max(p[0] for p in points) or 1
        top_y = max(p[3] for p in points) or 1

        def xy(x, y, top_x=top_x, top_y=top_y):
            return (
                PAD + (WIDTH - PAD - 8) * x / top_x,
                HEIGHT - PAD - (HEIGHT - PAD - 8) * y / top_y,
            )

        line = " ".join("{:.1f},{:.1f}".format(*xy(p[0], p[1])) for p in points)
        band = [xy(p[0], p[3]) for p in points] + [xy(p[0], p[2]) for p in reversed(points)]
        amount = result["allocation"].get(channel, 0)
        mark = xy(amount, result["plan"]["channels"][channel]["registrations"])
        fit = result["fits"][channel]
        charts.append(
            {
                "id": f"courbe-{channel}",
                "label": labels[channel],
                "line": line,
                "band": " ".join(f"{x:.1f},{y:.1f}" for x, y in band),
                "mark_x": f"{mark[0]:.1f}",
                "mark_y": f"{mark[1]:.1f}",
                "top_x": fmt(top_x),
                "top_y": fmt(top_y),
                "thin": fit["thin"],
                "reasons": fit["reasons"],
                "width": WIDTH,
                "height": HEIGHT,
                "axis_y": HEIGHT - PAD,
                "pad": PAD,
            }
        )
    return charts


def department_map(result: dict) -> dict:
    """Euros per département (billboard cities and events) on the territory map."""
    places = result.get("territories", {})
    euros: dict[str, float] = {}
    for code, count in places.get("events", {}).items():
        euros[code] = euros.get(code, 0.0) + count * places.get("event_cost", 0.0)
    for department, panels in places.get("billboards_by_department", {}).items():
        euros[department] = euros.get(department, 0.0) + panels * places.get("panel_cost", 0.0)
    return _map(euros)


def previous_department_map(result: dict) -> dict:
    """The last wave's billboard euros per département, on the same kind of map."""
    return _map(result.get("territories", {}).get("previous_by_department", {}))


def _map(euros: dict[str, float]) -> dict:
    names = department_names()
    values = {c: (v, f"{fmt(v)} €") for c, v in euros.items()}
    return choropleth(sorted(names.items()), values, href=None)
