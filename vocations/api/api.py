"""The REST API, version 1: one router per domain, mounted at /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Vocations API",
    version="1",
    description="Données ouvertes et services de Vocations (événements labellisés, inscriptions…).",
    urls_namespace="api",
)
