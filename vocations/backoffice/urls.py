from django.urls import path

from . import two_factor
from .views import accreditations as accreditation_views
from .views import ambassador_member as member_views
from .views import ambassadors as collective_views
from .views import auth, campaign_imports, events, kit, review
from .views import campaigns as campaign_views
from .views import checkin as checkin_views
from .views import integrations as integration_views
from .views import notices as notice_views
from .views import outcome_report as outcome_report_views
from .views import planner as planner_views
from .views import programme as programme_views
from .views import registrations as registration_views
from .views import reports as report_views
from .views import territories as territory_views
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
    path("avis/", notice_views.notice_settings, name="notice_settings"),
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
    path(_c + "import/<slug:kind>/", campaign_imports.import_view, name="campaign_import"),
    path(
        _c + "import/<slug:kind>/<uuid:job>/",
        campaign_imports.import_job_view,
        name="campaign_import_job",
    ),
    path(_c + "liens/", campaign_views.link_list_view, name="campaign_links"),
    path(_c + "liens/<int:link_pk>/activer/", campaign_views.link_toggle, name="link_toggle"),
    path(
        _c + "liens/<int:link_pk>/qr-<slug:size>.<slug:fmt>",
        campaign_views.link_qr,
        name="link_qr",
    ),
    path(_c + "declinaisons/", campaign_views.branch_messages, name="campaign_messages"),
    # The next-wave planner (vocations/backoffice/views/planner.py).
    path(_c + "plans/", planner_views.plan_list, name="plan_list"),
    path(_c + "plans/nouveau/", planner_views.plan_new, name="plan_new"),
    path(_c + "plans/comparer/", planner_views.plan_compare, name="plan_compare"),
    path(_c + "plans/<int:plan_pk>/", planner_views.plan_detail, name="plan_detail"),
    path(_c + "plans/<int:plan_pk>/plan-media.csv", planner_views.plan_export, name="plan_export"),
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

# An event's outcome report: page, PDF, CSV, XLSX, press coverage and officials
# (vocations/backoffice/views/outcome_report.py).

urlpatterns += [
    path(_e + "bilan/rapport/", outcome_report_views.outcome_report_view, name="outcome_report"),
    path(
        _e + "bilan/rapport.pdf", outcome_report_views.outcome_report_pdf, name="outcome_report_pdf"
    ),
    path(
        _e + "bilan/rapport.csv", outcome_report_views.outcome_report_csv, name="outcome_report_csv"
    ),
    path(
        _e + "bilan/rapport.xlsx",
        outcome_report_views.outcome_report_xlsx,
        name="outcome_report_xlsx",
    ),
    path(
        _e + "bilan/presse/ajouter/",
        outcome_report_views.media_article_add,
        name="media_article_add",
    ),
    path(
        _e + "bilan/presse/<int:article_pk>/supprimer/",
        outcome_report_views.media_article_remove,
        name="media_article_remove",
    ),
    path(_e + "bilan/faits/", outcome_report_views.outcome_facts_edit, name="outcome_facts_edit"),
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
        programme_views.programme_item_create,
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

# The collective of ambassadors: coordinators (views/ambassadors.py) and members
# (views/ambassador_member.py).

_k = "collectif/<int:pk>/"
urlpatterns += [
    path("collectif/", collective_views.collective_index, name="collective_index"),
    path(_k + "membres/", collective_views.members, name="collective_members"),
    path(
        _k + "demandes/<int:invitation_pk>/<slug:action>/",
        collective_views.request_decide,
        name="collective_request_decide",
    ),
    path(_k + "themes/", collective_views.themes, name="collective_themes"),
    path(_k + "mobilisations/", collective_views.mobilisations, name="mobilisation_list"),
    path(
        _k + "mobilisations/nouvelle/",
        collective_views.mobilisation_create_view,
        name="mobilisation_create",
    ),
    path(
        _k + "mobilisations/<int:mobilisation_pk>/",
        collective_views.mobilisation_detail,
        name="mobilisation_detail",
    ),
    path(_k + "tableau-de-bord/", collective_views.dashboard, name="collective_dashboard"),
    path(_k + "territoires/", collective_views.territories, name="collective_territories"),
    path(_k + "ateliers/", collective_views.workshops, name="collective_workshops"),
    path(
        _k + "ateliers/<int:event_pk>/inviter/",
        collective_views.workshop_invite,
        name="workshop_invite",
    ),
    path("ambassadeur/", member_views.home, name="member_home"),
    path("ambassadeur/profil/", member_views.profile, name="member_profile"),
    path("ambassadeur/reseaux/", member_views.network_add, name="member_network_add"),
    path(
        "ambassadeur/reseaux/<int:network_pk>/supprimer/",
        member_views.network_delete,
        name="member_network_delete",
    ),
    path(
        "ambassadeur/mobilisations/<int:mobilisation_pk>/rejoindre/",
        member_views.join,
        name="member_join",
    ),
    path("ambassadeur/liens/<int:participation_pk>/qr.svg", member_views.link_qr, name="member_qr"),
    path("ambassadeur/publications/nouvelle/", member_views.post_create, name="member_post_create"),
    path(
        "ambassadeur/publications/<int:post_pk>/chiffres/",
        member_views.post_metrics,
        name="member_post_metrics",
    ),
    path(
        "ambassadeur/import-linkedin/",
        member_views.linkedin_import_view,
        name="member_linkedin_import",
    ),
    path("ambassadeur/tableau-de-bord/", member_views.member_dashboard, name="member_dashboard"),
    path("ambassadeur/quitter/", member_views.leave, name="member_leave"),
    path("rejoindre/<str:token>/", member_views.join_by_invitation, name="ambassador_join"),
]

# Territory view for the campaign team and branches (vocations/backoffice/views/territories.py).

urlpatterns += [
    path("territoires/", territory_views.territory_map, name="territory_map"),
    path(
        "territoires/sous-dotes/",
        territory_views.territory_underserved,
        name="territory_underserved",
    ),
    path(
        "territoires/<str:code>/",
        territory_views.territory_department,
        name="territory_department",
    ),
]

# An organization's API tokens and webhooks (owners).
_o = "organisations/<int:org>/api/"
urlpatterns += [
    path("api/", integration_views.integrations_index, name="integrations_index"),
    path(_o, integration_views.integrations, name="integrations"),
    path(_o + "jetons/", integration_views.token_create, name="token_create"),
    path(_o + "jetons/<int:pk>/revoquer/", integration_views.token_revoke, name="token_revoke"),
    path(_o + "webhooks/", integration_views.webhook_create_view, name="webhook_create"),
    path(_o + "webhooks/<int:pk>/", integration_views.webhook_detail, name="webhook_detail"),
    path(
        _o + "webhooks/<int:pk>/envois/<int:delivery>/renvoyer/",
        integration_views.delivery_redeliver_view,
        name="delivery_redeliver",
    ),
    path(
        _o + "webhooks/<int:pk>/<slug:action>/",
        integration_views.webhook_action,
        name="webhook_action",
    ),
]
