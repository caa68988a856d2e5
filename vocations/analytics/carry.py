"""Carrying the opaque visit key (``v``) through the site's own links and forms, without a cookie.

The tracked-link redirect lands on ``/page/?v=<key>``. Pages pass the key on:

- links: ``{% load analytics %}<a href="{% with_visit '/evenements/' %}">`` (or
  ``{{ url|with_visit:visit_key }}``), or :func:`with_visit_key` in Python;
- forms: ``{% visit_key_field %}`` inside the ``<form>`` renders
  ``<input type="hidden" name="visit_key" value="…">``; the view reads
  ``request.POST.get("visit_key")`` and calls ``attribute_registration`` after the registration.

The key is random per visit and says nothing about the person; it is validated on the way in.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest

from .privacy import valid_visit_key


def visit_key_of(request: HttpRequest) -> str:
    """The key carried by this request (query string, or a posted ``visit_key`` field), or ''."""
    key = valid_visit_key(request.GET.get("v"))
    if not key and request.method == "POST":
        key = valid_visit_key(request.POST.get("visit_key"))
    return key


def with_visit_key(url: str, key: str) -> str:
    """``url`` with ``v=key`` in its query string, for a path on this site; else ``url`` as is."""
    key = valid_visit_key(key)
    if not key or not url:
        return url
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return url  # never hand the key to another site
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "v"]
    query.append(("v", key))
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


def visit_key(request: HttpRequest) -> dict[str, str]:
    """Context processor: ``visit_key`` for templates."""
    return {"visit_key": visit_key_of(request)}
