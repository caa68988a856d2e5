from django.urls import path

from . import views

# Included from vocations/web/urls.py inside the "web" namespace.
urlpatterns = [
    path("metiers/", views.trade_list, name="trade_list"),
    path("metiers/<slug:slug>/", views.trade_detail, name="trade_detail"),
    path("branches/", views.branch_list, name="branch_list"),
    path("branches/<slug:slug>/", views.branch_detail, name="branch_detail"),
]
