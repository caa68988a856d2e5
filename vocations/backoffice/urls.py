from django.urls import path

from .views import auth, events, kit, review

app_name = "backoffice"

urlpatterns = [
    path("connexion/", auth.SignInView.as_view(), name="login"),
    path("deconnexion/", auth.SignOutView.as_view(), name="logout"),
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
