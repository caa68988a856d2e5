"""A URLconf with a view that crashes, to exercise the 500 handler end to end."""

from django.urls import path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom, name="boom")]
handler500 = "vocations.web.views.server_error"
