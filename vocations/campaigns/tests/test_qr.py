"""Print-ready QR codes: payload, colour, sizes, SVG/PNG validity, the wave ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image

from vocations.campaigns import qr
from vocations.campaigns.selectors import qr_url
from vocations.campaigns.services import placement_links_per_commune, tracked_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(users, add_placement, waves, settings):
    settings.SITE_URL = "https://vocations.example"
    placement = add_placement(waves[0], channel="billboard", name="Affichage")
    return tracked_link_create(actor=users["staff"], target_kind="placement", placement=placement)


def test_payload_is_the_qr_url(link):
    expected = qr.make_qr(f"https://vocations.example/l/{link.code}?s=qr")
    assert qr.link_qr(link).matrix == expected.matrix
    assert qr.link_qr(link).error in ("M", "Q")
    # A click URL (no s=qr) gives another symbol: the scan marker is really encoded.
    assert qr.make_qr(f"https://vocations.example/l/{link.code}").matrix != expected.matrix


@pytest.mark.parametrize(("size", "minimum"), [("flyer", 600), ("billboard", 2400)])
def test_png_is_large_enough_and_uses_the_banner_colour(link, size, minimum):
    image = Image.open(io.BytesIO(qr.png_bytes(link, size))).convert("RGB")
    assert image.width >= minimum and image.width == image.height
    # The corner finder pattern, after the 4-module quiet zone, is dark navy (#000091).
    module = image.width // qr.link_qr(link).symbol_size(scale=1, border=4)[0]
    assert image.getpixel((2, 2)) == (255, 255, 255)
    assert image.getpixel((4 * module + 1, 4 * module + 1)) == (0, 0, 0x91)


def test_svg_is_valid_and_sized_for_print(link):
    flyer = ElementTree.fromstring(qr.svg_bytes(link, "flyer"))  # noqa: S314 - our own output
    assert flyer.tag.endswith("svg") and flyer.get("width") == "30.0mm"
    billboard = ElementTree.fromstring(qr.svg_bytes(link, "billboard"))  # noqa: S314
    assert billboard.get("width") == "200.0mm"
    assert b"#000091" in qr.svg_bytes(link)


def test_light_banner_colours_fall_back_to_black(link):
    assert qr.dark_colour("#000091") == "#000091"
    assert qr.dark_colour("#ffcc00") == "#000000"  # yellow: too light to scan
    assert qr.dark_colour("nonsense") == "#000000"
    link.campaign.banner_colour = "#ffcc00"
    image = Image.open(io.BytesIO(qr.png_bytes(link))).convert("RGB")
    module = image.width // qr.link_qr(link).symbol_size(scale=1, border=4)[0]
    assert image.getpixel((4 * module + 1, 4 * module + 1)) == (0, 0, 0)


def test_wave_zip_has_one_qr_per_city_and_an_index(users, link, geo):
    placement_links_per_commune(
        actor=users["staff"], placement=link.placement, communes=[geo["lyon"], geo["avignon"]]
    )
    archive = zipfile.ZipFile(io.BytesIO(qr.wave_zip(link.placement.wave, "flyer")))
    names = set(archive.namelist())
    assert {"vague-1_affichage_lyon_69123.png", "vague-1_affichage_lyon_69123.svg"} <= names
    assert "vague-1_affichage_avignon_84007.svg" in names
    assert f"vague-1_affichage_affichage_{link.code}.png" in names
    assert len(names) == 3 * 2 + 1
    rows = list(
        csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:4] == ["code", "url", "libellé", "commune"]
    lyon = next(r for r in rows if r[3].startswith("Lyon"))
    assert lyon[1].endswith("?s=qr") and lyon[1] == qr_url(link.__class__.objects.get(code=lyon[0]))
    Image.open(io.BytesIO(archive.read("vague-1_affichage_lyon_69123.png"))).verify()
