"""The REST API, version 1: one router per domain, mounted at /api/v1/."""

from ninja import NinjaAPI

from .events import router as events_router
from .open_data import router as open_data_router
from .registrations import router as registrations_router

api = NinjaAPI(
    title="Vocations API",
    version="1",
    description="Données ouvertes et services de Vocations (événements labellisés, inscriptions…). "
    "Le flux des événements et les chiffres agrégés (/api/v1/donnees/) sont publiés sous la "
    "Licence Ouverte / Open Licence version 2.0 (Etalab) : réutilisation libre, y compris "
    "commerciale, en mentionnant la source « Vocations ».",
    urls_namespace="api",
    openapi_extra={
        "info": {
            "license": {
                "name": "Licence Ouverte / Open Licence version 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        }
    },
)

api.add_router("/events", events_router)
api.add_router("/donnees", open_data_router)

api.add_router("/", registrations_router)
