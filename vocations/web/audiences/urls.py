"""Audience journeys, the interest quiz, the sitemap and the CSRF token endpoint.

Included from vocations/web/urls.py inside the "web" namespace.
"""

from django.urls import path

from ..cache import csrf_token_json
from . import sitemap, views

urlpatterns = [
    path("pour-qui/", views.audience_list, name="audience_list"),
    path("pour-qui/<slug:slug>/", views.audience_detail, name="audience_detail"),
    path("quel-metier-est-fait-pour-toi/", views.quiz, name="quiz"),
    path("sitemap.xml", sitemap.sitemap, name="sitemap"),
    path("jeton-csrf.json", csrf_token_json, name="csrf_token"),
]
