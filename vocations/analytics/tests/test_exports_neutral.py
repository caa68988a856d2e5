"""Campaign exports neutralize labels typed by the campaign team (issue 15, point 5).

Before: the campaign report, the per-placement export and the QR ZIP's index.csv wrote
placement, wave and link labels raw, so `=cmd|…` ran when the file was opened.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from vocations.accounts.models import User
from vocations.campaigns import qr
from vocations.campaigns.models import Placement, TrackedLink, Wave

pytestmark = pytest.mark.django_db

DDE = "=cmd|' /C calc'!A0"
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
LINK = '+HYPERLINK("https://evil.example";"Cliquez")'
MINUS = "-1+1"


@pytest.fixture
def staff_client(client, world):
    client.force_login(User.objects.create_user("equipe@campagne.fr", "x", is_staff=True))
    return client


@pytest.fixture
def hostile(world):
    Wave.objects.filter(pk=world.wave1.pk).update(name=SUM)
    Placement.objects.filter(pk=world.billboard.pk).update(name=DDE)
    TrackedLink.objects.filter(pk=world.billboard_link.pk).update(label=LINK)
    TrackedLink.objects.filter(pk=world.tv_link.pk).update(label=MINUS)
    return world


def rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def cells(table) -> set[str]:
    return {cell for row in table for cell in row}


def test_campaign_report_export_neutralizes_labels(staff_client, hostile):
    table = rows(staff_client.get(f"/organisateur/resultats/{hostile.campaign.pk}/export.csv"))
    found = cells(table)
    assert "'" + DDE in found and "'" + SUM in found
    assert DDE not in found and SUM not in found


def test_placement_export_neutralizes_link_labels(staff_client, hostile):
    url = f"/organisateur/resultats/{hostile.campaign.pk}/emplacements/{hostile.billboard.pk}/"
    found = cells(rows(staff_client.get(url + "export.csv")))
    assert "'" + LINK in found and LINK not in found
    url = f"/organisateur/resultats/{hostile.campaign.pk}/emplacements/{hostile.tv.pk}/"
    found = cells(rows(staff_client.get(url + "export.csv")))
    assert "'" + MINUS in found and MINUS not in found


def test_qr_zip_index_neutralizes_link_labels(hostile):
    archive = zipfile.ZipFile(io.BytesIO(qr.wave_zip(Wave.objects.get(pk=hostile.wave1.pk))))
    text = archive.read("index.csv").decode("utf-8-sig")
    found = cells(csv.reader(io.StringIO(text), delimiter=";"))
    assert {"'" + LINK, "'" + MINUS} <= found
    assert not found & {LINK, MINUS}
