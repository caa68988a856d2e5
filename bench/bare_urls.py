"""The site's URLs plus the floors of the framework, served by the bench's second gunicorn:

- ``/banc/nu/``: a view that does nothing, through every middleware;
- ``/banc/inscription/<event id>/``: the registration rush's reference (bench/registration.py):
  the same POST as the form, through every middleware and the CSRF check, then one INSERT of a
  registration row in a transaction and a redirect — no lock, no rule, no mail.
"""

from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.events.models import Registration
from vocations.events.tickets import new_short_code


def bare(request):
    # text/plain: the visit middleware counts HTML pages only, so this stores nothing.
    return HttpResponse(b"ok\n", content_type="text/plain")


@require_POST
def bare_registration(request, event_id: int):
    with transaction.atomic():
        registration = Registration.objects.create(
            event_id=event_id,
            scope=0,
            kind=Registration.Kind.INDIVIDUAL,
            status=Registration.Status.CONFIRMED,
            seats=1,
            email=request.POST.get("email", "")[:254],
            first_name=request.POST.get("first_name", "")[:100],
            last_name=request.POST.get("last_name", "")[:100],
            audience=request.POST.get("audience", ""),
            consent_at=timezone.now(),
            short_code=new_short_code(),
        )
    return HttpResponseRedirect(f"/banc/inscription/{event_id}/?n={registration.pk}")


urlpatterns = [
    path("banc/nu/", bare),
    path("banc/inscription/<int:event_id>/", bare_registration),
    path("", include("config.urls")),
]
