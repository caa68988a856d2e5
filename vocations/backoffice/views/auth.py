"""Sign in and out of the back-office.

Sign-in is guarded twice (docs/security.md): a rate limit per client address
(``RATE_LIMITS["login-ip"]``) and a lockout per account with an increasing delay
(vocations/accounts/lockout.py).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from vocations.accounts import lockout
from vocations.backoffice.forms import SignInForm
from vocations.core.ratelimit import Limit, check, too_many_page


def _posted_email(request: HttpRequest) -> str:
    return (request.POST.get("username") or "").strip().lower()[:254]


class SignInView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion à l'espace organisateur"}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = check(request, [Limit("login-ip")])
        if wait is not None:
            return too_many_page(request, wait)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["locked_seconds"] = lockout.seconds_locked(_posted_email(self.request))
        return kwargs

    def form_valid(self, form):
        lockout.clear(_posted_email(self.request))
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_seconds:
            response.status_code = 429
            response["Retry-After"] = str(form.locked_seconds)
        else:
            lockout.record_failure(_posted_email(self.request))
        return response


class SignOutView(auth_views.LogoutView):
    # Django's LogoutView only accepts POST: a link or a prefetch cannot sign anyone out.
    next_page = "backoffice:login"
