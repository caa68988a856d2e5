"""The REST API, version 1: one router per domain, mounted at /api/v1/."""

from ninja import NinjaAPI

from .events import router as events_router
from .registrations import router as registrations_router

api = NinjaAPI(
    title="Vocations API",
    version="1",
    description="Données ouvertes et services de Vocations (événements labellisés, inscriptions…).",
    urls_namespace="api",
)

api.add_router("/events", events_router)

api.add_router("/", registrations_router)
