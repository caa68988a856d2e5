#!/usr/bin/env python3
"""Build vocations/territories/data/geography.json.gz from @etalab/decoupage-administratif.

Source: the npm package ``@etalab/decoupage-administratif`` version 6.0.0 (code MIT, data
Licence Ouverte / Etalab 2.0; upstream: INSEE Code officiel géographique, INSEE populations
légales, La Poste base officielle des codes postaux). Only its JSON data files are read, so no
Node.js is needed, just the unpacked tarball::

    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz      # unpacks into ./package
    python scripts/build_geography.py package               # writes the committed file

Usage: ``python scripts/build_geography.py PACKAGE_DIR [--output PATH]``.

What is kept (everything else is dropped to keep the committed file small):

- all régions: ``[code, name]``
- all départements: ``[code, name, region_code]``
- current communes only (``type == "commune-actuelle"``; not the communes déléguées,
  associées or arrondissements municipaux): ``[insee_code, name, department_code,
  region_code, [postal_codes…], population or null]``

The output is gzip with a zeroed timestamp and sorted content, so rebuilding from the same
package gives a byte-identical file (and the same checksum, which the loader uses to skip
an unchanged file).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

PACKAGE_NAME = "@etalab/decoupage-administratif"
EXPECTED_VERSION = "6.0.0"
FORMAT_VERSION = 1
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "vocations"
    / "territories"
    / "data"
    / "geography.json.gz"
)


def _read_json(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def build(package_dir: Path) -> dict:
    meta = _read_json(package_dir / "package.json")
    if meta.get("name") != PACKAGE_NAME:
        raise SystemExit(f"{package_dir} is not {PACKAGE_NAME} (found {meta.get('name')!r})")
    if meta.get("version") != EXPECTED_VERSION:
        print(
            f"warning: version {meta.get('version')} instead of {EXPECTED_VERSION}; "
            "update the tests' expected counts and data/README.md",
            file=sys.stderr,
        )
    data = package_dir / "data"
    regions = sorted([r["code"], r["nom"]] for r in _read_json(data / "regions.json"))
    departments = sorted(
        [d["code"], d["nom"], d["region"]] for d in _read_json(data / "departements.json")
    )
    communes = sorted(
        [
            c["code"],
            c["nom"],
            c["departement"],
            c["region"],
            sorted(set(c.get("codesPostaux") or [])),
            c.get("population"),
        ]
        for c in _read_json(data / "communes.json")
        if c.get("type") == "commune-actuelle"
    )
    return {
        "format": FORMAT_VERSION,
        "source": {"package": PACKAGE_NAME, "version": meta.get("version")},
        "regions": regions,
        "departments": departments,
        "communes": communes,
    }


def write(payload: dict, output: Path) -> None:
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header: same input, same bytes.
    with (
        output.open("wb") as handle,
        gzip.GzipFile(filename="", mode="wb", fileobj=handle, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir", type=Path, help="unpacked npm package directory")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    payload = build(args.package_dir)
    write(payload, args.output)
    print(
        f"{args.output}: {len(payload['regions'])} régions, "
        f"{len(payload['departments'])} départements, {len(payload['communes'])} communes, "
        f"{args.output.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
