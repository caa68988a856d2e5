from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Vocations — administration"
admin.site.site_title = "Vocations"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("vocations.web.urls")),
]
