"""The communication kit: only for labelled events; QR codes that scan and print."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from PIL import Image

from vocations.backoffice import kit
from vocations.events.models import Label

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled_event(org, make_event):
    return make_event(org, title="Usine ouverte", venue_name="Atelier central", state="labelled")


@pytest.mark.parametrize("state", ["draft", "submitted", "changes_requested", "refused"])
def test_kit_is_not_available_before_the_label(login, users, org, make_event, state):
    event = make_event(org, state=state)
    client = login(users["owner"])
    for name in ("kit", "kit_qr_svg", "kit_qr_png", "kit_banner_svg"):
        response = client.get(reverse(f"backoffice:{name}", args=[event.pk]))
        assert response.status_code == 404, name
        assert "n'est disponible que pour un événement labellisé" in text(response)


def test_kit_page(login, users, labelled_event, settings):
    settings.SITE_URL = "https://vocations.example.fr"
    response = login(users["viewer"]).get(reverse("backoffice:kit", args=[labelled_event.pk]))
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    assert "Avec l'industrie" in page and "Événement labellisé" in page
    url = f"https://vocations.example.fr{kit.public_event_path(labelled_event)}"
    assert url in page
    assert "<svg" in page
    # Three suggested texts filled with the title, the date and the place.
    assert page.count('<textarea id="texte-') == 3
    assert (
        "Usine ouverte : le samedi 20 mars 2027, de 09h00 à 17h00 à Atelier central, Lyon." in page
    )
    assert "Usine ouverte — le samedi 20 mars 2027" in page


def test_qr_code_points_to_the_public_event_page(labelled_event):
    # web:event_detail when it exists, the same agreed path otherwise.
    assert kit.public_event_path(labelled_event) == f"/evenements/{labelled_event.slug}/"


def test_qr_svg_download(login, users, labelled_event):
    response = login(users["owner"]).get(reverse("backoffice:kit_qr_svg", args=[labelled_event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        f'attachment; filename="qr-{labelled_event.slug}.svg"'
    )
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) >= 250


def test_qr_png_download_is_print_ready(login, users, labelled_event):
    response = login(users["owner"]).get(reverse("backoffice:kit_qr_png", args=[labelled_event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert width == height >= 1000
        pixels = image.convert("L")
        # Quiet zone: the border (4 modules) is white all around.
        scale = kit.png_scale(kit.event_qr(labelled_event))
        band = 4 * scale - 1
        for x, y in ((band, band), (width - 1 - band, band), (band, height - 1 - band)):
            assert pixels.getpixel((x, y)) == 255
        assert pixels.getpixel((4 * scale, 4 * scale)) == 0  # the finder pattern starts


def test_banner_download_is_valid_svg_even_with_markup_in_the_title(login, users, org, make_event):
    event = make_event(org, title="Forges & fonderies <portes ouvertes>", state="labelled")
    response = login(users["owner"]).get(reverse("backoffice:kit_banner_svg", args=[event.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    svg = ET.tostring(root, encoding="unicode")
    assert "Avec l'industrie" in svg
    assert "Forges &amp; fonderies &lt;portes ouvertes&gt;" in svg


def test_kit_disappears_when_the_label_is_withdrawn(login, users, labelled_event):
    Label.objects.filter(event=labelled_event).update(state=Label.State.REFUSED)
    response = login(users["owner"]).get(reverse("backoffice:kit", args=[labelled_event.pk]))
    assert response.status_code == 404
