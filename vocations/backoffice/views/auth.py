"""Sign in and out of the back-office; reset a forgotten password by e-mail.

Sign-in is guarded twice (docs/security.md): a rate limit per client address
(``RATE_LIMITS["login-ip"]``) and a lockout per account with an increasing delay
(vocations/accounts/lockout.py).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from vocations.accounts import lockout
from vocations.backoffice.forms import NewPasswordForm, ResetRequestForm, SignInForm
from vocations.core.ratelimit import Limit, check, hit, too_many_page


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


# --- password reset by e-mail (Django's views, French templates) ------------------------------


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "backoffice/password/request.html"
    email_template_name = "backoffice/password/mail.txt"
    subject_template_name = "backoffice/password/mail_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("backoffice:password_reset_sent")
    extra_context = {"page_title": "Mot de passe oublié"}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = (request.POST.get("email") or "").strip().lower()[:254]
        wait = check(request, [Limit("password-reset-ip")])
        if wait is None:
            wait = hit(request, "password-reset-email", email)
        if wait is not None:
            return too_many_page(request, wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # The link is built on SITE_URL, never on the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "backoffice/password/sent.html"
    extra_context = {"page_title": "E-mail envoyé"}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "backoffice/password/confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("backoffice:password_reset_complete")
    extra_context = {"page_title": "Nouveau mot de passe"}

    def form_valid(self, form):
        # A new password ends any lockout of the account (vocations/accounts/lockout.py).
        lockout.clear(form.user.email)
        return super().form_valid(form)


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "backoffice/password/complete.html"
    extra_context = {"page_title": "Mot de passe changé"}
