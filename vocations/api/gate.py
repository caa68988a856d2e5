"""The permission gate for django-ninja endpoints (accounts/gate.py), answering in the API's
JSON shape (``{"detail": …, "errors": {}}``: 401 signed out, 404 out of scope, 403 without the
right)::

    @router.get("/organizer/events/{event_id}/registrations")
    @api_gate("view", Lookup("event", "event_id", event_for_user, "Événement introuvable."))
    def organizer_registrations(request, event): ...

Every endpoint of the API is public today (open data, public registration, the e-mailed
self-service token: see ``PUBLIC`` in tests/architecture/test_every_view_is_gated.py); the
first endpoint for a signed-in organization goes through this one. django-ninja reads an
endpoint's parameters from its signature: the wrapper shows the URL keys the lookups read in
place of the objects it injects.
"""

from __future__ import annotations

import inspect
import typing

from django.http import JsonResponse

from vocations.accounts.gate import Lookup, make_gate

__all__ = ["Lookup", "api_gate"]

SIGNED_OUT = "Authentification requise : connectez-vous."


class Answers:
    def sign_in(self, request):
        return JsonResponse({"detail": SIGNED_OUT, "errors": {}}, status=401)

    def not_found(self, request, message):
        return JsonResponse({"detail": message, "errors": {}}, status=404)

    def forbidden(self, request, message):
        return JsonResponse({"detail": message, "errors": {}}, status=403)


_gate = make_gate(Answers())


def _key_type(key: str) -> type:
    return int if key == "pk" or key.endswith(("_pk", "_id")) else str


def _signature(view, lookups: tuple[Lookup, ...]) -> inspect.Signature:
    """The endpoint's signature with the injected objects replaced by the URL keys, annotations
    resolved here (ninja would resolve strings in the wrapper's module, not the view's)."""
    hints = typing.get_type_hints(view)
    params = list(inspect.signature(view).parameters.values())
    request, injected, rest = params[0], params[1 : 1 + len(lookups)], params[1 + len(lookups) :]
    if len(injected) != len(lookups):
        raise TypeError(f"{view.__qualname__} must take one argument per lookup after request.")
    keys = [
        inspect.Parameter(key, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=_key_type(key))
        for lookup in lookups
        for key in lookup.keys
    ]
    resolved = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in rest]
    return inspect.Signature([request, *keys, *resolved])


def api_gate(action: str, *lookups: Lookup, denied: str | None = None):
    def decorator(view):
        wrapper = _gate(action, *lookups, denied=denied)(view)
        wrapper.__signature__ = _signature(view, lookups)
        del wrapper.__wrapped__  # ninja must read the signature above, not the view's
        return wrapper

    return decorator
