"""Writes for the territories app: the geography and coordinates loaders, the BMO importer."""

from .coordinates import DEFAULT_COORDINATES_PATH, load_commune_coordinates
from .geography import DEFAULT_GEOGRAPHY_PATH, load_geography
from .hiring_needs import HiringNeedImportResult, LineError, import_hiring_needs

__all__ = [
    "DEFAULT_COORDINATES_PATH",
    "DEFAULT_GEOGRAPHY_PATH",
    "HiringNeedImportResult",
    "LineError",
    "import_hiring_needs",
    "load_commune_coordinates",
    "load_geography",
]
