"""Two-factor gate and pages of the back office (vocations/accounts/two_factor.py).

``TwoFactorMiddleware`` (after django-otp's ``OTPMiddleware``): a signed-in user with an
authenticator app must verify the session with a code before any back-office or admin page;
staff without one, when it is required, must enrol first. Sign-in, sign-out, password reset
and the two pages themselves stay open.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from vocations.accounts import two_factor
from vocations.core.ratelimit import hit, too_many_page

from .idle import _has_session

GUARDED = ("/organisateur/", "/admin/")
OPEN_ROUTES = (
    "backoffice:login",
    "backoffice:logout",
    "backoffice:two_factor_verify",
    "backoffice:two_factor_setup",
)
WRONG_CODE = (
    "Code incorrect ou expiré : saisissez le code à six chiffres affiché maintenant, "
    "ou l'un de vos codes de secours."
)


def _open(path: str) -> bool:
    return path in {reverse(name) for name in OPEN_ROUTES} or path.startswith(
        reverse("backoffice:password_reset").rsplit("oublie/", 1)[0]
    )


# Whether the signed-in user has an authenticator app, read once at sign-in (no query per
# page); enrolling sets it. An app an administrator adds or removes counts from the next
# sign-in.
ENROLLED = "vocations_otp_enrolled"


def mark_enrolment(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED] = two_factor.has_device(user)


class TwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None) if _has_session(request) else None
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(GUARDED)
            and not _open(request.path)
        ):
            query = urlencode({"next": request.get_full_path()})
            if request.session.get(ENROLLED):
                if not user.is_verified():
                    return redirect(f"{reverse('backoffice:two_factor_verify')}?{query}")
            elif two_factor.required_for(user):
                return redirect(f"{reverse('backoffice:two_factor_setup')}?{query}")
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("backoffice:dashboard")


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_device(request.user):
        return redirect("backoffice:two_factor_setup")
    error = ""
    if request.method == "POST":
        wait = hit(request, "otp-user", str(request.user.pk))
        if wait is not None:
            return too_many_page(request, wait)
        device = two_factor.verify(request.user, request.POST.get("code"))
        if device is not None:
            otp_login(request, device)
            if two_factor.is_recovery(device):
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours : il vous en reste {left}. "
                    "Générez-en de nouveaux depuis la page Double authentification.",
                )
            return redirect(_next(request))
        error = WRONG_CODE
    return render(
        request,
        "backoffice/two_factor/verify.html",
        {"page_title": "Code de vérification", "error": error, "next": _next(request)},
        status=422 if error else 200,
    )


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_device(user):
        return _manage(request)
    device = two_factor.pending_device(user)
    error = ""
    if request.method == "POST":
        wait = hit(request, "otp-user", str(user.pk))
        if wait is not None:
            return too_many_page(request, wait)
        if two_factor.totp_enrol_confirm(
            user=user, device=device, token=request.POST.get("code", "")
        ):
            otp_login(request, device)
            request.session[ENROLLED] = True
            messages.success(request, "La double authentification est activée pour votre compte.")
            return _show_recovery_codes(request, two_factor.recovery_codes_create(user=user))
        error = WRONG_CODE
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code à scanner")
    return render(
        request,
        "backoffice/two_factor/setup.html",
        {
            "page_title": "Double authentification",
            "qr_svg": qr,
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(user),
            "error": error,
            "next": _next(request),
        },
        status=422 if error else 200,
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Shown once: django-otp keeps them, we never display them again."""
    return render(
        request,
        "backoffice/two_factor/recovery_codes.html",
        {
            "page_title": "Codes de secours",
            "codes": [f"{c[:4]}-{c[4:]}" for c in codes],
            "next": _next(request),
        },
    )


def _manage(request: HttpRequest) -> HttpResponse:
    """An enrolled user's page: new recovery codes, or remove/replace the app — each with a
    current code (or a recovery code), so a stolen open session alone cannot do it."""
    user = request.user
    error, action = "", request.POST.get("action", "")
    if request.method == "POST" and action in {"codes", "remove"}:
        wait = hit(request, "otp-user", str(user.pk))
        if wait is not None:
            return too_many_page(request, wait)
        if action == "remove":
            if two_factor.two_factor_remove(user=user, code=request.POST.get("code")):
                request.session[ENROLLED] = False
                messages.success(
                    request,
                    "Application d'authentification retirée."
                    + (
                        " Ajoutez-en une nouvelle pour continuer."
                        if two_factor.required_for(user)
                        else ""
                    ),
                )
                return redirect("backoffice:two_factor_setup")
        elif two_factor.verify(user, request.POST.get("code")) is not None:
            return _show_recovery_codes(request, two_factor.recovery_codes_create(user=user))
        error = WRONG_CODE
    return render(
        request,
        "backoffice/two_factor/setup.html",
        {
            "page_title": "Double authentification",
            "active": True,
            "codes_left": two_factor.recovery_codes_left(user),
            "error": error,
            "action": action,
        },
        status=422 if error else 200,
    )
