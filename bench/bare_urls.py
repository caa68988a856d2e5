"""The site's URLs plus ``/banc/nu/``: a view that does nothing, through every middleware."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    # text/plain: the visit middleware counts HTML pages only, so this stores nothing.
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("banc/nu/", bare), path("", include("config.urls"))]
