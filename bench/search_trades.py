"""Benchmark of the trades explorer's search at the full ROME referential's size.

Generates ~14,000 appellations in France Travail's CSV layout over the 404 shipped trades plus
generated extra trades (domains A-N), imports them with import_rome_referential (which rebuilds
the search index), runs ~500 queries (real trade words, prefixes, accents, misses) through
vocations.careers.search.search_trades — the function the explorer calls — and reports
p50/p95/max in ms on the current database backend. Writes bench/results/search_trades.json.

Run (SQLite, a throw-away database file):
    DATABASE_URL=sqlite:////tmp/bench-trades.sqlite3 .venv/bin/python bench/search_trades.py
PostgreSQL: DATABASE_URL=postgres://user@host:port/db (an empty database you can drop).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from vocations.careers import services  # noqa: E402
from vocations.careers.models import Appellation, Trade  # noqa: E402
from vocations.careers.search import search_trades  # noqa: E402

APPELLATIONS = 14_000
EXTRA_TRADES = 1_200  # the full referential has ~1,600 fiches; 404 are shipped
QUERIES = 500
SEED = 7
QUALIFIERS = [
    "en industrie",
    "polyvalent",
    "qualifié",
    "de production",
    "en atelier",
    "sur machine",
    "de maintenance",
    "confirmé",
    "en agroalimentaire",
    "en métallurgie",
    "de nuit",
    "en aéronautique",
    "junior",
    "senior",
    "chef de poste",
    "en équipe",
    "itinérant",
    "sur chantier",
    "en laboratoire",
    "en plasturgie",
    "en chaudronnerie",
    "TIG",
    "à l'arc",
]
NOUNS = [
    "Agent",
    "Opérateur",
    "Technicien",
    "Responsable",
    "Conducteur",
    "Chargé",
    "Assistant",
    "Monteur",
    "Contrôleur",
    "Préparateur",
    "Animateur",
    "Conseiller",
    "Gestionnaire",
]
FIELDS = [
    "logistique",
    "commerce",
    "santé",
    "transport",
    "banque",
    "hôtellerie",
    "informatique",
    "bâtiment",
    "sécurité",
    "formation",
    "communication",
    "agriculture",
    "environnement",
]
QUERY_WORDS = [
    "soudeuse",
    "soudeur",
    "Soudeur TIG",
    "usinage",
    "chaudronnier",
    "chaudronnière",
    "électricien",
    "electricien",
    "maintenance",
    "pilote de ligne de production",
    "cariste",
    "technicien qualité",
    "mécanicien",
    "ingénieur méthodes",
    "boulanger",
    "automatisme",
    "plasturgie",
    "conducteur de ligne",
    "préparateur de commandes",
    "frigoriste",
    "tuyauteur",
    "métallier",
    "peintre industriel",
    "opérateur de production",
    "logistique",
    "Technicienne de maintenance industrielle",
    "CHEF D'ÉQUIPE",
    "éolien",
    "hydrogène",
]
PREFIXES = ["soud", "chaud", "techn", "maint", "ingé", "méca", "opér", "conduc", "plast"]
MISSES = ["astronaute", "zzzz", "boulangerie pâtisserie fine", "pilote de chasse", "🔥", "'; --"]


def generate_csv(rng: random.Random) -> tuple[bytes, bytes]:
    codes = list(Trade.objects.values_list("rome_code", "title"))
    extra = []
    used = {code for code, _ in codes}
    letters = "ABCDEFGIJKLMN"
    while len(extra) < EXTRA_TRADES:
        code = f"{rng.choice(letters)}{rng.randint(1000, 1999)}"
        if code in used:
            continue
        used.add(code)
        extra.append((code, f"{rng.choice(NOUNS)} / {rng.choice(NOUNS)}e en {rng.choice(FIELDS)}"))
    code_lines = ["code_rome;code_fiche_em;code_ogr;libelle_rome"]
    for index, (code, title) in enumerate(codes + extra):
        code_lines.append(f"{code};{90000 + index};{20000 + index};{title}")
    all_codes = codes + extra
    app_lines = ["code_ogr;libelle_appellation_long;libelle_appellation_court;code_rome"]
    for index in range(APPELLATIONS):
        code, title = all_codes[index % len(all_codes)]
        base = title.split(" / ")[0]
        label = f"{base} {rng.choice(QUALIFIERS)} {rng.choice(QUALIFIERS)}".replace(";", ",")
        app_lines.append(f"{100000 + index};{label};{label[:60]};{code}")
    return "\n".join(code_lines).encode(), "\n".join(app_lines).encode()


def queries(rng: random.Random) -> list[str]:
    pool = (QUERY_WORDS * 12 + PREFIXES * 8 + MISSES * 6) * 2
    rng.shuffle(pool)
    return pool[:QUERIES]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a throw-away database: the benchmark empties it.")
    rng = random.Random(SEED)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    services.load_careers(force=True)
    codes_csv, appellations_csv = generate_csv(rng)
    started = time.perf_counter()
    for data, name in ((codes_csv, "codes.csv"), (appellations_csv, "appellations.csv")):
        report = services.import_rome_referential(file=data, filename=name)
        if not report.ok:
            raise SystemExit("\n".join(report.errors[:10]))
    import_seconds = time.perf_counter() - started
    workload = queries(rng)
    for query in workload[:20]:  # warm-up
        search_trades(query)
    timings = []
    for query in workload:
        start = time.perf_counter()
        hits = search_trades(query)
        _ = [hit.trade_id for hit in hits[:24]]
        timings.append((time.perf_counter() - start) * 1000)
    result = {
        "backend": connection.vendor,
        "trades": Trade.objects.count(),
        "appellations": Appellation.objects.count(),
        "queries": len(timings),
        "import_and_index_seconds": round(import_seconds, 2),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "mean_ms": round(statistics.mean(timings), 2),
    }
    out = ROOT / "bench" / "results" / "search_trades.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[connection.vendor] = result
    out.write_text(json.dumps(existing, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
