"""Writes for the territories app: the geography loader and the BMO hiring-need importer."""

from .geography import DEFAULT_GEOGRAPHY_PATH, load_geography
from .hiring_needs import HiringNeedImportResult, LineError, import_hiring_needs

__all__ = [
    "DEFAULT_GEOGRAPHY_PATH",
    "HiringNeedImportResult",
    "LineError",
    "import_hiring_needs",
    "load_geography",
]
