from django.urls import include, path

from vocations.events.offer_links import OFFER_PATH
from vocations.events.tickets import SELF_SERVICE_PATH

from . import views
from .ambassadors import views as ambassador_views
from .events import views as event_views
from .registration import offers as offer_views
from .registration import views as registration_views

# "inscription/<str:token>/": the path the e-mails link to (vocations.events.tickets).
_SELF_SERVICE = SELF_SERVICE_PATH.lstrip("/").replace("{token}", "<str:token>")

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("ambassadeurs/", ambassador_views.ambassadors_page, name="ambassadors"),
    path("ambassadeurs/rejoindre/", ambassador_views.join_request, name="ambassadors_join"),
    path(
        "ambassadeurs/rejoindre/merci/",
        ambassador_views.join_request_done,
        name="ambassadors_join_done",
    ),
    path("evenements/", event_views.event_list, name="event_list"),
    path("evenements.ics", event_views.event_feed_ics, name="event_feed_ics"),
    path("evenements/<slug:slug>.ics", event_views.event_ics, name="event_ics"),
    path("evenements/<slug:slug>/", event_views.event_detail, name="event_detail"),
    # Trades explorer, trade and branch pages (vocations/web/careers/urls.py).
    path("", include("vocations.web.careers.urls")),
    # Audience journeys, the quiz, sitemap (vocations/web/audiences/urls.py).
    path("", include("vocations.web.audiences.urls")),
    # Registration journey (vocations/web/registration/, docs/registration.md).
    path(
        "evenements/<slug:slug>/inscription/",
        registration_views.registration_form,
        name="registration_form",
    ),
    path("evenements/<slug:slug>/presse/", registration_views.press_request, name="press_request"),
    path(_SELF_SERVICE, registration_views.self_service, name="self_service"),
    # The link of a waiting-list offer's e-mail (vocations.events.offer_links).
    path(
        OFFER_PATH.lstrip("/").replace("{token}", "<str:token>"),
        offer_views.waitlist_offer,
        name="waitlist_offer",
    ),
    path(
        _SELF_SERVICE + "confirmation/",
        registration_views.registration_done,
        name="registration_done",
    ),
    path(
        _SELF_SERVICE + "mes-donnees.json",
        registration_views.self_service_data,
        name="self_service_data",
    ),
    path(
        _SELF_SERVICE + "billet.png",
        registration_views.self_service_ticket_png,
        name="self_service_ticket_png",
    ),
    path(
        _SELF_SERVICE + "billet.pdf",
        registration_views.self_service_ticket_pdf,
        name="self_service_ticket_pdf",
    ),
    path(
        _SELF_SERVICE + "agenda.ics",
        registration_views.self_service_ics,
        name="self_service_ics",
    ),
    path(
        _SELF_SERVICE + "billet.svg",
        registration_views.self_service_ticket_svg,
        name="self_service_ticket_svg",
    ),
]
