from django.urls import path

from . import two_factor
from .views import accreditations as accreditation_views
from .views import auth, events, kit, review
from .views import campaigns as campaign_views
from .views import checkin as checkin_views
from .views import programme as programme_views
from .views import registrations as registration_views
from .views import reports as report_views
from .views.branch import branch_page_edit

app_name = "backoffice"

urlpatterns = [
    path("connexion/", auth.SignInView.as_view(), name="login"),
    path("deconnexion/", auth.SignOutView.as_view(), name="logout"),
    path("double-authentification/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("double-authentification/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("mot-de-passe/oublie/", auth.ResetRequestView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", auth.ResetSentView.as_view(), name="password_reset_sent"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/change/", auth.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("", events.dashboard, name="dashboard"),
    path("evenements/nouveau/", events.event_create_view, name="event_create"),
    path("evenements/<int:pk>/", events.event_detail, name="event_detail"),
    path("evenements/<int:pk>/modifier/", events.event_edit, name="event_edit"),
    path("evenements/<int:pk>/dupliquer/", events.event_duplicate_view, name="event_duplicate"),
    path("evenements/<int:pk>/publier/", events.event_publish_view, name="event_publish"),
    path("evenements/<int:pk>/depublier/", events.event_unpublish_view, name="event_unpublish"),
    path("evenements/<int:pk>/soumettre/", events.event_submit_view, name="event_submit"),
    path("evenements/<int:pk>/kit/", kit.kit_page, name="kit"),
    path("evenements/<int:pk>/kit/qr.svg", kit.kit_qr_svg, name="kit_qr_svg"),
    path("evenements/<int:pk>/kit/qr.png", kit.kit_qr_png, name="kit_qr_png"),
    path("evenements/<int:pk>/kit/bandeau.svg", kit.kit_banner_svg, name="kit_banner_svg"),
    path("communes/", events.communes_lookup, name="communes_lookup"),
    path("revue/", review.queue, name="review_queue"),
    path("revue/<int:pk>/", review.review_detail, name="review_detail"),
    path("revue/<int:pk>/<slug:action>/", review.review_decide, name="review_decide"),
]

# Campaign team: campaigns, waves, media plan, imports, tracked links and QR codes.
_c = "campagnes/<int:pk>/"
urlpatterns += [
    path("campagnes/", campaign_views.campaign_list, name="campaign_list"),
    path("campagnes/nouvelle/", campaign_views.campaign_create_view, name="campaign_create"),
    path(_c, campaign_views.campaign_detail, name="campaign_detail"),
    path(_c + "modifier/", campaign_views.campaign_edit, name="campaign_edit"),
    path(_c + "vagues/nouvelle/", campaign_views.wave_edit, name="wave_create"),
    path(_c + "vagues/<int:number>/", campaign_views.wave_edit, name="wave_edit"),
    path(
        _c + "vagues/<int:number>/qr-<slug:size>.zip",
        campaign_views.wave_qr_zip,
        name="wave_qr_zip",
    ),
    path(_c + "emplacements/nouveau/", campaign_views.placement_edit, name="placement_create"),
    path(
        _c + "emplacements/<int:placement_pk>/",
        campaign_views.placement_edit,
        name="placement_edit",
    ),
    path(
        _c + "emplacements/<int:placement_pk>/supprimer/",
        campaign_views.placement_delete_view,
        name="placement_delete",
    ),
    path(
        _c + "emplacements/<int:placement_pk>/liens/",
        campaign_views.placement_links_create,
        name="placement_links_create",
    ),
    path(_c + "import/<slug:kind>/", campaign_views.import_view, name="campaign_import"),
    path(_c + "liens/", campaign_views.link_list_view, name="campaign_links"),
    path(_c + "liens/<int:link_pk>/activer/", campaign_views.link_toggle, name="link_toggle"),
    path(
        _c + "liens/<int:link_pk>/qr-<slug:size>.<slug:fmt>",
        campaign_views.link_qr,
        name="link_qr",
    ),
    path(_c + "declinaisons/", campaign_views.branch_messages, name="campaign_messages"),
    path(
        _c + "declinaisons/nouvelle/",
        campaign_views.branch_message_edit,
        name="branch_message_create",
    ),
    path(
        _c + "declinaisons/<int:message_pk>/",
        campaign_views.branch_message_edit,
        name="branch_message_edit",
    ),
]

# Branch editors: their branch's public page (vocations/backoffice/views/branch.py).
urlpatterns.append(path("branches/<slug:slug>/page/", branch_page_edit, name="branch_page_edit"))

# Campaign reports (vocations/backoffice/views/reports.py, figures from vocations/analytics).
urlpatterns += [
    path("resultats/", report_views.report_index, name="report_index"),
    path("resultats/<int:pk>/", report_views.campaign_report_view, name="campaign_report"),
    path(
        "resultats/<int:pk>/export.csv",
        report_views.campaign_report_csv,
        name="campaign_report_csv",
    ),
    path(
        "resultats/<int:pk>/jour-par-jour/",
        report_views.campaign_series_view,
        name="campaign_series",
    ),
]

# An event's registrations, check-in at the door, press accreditations and outcome figures
# (vocations/backoffice/views/registrations.py, checkin.py, accreditations.py).
_e = "evenements/<int:pk>/"
urlpatterns += [
    path(_e + "inscriptions/", registration_views.registration_list_view, name="registration_list"),
    path(
        _e + "inscriptions/export.csv",
        registration_views.registration_csv,
        name="registration_csv",
    ),
    path(
        _e + "inscriptions/<int:registration_pk>/annuler/",
        registration_views.registration_cancel_view,
        name="registration_cancel",
    ),
    path(_e + "bilan/", registration_views.outcomes_view, name="outcomes"),
    path(_e + "bilan/export.csv", registration_views.outcomes_csv, name="outcomes_csv"),
    path(_e + "accueil/", checkin_views.checkin_page, name="checkin"),
    path(_e + "accueil/scan/", checkin_views.checkin_scan, name="checkin_scan"),
    path(
        _e + "accueil/<int:registration_pk>/presence/",
        checkin_views.checkin_attendance,
        name="checkin_attendance",
    ),
    path(_e + "presse/", accreditation_views.accreditation_list, name="accreditation_list"),
    path(
        _e + "presse/accreditations.csv",
        accreditation_views.accreditation_csv,
        name="accreditation_csv",
    ),
    path(
        _e + "presse/<int:accreditation_pk>/<slug:action>/",
        accreditation_views.accreditation_decide,
        name="accreditation_decide",
    ),
]

# One placement of a campaign report, link by link (the cities of a billboard placement).
urlpatterns += [
    path(
        "resultats/<int:pk>/emplacements/<int:placement_pk>/",
        report_views.placement_links_view,
        name="placement_links",
    ),
    path(
        "resultats/<int:pk>/emplacements/<int:placement_pk>/export.csv",
        report_views.placement_links_csv,
        name="placement_links_csv",
    ),
]

# An event's partners and flagship programme (vocations/backoffice/views/programme.py).
_p = "evenements/<int:pk>/"
urlpatterns += [
    path(_p + "partenaires/", programme_views.partner_list, name="partner_list"),
    path(_p + "partenaires/<int:item>/", programme_views.partner_edit, name="partner_edit"),
    path(
        _p + "partenaires/<int:item>/supprimer/",
        programme_views.partner_delete,
        name="partner_delete",
    ),
    path(_p + "programme/", programme_views.programme_page, name="programme"),
    path(
        _p + "programme/seances/<int:item>/invitations/",
        programme_views.session_invitations,
        name="session_invitations",
    ),
    path(
        _p + "programme/<slug:kind>/nouveau/",
        programme_views.programme_item_edit,
        name="programme_item_create",
    ),
    path(
        _p + "programme/<slug:kind>/<int:item>/",
        programme_views.programme_item_edit,
        name="programme_item_edit",
    ),
    path(
        _p + "programme/<slug:kind>/<int:item>/supprimer/",
        programme_views.programme_item_delete,
        name="programme_item_delete",
    ),
]
