#!/usr/bin/env python3
"""Build vocations/territories/data/boundaries.json: SVG paths of départements and régions.

Source: github.com/gregoiredavid/france-geojson (commit 5d34ee6), converted from IGN Admin
Express COG 2018; Licence Ouverte / Etalab — credit « IGN, Admin Express COG 2018, via
france-geojson ». Reads (at build time only) ``departements-version-simplifiee.geojson``
(96 metropolitan départements), ``departements-avec-outre-mer.geojson`` (for the five
overseas départements) and ``regions-version-simplifiee.geojson`` (13 metropolitan régions).

Each shape is projected (equirectangular, scaled by the cosine of the mean latitude, which
is close enough at the scale of a département map), simplified with Douglas–Peucker and
rounded to whole units of a 1000-wide viewBox; the overseas départements are insets in a
column on the left, each scaled to its own box (not to scale, as on every French map).
Paths use the compact form ``M x y x y … Z`` (implicit line-to).

Usage: ``python scripts/build_boundaries.py GEO_DIR``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "vocations" / "territories" / "data" / "boundaries.json"
WIDTH, HEIGHT = 1000, 900
METRO_BOX = (170, 10, 990, 890)  # x0, y0, x1, y1
INSET = 150
OVERSEAS = ["971", "972", "973", "974", "976"]
# The overseas départements are also régions (same shape): département -> région code.
OVERSEAS_REGIONS = {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}
TOLERANCE = 0.9  # viewBox units


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    else:
        polygons = geometry["coordinates"]
    # Outer rings only: no département or région here has a hole worth drawing at this scale.
    return [[(lon, lat) for lon, lat in polygon[0]] for polygon in polygons]


def _project(rings, box, bounds, cos_lat):
    lon0, lat0, lon1, lat1 = bounds
    x0, y0, x1, y1 = box
    width = (lon1 - lon0) * cos_lat
    height = lat1 - lat0
    scale = min((x1 - x0) / width, (y1 - y0) / height)
    # Centre the drawing in its box.
    dx = x0 + ((x1 - x0) - width * scale) / 2
    dy = y0 + ((y1 - y0) - height * scale) / 2
    return [
        [((lon - lon0) * cos_lat * scale + dx, (lat1 - lat) * scale + dy) for lon, lat in ring]
        for ring in rings
    ]


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (ax, ay), (bx, by) = points[start], points[end]
        length = math.hypot(bx - ax, by - ay)
        best, index = 0.0, None
        for i in range(start + 1, end):
            px, py = points[i]
            if length == 0:  # a closed ring: first and last points are the same
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _path(rings) -> str:
    parts = []
    for ring in rings:
        points = _simplify(ring, TOLERANCE)
        coords = []
        last = None
        for x, y in points:
            rounded = (round(x), round(y))
            if rounded != last:
                coords.append(rounded)
                last = rounded
        if len(coords) < 3:
            continue  # an islet smaller than a unit: invisible at this scale
        parts.append("M" + " ".join(f"{x} {y}" for x, y in coords) + "Z")
    return "".join(parts)


def _bounds(rings_list):
    lons = [lon for rings in rings_list for ring in rings for lon, _ in ring]
    lats = [lat for rings in rings_list for ring in rings for _, lat in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _centroid(path_rings) -> tuple[int, int]:
    # Centre of the largest ring's bounding box: good enough to place a label or a focus ring.
    ring = max(path_rings, key=len)
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    return round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2)


def build(geo_dir: Path) -> dict:
    metro = json.loads((geo_dir / "departements-version-simplifiee.geojson").read_text())
    full = json.loads((geo_dir / "departements-avec-outre-mer.geojson").read_text())
    regions = json.loads((geo_dir / "regions-version-simplifiee.geojson").read_text())
    metro_rings = {f["properties"]["code"]: _rings(f["geometry"]) for f in metro["features"]}
    names = {f["properties"]["code"]: f["properties"]["nom"] for f in full["features"]}
    bounds = _bounds(metro_rings.values())
    cos_lat = math.cos(math.radians((bounds[1] + bounds[3]) / 2))
    departments = {}
    for code, rings in sorted(metro_rings.items()):
        projected = _project(rings, METRO_BOX, bounds, cos_lat)
        departments[code] = {"name": names[code], "d": _path(projected), "c": _centroid(projected)}
    insets = []
    overseas = {f["properties"]["code"]: f for f in full["features"]}
    for i, code in enumerate(OVERSEAS):
        rings = _rings(overseas[code]["geometry"])
        box = (10, 10 + i * (INSET + 25), 10 + INSET, 10 + i * (INSET + 25) + INSET)
        own = _bounds([rings])
        projected = _project(rings, box, own, math.cos(math.radians((own[1] + own[3]) / 2)))
        departments[code] = {"name": names[code], "d": _path(projected), "c": _centroid(projected)}
        insets.append({"code": code, "box": list(box)})
    region_shapes = {}
    for feature in regions["features"]:
        code = feature["properties"]["code"]
        projected = _project(_rings(feature["geometry"]), METRO_BOX, bounds, cos_lat)
        region_shapes[code] = {
            "name": feature["properties"]["nom"],
            "d": _path(projected),
            "c": _centroid(projected),
        }
    for code, region_code in OVERSEAS_REGIONS.items():
        region_shapes[region_code] = {**departments[code]}
    return {
        "format": 1,
        "source": "IGN, Admin Express COG 2018, via france-geojson (commit 5d34ee6) — "
        "Licence Ouverte / Etalab",
        "viewBox": [0, 0, WIDTH, HEIGHT],
        "insets": insets,
        "departments": departments,
        "regions": dict(sorted(region_shapes.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geo_dir", type=Path)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    payload = build(args.geo_dir)
    args.output.write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {args.output}: {len(payload['departments'])} départements, "
        f"{len(payload['regions'])} régions, {args.output.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
