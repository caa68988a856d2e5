"""Sign in and out of the back-office."""

from django.contrib.auth import views as auth_views

from vocations.backoffice.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion à l'espace organisateur"}


class SignOutView(auth_views.LogoutView):
    # Django's LogoutView only accepts POST: a link or a prefetch cannot sign anyone out.
    next_page = "backoffice:login"
