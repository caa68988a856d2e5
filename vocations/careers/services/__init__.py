"""Writes for the careers app: the shipped reference files (``loader``) and France Travail's
ROME CSV files (``rome``). Tests that point the loader at a copy of the data patch
``loader.DATA_DIR`` (both modules read it at call time)."""

from .loader import (
    BRANCHES_FILE,
    DATA_DIR,
    DATA_FILES,
    DATASET_NAME,
    DETAILS_FILE,
    KEYWORDS_FILE,
    ROME_FILE,
    SECTORS_FILE,
    CareersData,
    load_careers,
    trade_slug,
    validate_careers_files,
)
from .rome import (
    KIND_APPELLATIONS,
    KIND_CODES,
    KIND_LABELS,
    ImportReport,
    import_rome_referential,
    rome_file_kind,
)

__all__ = [
    "BRANCHES_FILE",
    "DATASET_NAME",
    "DATA_DIR",
    "DATA_FILES",
    "DETAILS_FILE",
    "KEYWORDS_FILE",
    "KIND_APPELLATIONS",
    "KIND_CODES",
    "KIND_LABELS",
    "ROME_FILE",
    "SECTORS_FILE",
    "CareersData",
    "ImportReport",
    "import_rome_referential",
    "load_careers",
    "rome_file_kind",
    "trade_slug",
    "validate_careers_files",
]
