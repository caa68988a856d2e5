"""Writes for the territories app: geography, coordinates and labour-market loaders, BMO import."""

from .coordinates import DEFAULT_COORDINATES_PATH, load_commune_coordinates
from .geography import DEFAULT_GEOGRAPHY_PATH, load_geography
from .hiring_needs import HiringNeedImportResult, LineError, import_hiring_needs
from .labour_market import DEFAULT_LABOUR_MARKET_PATH, load_labour_market

__all__ = [
    "DEFAULT_COORDINATES_PATH",
    "DEFAULT_GEOGRAPHY_PATH",
    "DEFAULT_LABOUR_MARKET_PATH",
    "HiringNeedImportResult",
    "LineError",
    "import_hiring_needs",
    "load_commune_coordinates",
    "load_geography",
    "load_labour_market",
]
