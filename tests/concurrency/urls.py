"""URLconf for the registration tests and the race tests' server.

Until config wires the registrations router into vocations/api/api.py, the tests mount it
on an API of their own at the same place (/api/v1/), next to the whole site.
"""

from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as site_urlpatterns
from vocations.api.registrations import router

api = NinjaAPI(title="Vocations API (tests)", version="1", urls_namespace="registrations_api")
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls), *site_urlpatterns]
