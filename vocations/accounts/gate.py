"""The permission gate: one decorator in front of every back-office view and API endpoint.

In the pretix style, a view declares what it needs and receives it; it never looks an object
up nor checks a right itself::

    @gate("change", EVENT, REGISTRATION, denied=CANNOT_CHANGE)
    def registration_cancel_view(request, event, registration): ...

In order, for each request:

1. anyone not signed in (or inactive) is sent to sign in (``answers.sign_in``);
2. each ``Lookup`` takes its keys out of the URL keywords and resolves its object through a
   *scoped selector*: the first one from the user (``find(user, *keys)``: what this user may
   *see*), the next ones inside the previous object (``find(parent, *keys)``). Nothing found
   is a **404**: an organizer cannot even learn that another's event exists;
3. the action is checked against the rule table (``accounts.permissions.RULES``) for the
   most specific object that has a row for it, else the first one: in scope without the
   right is a **403** with a French message;
4. the view runs with the objects as positional arguments after ``request``; a
   ``PermissionDenied`` a service raises inside becomes the same French 403.

A view with no object (a list, a dashboard) declares only its action: ``@gate("staff")``. A
page that shows on GET and changes on POST names both: ``@gate("change", EVENT, read="view")``.
The wrapper carries ``gate`` (a ``GateInfo``): the test that walks the URLconf checks every
back-office and API view has one, or is listed as public with a reason.

How the answers look (HTML page, JSON, ninja response) is the interface's business: each one
builds its own decorator with ``make_gate(answers)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from vocations.accounts.permissions import DENIED_MESSAGES, RULES, allowed


class NotFound(Exception):
    """A finder's way to say "not found" with a message of its own (e.g. "not labelled")."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Refused(Exception):
    """A finder's way to answer 403 rather than 404 (e.g. "this space is for members")."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Lookup:
    """How one object is found from the URL.

    ``kind`` names the object in the rule table; ``keys`` are the URL keywords handed to
    ``find`` (none: found from the user alone, as a member's own profile); ``optional``: the
    URL may lack the first key (an "add" page), the view then gets None.
    """

    kind: str
    keys: tuple[str, ...]
    find: Callable[..., Any]
    not_found: str
    optional: bool = False
    # The action the finder's scope already grants (its selector finds only what the user may
    # "view"): the gate then spares the rule's query for that action.
    scoped_for: str | None = None

    def __post_init__(self):
        if isinstance(self.keys, str):
            object.__setattr__(self, "keys", (self.keys,))

    def maybe(self) -> Lookup:
        """The same lookup for a URL that may lack its key (an "add" page): None then."""
        return replace(self, optional=True)

    def saying(self, message: str) -> Lookup:
        """The same lookup with another French "not found" message."""
        return replace(self, not_found=message)


@dataclass(frozen=True)
class GateInfo:
    action: str
    lookups: tuple[Lookup, ...] = ()
    kinds: tuple[str | None, ...] = field(default=())
    read: str | None = None  # the action GET and HEAD need, when not ``action``


class Answers(Protocol):
    def sign_in(self, request) -> Any: ...
    def not_found(self, request, message: str) -> Any: ...
    def forbidden(self, request, message: str) -> Any: ...


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _rule_row(action: str, lookups: tuple[Lookup, ...]) -> tuple[str | None, ...]:
    """The kinds whose rule this gate checks; fails at import on a pair missing in RULES."""
    first = lookups[0].kind if lookups else None
    if (first, action) not in RULES:
        raise ImproperlyConfigured(
            f"No rule for ({first!r}, {action!r}) in accounts.permissions.RULES: add its row."
        )
    return (first, *(lookup.kind for lookup in lookups[1:] if (lookup.kind, action) in RULES))


def make_gate(answers: Answers):
    """The decorator factory of one interface, answering through ``answers``."""

    def gate(action: str, *lookups: Lookup, denied: str | None = None, read: str | None = None):
        kinds = _rule_row(action, lookups)
        rows = {action: kinds, **({read: _rule_row(read, lookups)} if read else {})}
        refusal = denied or DENIED_MESSAGES.get(action, DENIED_MESSAGES["view"])
        refusals = {action: refusal, read: DENIED_MESSAGES.get(read or "", refusal)}
        first_kind = lookups[0].kind if lookups else None
        first_scope = lookups[0].scoped_for if lookups else None

        def decorator(view):
            @wraps(view)
            def wrapper(request, *args, **kwargs):
                user = request.user
                wanted = read if read and request.method in ("GET", "HEAD") else action
                if not _is_signed_in(user):
                    return answers.sign_in(request)
                found: list[Any] = []
                by_kind: dict[str, Any] = {}
                for lookup in lookups:
                    values = [kwargs.pop(key, None) for key in lookup.keys]
                    if lookup.optional and values and values[0] is None:
                        found.append(None)
                        continue
                    source = found[-1] if found else user
                    try:
                        obj = lookup.find(source, *values)
                    except NotFound as error:
                        return answers.not_found(request, error.message)
                    except Refused as error:
                        return answers.forbidden(request, error.message)
                    if obj is None:
                        return answers.not_found(request, lookup.not_found)
                    found.append(obj)
                    by_kind[lookup.kind] = obj
                # The most specific object with a rule of its own, else the first one.
                row = rows[wanted]
                kind = next((k for k in reversed(row) if k in by_kind), row[0])
                granted = kind == first_kind and first_scope == wanted
                if not granted and not allowed(user, kind, wanted, by_kind.get(kind)):
                    return answers.forbidden(request, refusals[wanted])
                try:
                    return view(request, *found, *args, **kwargs)
                except PermissionDenied as error:
                    return answers.forbidden(request, str(error) or refusal)

            wrapper.gate = GateInfo(action=action, lookups=lookups, kinds=kinds, read=read)
            return wrapper

        return decorator

    return gate
