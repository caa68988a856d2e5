"""Every back-office view and API endpoint goes through the permission gate (accounts/gate.py).

The test walks the URLconf (``get_resolver()``): each view under /organisateur/ or /api/, and
each view of the backoffice and api apps wherever it is mounted, must carry the gate's mark
(``view.gate``, kept by ``require_POST``, ``never_cache``… which copy ``__dict__``); django-ninja
endpoints are read from the API's routers, operation by operation. The only exceptions are
listed below, once, each with its reason. A new view without the gate fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.urls import URLPattern, URLResolver, get_resolver

from vocations.api.api import api

# "module.name" of the view (the class for class-based views) -> why it needs no gate.
PUBLIC: dict[str, str] = {
    # Signing in and out, password reset: they exist for people who are not signed in yet.
    "vocations.backoffice.views.auth.SignInView": "the sign-in page",
    "vocations.backoffice.views.auth.SignOutView": "signing out (POST only)",
    "vocations.backoffice.views.auth.ResetRequestView": "password reset: asking for a link",
    "vocations.backoffice.views.auth.ResetSentView": "password reset: the link is sent",
    "vocations.backoffice.views.auth.ResetConfirmView": "password reset: the signed link",
    "vocations.backoffice.views.auth.ResetCompleteView": "password reset: done",
    # Two-factor: the half-signed-in state the gate cannot judge (login_required, and the
    # TwoFactorMiddleware keeps every gated page closed until the code is verified).
    "vocations.backoffice.two_factor.two_factor_setup": "two-factor enrolment (sign-in flow)",
    "vocations.backoffice.two_factor.two_factor_verify": "two-factor code (sign-in flow)",
    # The invitation link itself is the credential (a one-time token sent by e-mail).
    "vocations.backoffice.views.ambassador_member.join_by_invitation": "invitation token",
    # The API: open data and the public event feed, for anyone (Licence Ouverte).
    "vocations.api.events.list_events": "open data: labelled events",
    "vocations.api.events.get_event": "open data: one labelled event",
    "vocations.api.open_data.departments": "open data: figures per département",
    "vocations.api.open_data.departments_csv": "open data: figures per département (CSV)",
    "vocations.api.open_data.waves": "open data: figures per wave",
    "vocations.api.open_data.waves_csv": "open data: figures per wave (CSV)",
    # Registering is public, like the form on the site (rate-limited, published events only).
    "vocations.api.registrations.create_registration": "public registration",
    # The self-service token e-mailed to the registrant is the credential (rate-limited first).
    "vocations.api.registrations.read_registration": "self-service token",
    "vocations.api.registrations.change_registration": "self-service token",
    "vocations.api.registrations.cancel_registration": "self-service token",
    # django-ninja's own pages: the OpenAPI schema, its documentation, the API root.
    "ninja.openapi.views.openapi_json": "the API's schema",
    "ninja.openapi.views.openapi_view": "the API's documentation",
    "ninja.openapi.views.default_home": "the API's root",
}

GUARDED_PREFIXES = ("organisateur/", "api/")
GUARDED_MODULES = ("vocations.backoffice", "vocations.api")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _name(view) -> str:
    target = getattr(view, "view_class", None) or view
    if isinstance(target, partial):
        target = target.func
    return f"{target.__module__}.{target.__qualname__}"


def _is_ninja(view) -> bool:
    return _name(view).startswith("ninja.operation.PathView")


def _ninja_endpoints() -> Iterator:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield operation.view_func


def _token_scoped() -> set[str]:
    """Endpoints of the token API (vocations/api/organization.py): no signed-in user, so no
    gate; ninja refuses them (401) without a valid organization token, and they read only the
    token's organization. Only endpoints whose *every* accepted authentication is the token
    count: an endpoint that also accepts no authentication is not scoped."""
    from vocations.api.auth import token_auth

    scoped = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                # ninja applies a router's auth to its operations when it mounts them.
                callbacks = list(operation.auth_callbacks) or (
                    list(router.auth) if isinstance(router.auth, list | tuple) else [router.auth]
                )
                if callbacks and all(callback is token_auth for callback in callbacks):
                    scoped.add(_name(operation.view_func))
    return scoped


def _guarded_views() -> list[tuple[str, object]]:
    views = []
    for route, pattern in _patterns(get_resolver()):
        view = pattern.callback
        if _is_ninja(view):
            continue  # read from the routers, endpoint by endpoint
        if route.startswith(GUARDED_PREFIXES) or _name(view).startswith(GUARDED_MODULES):
            views.append((route, view))
    views += [(f"api: {_name(view)}", view) for view in _ninja_endpoints()]
    return views


def test_every_back_office_view_and_api_endpoint_is_gated_or_listed_public():
    views = _guarded_views()
    token_scoped = _token_scoped()
    ungated = sorted(
        f"{route} -> {_name(view)}"
        for route, view in views
        if not hasattr(view, "gate") and _name(view) not in set(PUBLIC) | token_scoped
    )
    assert not ungated, "Views without the permission gate (accounts/gate.py):\n" + "\n".join(
        ungated
    )


def test_the_walk_sees_the_back_office_and_every_api_endpoint():
    """A walk that found nothing would pass the test above: check it reaches what it must."""
    names = {_name(view) for _route, view in _guarded_views()}
    assert "vocations.backoffice.views.events.event_edit" in names
    assert "vocations.backoffice.views.checkin.checkin_scan" in names
    assert "vocations.api.registrations.cancel_registration" in names
    gated = [view for _route, view in _guarded_views() if hasattr(view, "gate")]
    assert len(gated) > 80


def test_the_token_api_is_recognised_and_nothing_public_is_token_scoped():
    token_scoped = _token_scoped()
    assert "vocations.api.organization.read_registration" in token_scoped
    assert "vocations.api.registrations.create_registration" not in token_scoped  # optional
    assert not token_scoped & set(PUBLIC)


def test_public_views_are_not_gated_and_all_exist():
    """The list holds no stale name and nothing the gate already covers."""
    views = {_name(view): view for _route, view in _guarded_views()}
    assert not set(PUBLIC) - set(views), "PUBLIC names views that no URL serves"
    assert not [name for name in PUBLIC if hasattr(views[name], "gate")]
