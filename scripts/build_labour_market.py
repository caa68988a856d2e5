#!/usr/bin/env python3
"""Build the shipped labour-market files from France Travail's and DARES's raw files.

Reads (only here, at build time) the raw files described in
``vocations/territories/data/README.md`` ("Labour market"), from a directory given on the
command line, and writes:

- ``vocations/territories/data/labour_market.json.gz``: BMO 2024 per bassin d'emploi × BMO
  trade (masked ``*`` counts as null), the bassins and their communes, tension per ROME ×
  bassin (2020), DARES tension per FAP × département (2019) with its causes, median wage and
  share of women per trade family;
- ``vocations/careers/data/bmo_rome.json``: BMO trade -> ROME codes for the industrial
  trades, each marked exact or inferred with the reason (see
  ``scripts/labour_market_mapping.py``).

Usage: ``python scripts/build_labour_market.py RAW_DIR``. Sorted content and a zeroed gzip
timestamp: the same raw files give byte-identical outputs (the loader skips by checksum).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labour_market_mapping import (  # noqa: E402
    INDUSTRIAL_DOMAINS,
    INDUSTRIAL_EXTRA,
    MAPPING,
    UNMAPPED,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "vocations" / "territories" / "data" / "labour_market.json.gz"
DEFAULT_MAPPING_OUTPUT = ROOT / "vocations" / "careers" / "data" / "bmo_rome.json"
FORMAT_VERSION = 1
BMO_FILE = "Base_open_data_BMO_2024.xlsx"
BMO_SHEET = "BMO_2024_open_data"
MASKED = "*"
CAUSES = [
    ("hiring_intensity", "Intensité d'embauches"),
    ("training_link", "Lien formation-emploi"),
    ("labour_shortage", "Manque de main-d'œuvre disponible"),
    ("non_durable", "Non-durabilité de l'emploi"),
    ("working_conditions", "Conditions de travail contraignantes"),
    ("geographic_mismatch", "Inadéquation géographique"),
]
SOURCES = {
    "bmo": "France Travail, enquête Besoins en main-d'œuvre (BMO) 2024 — Licence Ouverte 2.0",
    "tension": "France Travail, tensions sur le marché du travail par métier ROME et bassin, "
    "2020 — Licence Ouverte 2.0",
    "dares_tension": "DARES et France Travail, indicateur de tension 2019 — Licence Ouverte 2.0",
    "wages": "DARES, salaire médian net mensuel des salariés à temps complet par famille "
    "professionnelle — Licence Ouverte 2.0",
    "women": "DARES, part des femmes par famille professionnelle — Licence Ouverte 2.0",
}


def _pad_department(code: str) -> str:
    code = code.strip()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


def _count(value) -> int | None:
    text = "" if value is None else str(value).strip()
    if text == MASKED:
        return None
    if isinstance(value, float):
        return int(value)
    return int(text)


def _csv(path: Path, *, encoding="utf-8", delimiter=";", header=True):
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        rows = list(reader)
    return rows[1:] if header else rows


def read_bmo(raw: Path) -> dict:
    from openpyxl import load_workbook

    workbook = load_workbook(raw / BMO_FILE, read_only=True, data_only=True)
    sheet = workbook[BMO_SHEET]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() for cell in next(rows_iter)]
    col = {name: header.index(name) for name in header}
    trades: dict[str, list] = {}
    area_names: dict[str, str] = {}
    area_departments: dict[str, Counter] = defaultdict(Counter)
    rows = []
    masked = Counter()
    for row in rows_iter:
        if row[col["annee"]] is None:
            continue
        code = str(row[col["Code métier BMO"]]).strip()
        area = str(row[col["BE24"]]).strip().zfill(4)
        trades[code] = [
            str(row[col["Nom métier BMO"]]).strip(),
            str(row[col["Famille_met"]]).strip(),
            str(row[col["Lbl_fam_met"]]).strip(),
        ]
        department = _pad_department(str(row[col["Dept"]]))
        area_names[area] = str(row[col["NOMBE24"]]).strip()
        area_departments[area][department] += 1
        counts = [_count(row[col[name]]) for name in ("met", "xmet", "smet")]
        for name, value in zip(("met", "xmet", "smet"), counts, strict=True):
            masked[name] += value is None
        rows.append([code, area, department, *counts])
    workbook.close()
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    # 24 bassins straddle départements (their rows are split per département): the area's
    # département is the one with the most rows, ties to the smallest code.
    areas = {
        area: [area_names[area], min(votes, key=lambda d: (-votes[d], d))]
        for area, votes in sorted(area_departments.items())
    }
    print(
        f"BMO 2024: {len(rows)} rows, {len(trades)} trades, {len(areas)} bassins, masked {masked}"
    )
    return {"year": 2024, "trades": trades, "areas": areas, "rows": rows}


def read_area_communes(raw: Path, areas: dict) -> dict[str, list[str]]:
    communes: dict[str, list[str]] = defaultdict(list)
    unknown = set()
    for _reg, _dep, insee, area, _name in _csv(
        raw / "communes_bassins_bmo_2024.csv", delimiter=","
    ):
        area = area.strip().zfill(4)
        if area not in areas:
            unknown.add(area)
            continue
        communes[area].append(insee.strip())
    if unknown:
        print(f"warning: bassins of the commune table absent from BMO 2024: {sorted(unknown)}")
    print(f"communes -> bassins 2024: {sum(map(len, communes.values()))} communes")
    return {area: sorted(set(codes)) for area, codes in sorted(communes.items())}


def read_tension(raw: Path) -> dict:
    department_votes: dict[str, Counter] = defaultdict(Counter)
    for row in _csv(raw / "communes_bassins_2019.csv", delimiter=","):
        department_votes[row[6].strip().zfill(4)][_pad_department(row[3])] += 1
    areas: dict[str, list] = {}
    labels: dict[str, str] = {}
    rows = []
    years = set()
    for year, rome, label, area, area_name, offers, seekers, tension in _csv(
        raw / "tension_rome_bassin_2020.csv"
    ):
        area = area.strip().zfill(4)
        votes = department_votes.get(area)
        if not votes:
            raise SystemExit(f"tension bassin {area} absent from communes_bassins_2019.csv")
        # A bassin lies in one département (checked: the most common one holds all communes).
        areas[area] = [area_name.strip(), votes.most_common(1)[0][0]]
        labels[rome] = label.strip()
        years.add(int(year))
        rows.append(
            [rome, area, int(offers), int(seekers), int(tension) if tension.strip() else None]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    print(f"tension 2020: {len(rows)} rows, {len(labels)} ROME, {len(areas)} bassins 2019")
    (only_year,) = years
    return {"year": only_year, "areas": areas, "rome_labels": labels, "rows": rows}


def _float(text: str) -> float | None:
    text = text.strip()
    return None if text in ("", "NA") else float(text)


def _class(text: str) -> int | None:
    value = _float(text)
    return None if value is None else int(value)


def read_dares_tension(raw: Path) -> dict:
    rows = []
    for row in _csv(raw / "dares_tensions_2019.csv", delimiter=","):
        fap, employment, _value, category, *causes = row[:10]
        level, fap_level, department = row[11].strip(), row[12].strip(), row[14].strip()
        if fap_level != "fap 225" or level not in ("nat", "dep"):
            continue
        rows.append(
            [
                fap,
                _pad_department(department) if level == "dep" else "",
                int(float(employment)) if employment.strip() else None,
                _class(category),
                *[_class(cause) for cause in causes],
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    print(f"DARES tension 2019: {len(rows)} rows (FAP 225, national and départements)")
    return {"year": 2019, "causes": CAUSES, "rows": rows}


def _latest(rows, value_index: int) -> tuple[str, dict[str, float]]:
    period = max(row[1] for row in rows)
    return period, {row[0]: row[value_index] for row in rows if row[1] == period}


def read_wages(raw: Path) -> dict:
    rows = _csv(raw / "dares_salaire_median_fap87.csv", delimiter=",")
    period, values = _latest(rows, 2)
    wages = {fap: int(value) for fap, value in sorted(values.items()) if value not in ("NA", "")}
    print(f"median wages {period}: {len(wages)} families")
    return {"period": period, "values": wages}


FAP_CODE = re.compile(r"[A-Z][A-Z0-9]{0,4}")


def read_women(raw: Path) -> dict:
    rows = _csv(raw / "dares_part_femmes_fap87.csv", encoding="latin-1", delimiter=",")
    period = max(row[1] for row in rows)
    shares, labels = {}, {}
    for row in rows:
        number = _float(row[2])
        # "Ensemble" (all trades) is a total, not a FAP code.
        if row[1] != period or number is None or not FAP_CODE.fullmatch(row[0]):
            continue
        shares[row[0]] = round(number, 1)  # a percentage at both FAP levels
        if row[3] != row[0]:
            labels[row[0]] = row[3]
    print(f"share of women {period}: {len(shares)} codes")
    return {
        "period": period,
        "values": dict(sorted(shares.items())),
        "labels": dict(sorted(labels.items())),
    }


def read_dares_rome(raw: Path) -> dict[str, list[tuple[str, bool]]]:
    links: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for fap, rome, title in _csv(raw / "dares_fap225_rome.csv", encoding="latin-1"):
        if rome == "NA":
            continue
        links[fap].append((rome, not title.rstrip().endswith("*")))
    return links


def build_mapping(bmo: dict, links: dict, rome_labels: dict[str, str]) -> dict:
    industrial = {
        code: trade
        for code, trade in bmo["trades"].items()
        if trade[1] == "I"
        or (trade[1] in ("C", "T") and code[0] in INDUSTRIAL_DOMAINS)
        or code in INDUSTRIAL_EXTRA
    }
    mappings = []
    problems = []
    for code in sorted(industrial):
        if code in UNMAPPED:
            continue
        if code not in MAPPING:
            problems.append(f"{code} {industrial[code][0]}: neither mapped nor listed as unmapped")
            continue
        faps, kind, why, narrowed = MAPPING[code]
        all_links = {rome for fap in faps for rome, _main in links.get(fap, [])}
        main_links = sorted({rome for fap in faps for rome, main in links.get(fap, []) if main})
        if narrowed is not None:
            stray = sorted(set(narrowed) - all_links)
            if stray:
                problems.append(f"{code}: {stray} not among the DARES links of {faps}")
            rome_codes = sorted(narrowed)
        else:
            rome_codes = main_links
        if not rome_codes:
            problems.append(f"{code}: no ROME code")
        mappings.append(
            {
                "bmo_code": code,
                "bmo_name": industrial[code][0],
                "family": industrial[code][1],
                "fap2009": faps,
                "kind": kind,
                "why": why,
                "rome_codes": rome_codes,
            }
        )
    stale = sorted(set(MAPPING) - set(industrial))
    if stale:
        problems.append(f"mapped codes that are not industrial BMO 2024 trades: {stale}")
    if problems:
        raise SystemExit("mapping problems:\n" + "\n".join(problems))
    kinds = Counter(m["kind"] for m in mappings)
    print(
        f"mapping: {len(mappings)} industrial BMO trades ({dict(kinds)}), {len(UNMAPPED)} unmapped"
    )
    return {
        "about": (
            "BMO 2024 trade (FAP 2021 code) -> ROME codes, for the industrial trades (family I, "
            "and the C and T codes of the industrial FAP domains C-H plus N0X70, N1X90). Built "
            "by scripts/build_labour_market.py from the hand-curated FAP 2021 -> FAP 2009 table "
            "in scripts/labour_market_mapping.py and DARES's FAP 2009 (225) -> ROME table. "
            "'exact': same trade in both nomenclatures; 'inferred': merged, split or narrowed, "
            "see 'why'. A BMO trade covers several ROME trades: each shows the whole BMO "
            "trade's figure, labelled with the BMO trade's name."
        ),
        "year": bmo["year"],
        "mappings": mappings,
        "unmapped": [
            {"bmo_code": code, "bmo_name": industrial[code][0], "why": why}
            for code, why in sorted(UNMAPPED.items())
        ],
        "rome_labels": {
            rome: rome_labels[rome]
            for rome in sorted({r for m in mappings for r in m["rome_codes"]})
            if rome in rome_labels
        },
    }


def build(raw: Path) -> tuple[dict, dict]:
    bmo = read_bmo(raw)
    tension = read_tension(raw)
    payload = {
        "format": FORMAT_VERSION,
        "sources": SOURCES,
        "bmo": bmo,
        "area_communes": read_area_communes(raw, bmo["areas"]),
        "tension": tension,
        "dares_tension": read_dares_tension(raw),
        "wages": read_wages(raw),
        "women": read_women(raw),
    }
    mapping = build_mapping(bmo, read_dares_rome(raw), tension["rome_labels"])
    return payload, mapping


def write_gzip_json(payload: dict, output: Path) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    output.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--mapping-output", type=Path, default=DEFAULT_MAPPING_OUTPUT)
    args = parser.parse_args(argv)
    payload, mapping = build(args.raw_dir)
    write_gzip_json(payload, args.output)
    args.mapping_output.write_text(
        json.dumps(mapping, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    print(f"wrote {args.mapping_output} ({args.mapping_output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
