"""Carrying the visit key through links and forms, without a cookie."""

from __future__ import annotations

from django.template import Context, Template

from vocations.analytics.carry import visit_key, with_visit_key

from .support import request

KEY = "AbCdEfGhIjKlMnOpQrStUv"


def test_with_visit_key_on_local_paths_only():
    assert with_visit_key("/evenements/", KEY) == f"/evenements/?v={KEY}"
    assert with_visit_key("/evenements/?region=84&v=old#carte", KEY) == (
        f"/evenements/?region=84&v={KEY}#carte"
    )
    for url in ("https://ailleurs.example/", "//ailleurs.example/", "mailto:a@b.fr", ""):
        assert with_visit_key(url, KEY) == url
    assert with_visit_key("/evenements/", "pas-une-clé") == "/evenements/"


def test_context_processor_validates_the_key():
    assert visit_key(request(f"/?v={KEY}")) == {"visit_key": KEY}
    assert visit_key(request("/?v=<script>")) == {"visit_key": ""}


def test_template_tags():
    template = Template(
        "{% load analytics %}<a href=\"{% with_visit '/evenements/' %}\">x</a>"
        "{{ '/metiers/'|with_visit:visit_key }}<form>{% visit_key_field %}</form>"
    )
    html = template.render(Context({"request": request(f"/?v={KEY}"), "visit_key": KEY}))
    assert f'href="/evenements/?v={KEY}"' in html
    assert f"/metiers/?v={KEY}" in html
    assert f'<input type="hidden" name="visit_key" value="{KEY}">' in html
    bare = Template("{% load analytics %}{% visit_key_field %}").render(
        Context({"request": request("/")})
    )
    assert bare == ""
