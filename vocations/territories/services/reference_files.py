"""Reading a reference file (geography, coordinates, labour market): a gzipped JSON document,
every failure a French ReferenceDataError that names the file."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from vocations.core.exceptions import ReferenceDataError


def read_gzipped_json(path: Path, *, what: str) -> Any:
    """The decoded document of ``path``; ``what`` names it in the errors ("de géographie")."""
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise ReferenceDataError(
            f"Fichier {what} illisible ({path.name}) : archive gzip corrompue ou tronquée ({exc})."
        ) from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReferenceDataError(
            f"Fichier {what} illisible ({path.name}) : JSON invalide ({exc})."
        ) from exc
