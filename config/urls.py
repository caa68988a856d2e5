from django.contrib import admin
from django.urls import include, path

from vocations.api.api import api
from vocations.core.health import health
from vocations.web import views as web_views

admin.site.site_header = "Vocations — administration"
admin.site.site_title = "Vocations"

urlpatterns = [
    # Health check for load balancers and `make prod` (vocations/core/health.py).
    path("sante/", health, name="health"),
    path("robots.txt", web_views.robots_txt, name="robots_txt"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("organisateur/", include("vocations.backoffice.urls")),
    # Tracked short links (QR codes, posts): /l/<code>.
    path("l/", include("vocations.analytics.urls")),
    path("", include("vocations.web.urls")),
]

# French error pages; the 500 one renders without context processors or database.
handler403 = "vocations.web.views.permission_denied"
handler404 = "vocations.web.views.page_not_found"
handler500 = "vocations.web.views.server_error"
