"""Uploads cannot smuggle HTML or script onto the site's origin (issue 15, point 1).

A real polyglot: a valid PNG followed by an HTML page after its IEND chunk, uploaded as
`evil.html` through the organizer's own forms. Before the fix it was stored as
`events/…/evil.html` with the script intact; nginx served it as text/html.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from vocations.events.models import Event, EventPartner

from .conftest import form_payload, png_bytes, text

pytestmark = pytest.mark.django_db

PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
SAFE_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")


def polyglot() -> bytes:
    data = png_bytes()
    assert data.endswith(b"IEND\xaeB`\x82")  # a complete PNG: the payload sits after its end
    return data + PAYLOAD


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_bytes(field) -> bytes:
    return Path(field.path).read_bytes()


def test_polyglot_event_image_is_re_encoded_under_a_safe_name(login, users, draft_event):
    # Pillow opens the polyglot happily: that is why "can Pillow open it" is no defence.
    Image.open(io.BytesIO(polyglot())).verify()
    upload = SimpleUploadedFile("evil.html", polyglot(), content_type="text/html")
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        form_payload(image=upload, image_alt="Une affiche"),
    )
    assert response.status_code == 302, text(response)
    draft_event.refresh_from_db()
    name = draft_event.image.name
    assert name.startswith("events/") and SAFE_NAME.match(name.rsplit("/", 1)[1]), name
    assert "evil" not in name and not name.endswith(".html")
    data = stored_bytes(draft_event.image)
    assert b"<script" not in data and b"<html" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (40, 30)


def test_polyglot_partner_logo_is_re_encoded_under_a_safe_name(login, users, draft_event):
    upload = SimpleUploadedFile("evil.html", polyglot(), content_type="text/html")
    response = login(users["owner"]).post(
        reverse("backoffice:partner_list", args=[draft_event.pk]),
        {"name": "Forges SA", "logo": upload, "level": "partner", "position": "0"},
    )
    assert response.status_code == 302, text(response)
    logo = EventPartner.objects.get(event=draft_event).partner.logo
    assert logo.name.startswith("partners/") and SAFE_NAME.match(logo.name.split("/")[1])
    assert b"<script" not in stored_bytes(logo)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("logo.svg", "image/svg+xml"), ("logo.png", "image/png")],  # also when disguised
)
def test_svg_logo_is_refused_in_french(login, users, draft_event, name, content_type):
    upload = SimpleUploadedFile(name, SVG, content_type=content_type)
    response = login(users["owner"]).post(
        reverse("backoffice:partner_list", args=[draft_event.pk]),
        {"name": "Forges SA", "logo": upload, "level": "partner", "position": "0"},
    )
    assert response.status_code == 400
    assert "Les images SVG ne sont pas acceptées" in text(response)
    assert not EventPartner.objects.exists()


def test_svg_event_image_is_refused_and_nothing_changes(login, users, draft_event):
    upload = SimpleUploadedFile("affiche.svg", SVG, content_type="image/svg+xml")
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        form_payload(title="Nouveau titre", image=upload, image_alt="Une affiche"),
    )
    assert response.status_code == 400
    assert "Les images SVG ne sont pas acceptées" in text(response)
    draft_event.refresh_from_db()
    assert not draft_event.image and draft_event.title != "Nouveau titre"


def test_decompression_bomb_is_refused_before_decoding(login, users, draft_event):
    # 50 megapixels of one colour compress to a few kilobytes.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000
    upload = SimpleUploadedFile("bombe.png", buffer.getvalue(), content_type="image/png")
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        form_payload(image=upload, image_alt="Une affiche"),
    )
    assert response.status_code == 400
    assert "L'image est trop grande (40 mégapixels au maximum)." in text(response)


def test_metadata_is_stripped(login, users, draft_event):
    exif = Image.Exif()
    exif[0x010E] = "Adresse du photographe, 12 rue Secrète"  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG", exif=exif)
    assert b"rue Secr" in buffer.getvalue()
    upload = SimpleUploadedFile("photo.jpeg", buffer.getvalue(), content_type="image/jpeg")
    response = login(users["owner"]).post(
        reverse("backoffice:event_edit", args=[draft_event.pk]),
        form_payload(image=upload, image_alt="Une photo"),
    )
    assert response.status_code == 302
    draft_event.refresh_from_db()
    assert draft_event.image.name.endswith(".jpg")
    data = stored_bytes(draft_event.image)
    assert b"rue Secr" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()


def test_a_raw_upload_assigned_outside_the_services_is_still_re_encoded(draft_event):
    # The admin (or a shell) assigns uploads directly: the model field re-encodes them.
    event = Event.objects.get(pk=draft_event.pk)
    event.image = SimpleUploadedFile("evil.html", polyglot(), content_type="text/html")
    event.save()
    assert SAFE_NAME.match(event.image.name.rsplit("/", 1)[1])
    assert b"<script" not in stored_bytes(event.image)


def test_nginx_serves_media_inert():
    conf = (Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf").read_text()
    block = re.search(r"location /media/ \{(.*?)\n    \}", conf, re.S).group(1)
    assert 'add_header X-Content-Type-Options "nosniff" always;' in block
    assert "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;" in block
    assert "add_header Content-Disposition $media_disposition always;" in block
    assert "default_type application/octet-stream;" in block
    assert re.search(r"map \$uri \$media_disposition \{[^}]*default\s+attachment;", conf)


def test_images_stored_before_the_fix_are_re_encoded_or_removed(
    draft_event, other_draft, capsys, django_capture_on_commit_callbacks
):
    """`manage.py reencode_media`: files uploaded before the fix keep their names on disk
    (`evil.html`); the command re-encodes the images and deletes what is not one."""
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from vocations.core.models import AuditEntry
    from vocations.events.models import Event

    old_image = default_storage.save("events/2025/evil.html", io.BytesIO(polyglot()))
    Event.objects.filter(pk=draft_event.pk).update(image=old_image)
    svg = default_storage.save("events/2025/logo.svg", io.BytesIO(SVG))
    Event.objects.filter(pk=other_draft.pk).update(image=svg)

    call_command("reencode_media", "--dry-run")
    assert "1 image(s) seraient ré-encodée(s)" in capsys.readouterr().out
    assert default_storage.exists(old_image) and default_storage.exists(svg)  # nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode_media")
    out = capsys.readouterr().out
    assert "1 image(s) ont été ré-encodée(s)" in out
    assert "1 fichier(s) dangereux ou illisible(s) ont été supprimé(s)" in out
    draft_event.refresh_from_db()
    assert SAFE_NAME.match(Path(draft_event.image.name).name)
    assert PAYLOAD not in stored_bytes(draft_event.image)
    assert not default_storage.exists(old_image)
    other_draft.refresh_from_db()
    assert not other_draft.image and not default_storage.exists(svg)
    assert "supprimé : events/2025/logo.svg" in out
    assert AuditEntry.objects.filter(action="media.reencoded").count() == 1
    assert AuditEntry.objects.filter(action="media.removed").count() == 1

    call_command("reencode_media")  # idempotent
    assert "0 image(s) ont été ré-encodée(s), 1 déjà sûre(s)" in capsys.readouterr().out
