from django.urls import re_path

from . import views

app_name = "analytics"

# Any code reaches the view, which answers malformed ones with the French "lien inactif" page.
urlpatterns = [
    re_path(r"^(?P<code>.*)$", views.tracked_link, name="tracked_link"),
]
