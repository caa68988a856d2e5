from django.urls import include, path

from . import views
from .events import views as event_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("evenements/", event_views.event_list, name="event_list"),
    path("evenements.ics", event_views.event_feed_ics, name="event_feed_ics"),
    path("evenements/<slug:slug>.ics", event_views.event_ics, name="event_ics"),
    path("evenements/<slug:slug>/", event_views.event_detail, name="event_detail"),
    # Trades explorer, trade and branch pages (vocations/web/careers/urls.py).
    path("", include("vocations.web.careers.urls")),
    # Audience journeys, the quiz, sitemap (vocations/web/audiences/urls.py).
    path("", include("vocations.web.audiences.urls")),
]
