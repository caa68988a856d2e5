"""XLSX bombs and who may open a campaign (issue 15, point 4): a 316 KB workbook whose shared
strings expand to 108 MB took 18 s and 500 MB; any organizer could create a campaign."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from vocations.campaigns.models import Campaign, Placement
from vocations.campaigns.services import CampaignData, campaign_create
from vocations.campaigns.services.imports import media_plan_import
from vocations.core.exceptions import ImportFileError
from vocations.core.xlsx import check_xlsx_zip, open_xlsx

from .conftest import text
from .test_imports import PLAN_HEADER

pytestmark = pytest.mark.django_db


def small_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(PLAN_HEADER.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bomb(megabytes: int = 100) -> bytes:
    """A genuine workbook whose sharedStrings.xml inflates to ``megabytes`` MB."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item))
        chunk = b"A" * (1024 * 1024)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            member.write(b"<si><t>")
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</t></si></sst>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb_bytes() -> bytes:
    return bomb()


def test_the_bomb_is_small_on_the_wire(bomb_bytes):
    assert len(bomb_bytes) < 400 * 1024


@pytest.fixture
def inflated(monkeypatch) -> list[int]:
    """Counts the bytes any zip member inflates to while the test runs (openpyxl reads the
    workbook's parts through zipfile too)."""
    counted: list[int] = []
    real_read, real_read1 = zipfile.ZipExtFile.read, zipfile.ZipExtFile.read1

    def read(self, n=-1):
        data = real_read(self, n)
        counted.append(len(data))
        return data

    def read1(self, n=-1):
        data = real_read1(self, n)
        counted.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", read1)
    return counted


def test_the_counter_sees_what_an_ordinary_workbook_inflates(inflated):
    # The control: reading a genuine workbook goes through the counted reads.
    workbook = open_xlsx(small_workbook())
    try:
        assert next(workbook.active.iter_rows(values_only=True))[0] == "Vague"
    finally:
        workbook.close()
    assert sum(inflated) > 0


def test_the_bomb_is_refused_in_french_before_anything_is_inflated(
    users, campaign, waves, bomb_bytes, inflated
):
    tracemalloc.start()
    with pytest.raises(ImportFileError) as refused:
        media_plan_import(
            actor=users["staff"], campaign=campaign, content=bomb_bytes, filename="plan.xlsx"
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert "Classeur .xlsx refusé : une fois décompressé il dépasserait" in str(refused.value)
    # Refused from the zip's directory alone: not one byte of the 100 MB member inflated.
    assert sum(inflated) == 0
    assert peak < 5 * 1024 * 1024
    assert not Placement.objects.exists()


def test_the_bomb_through_the_back_office(client, users, campaign, waves, bomb_bytes):
    client.force_login(users["editor"])
    upload = io.BytesIO(bomb_bytes)
    upload.name = "plan.xlsx"
    response = client.post(f"/organisateur/campagnes/{campaign.pk}/import/plan/", {"file": upload})
    assert response.status_code == 400
    assert "une fois décompressé il dépasserait" in text(response)
    assert not Placement.objects.exists()
    # Refused before it is stored for the worker: no job, no file kept.
    from vocations.core.models import BackgroundImport

    assert not BackgroundImport.objects.exists()


def test_a_dense_member_under_the_size_cap_is_refused_by_its_ratio():
    # 20 MB of one letter: under the 40 MB cap, but a thousand times compressed.
    with pytest.raises(ImportFileError, match="anormalement compressé"):
        check_xlsx_zip(bomb(20))


def test_too_many_members_is_unreadable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1_001):
            archive.writestr(f"x/{n}.xml", b"")
    with pytest.raises(ImportFileError, match="illisible"):
        check_xlsx_zip(out.getvalue())


def test_an_ordinary_workbook_passes(users, campaign, waves, geo):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PLAN_HEADER.split(";"))
    for n in range(200):
        sheet.append(
            [1, "TV", f"Spot {n}", "national", 10, "spots",
             dt.date(2026, 3, 1), dt.date(2026, 3, 21), 10, 9]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    check_xlsx_zip(buffer.getvalue())
    report = media_plan_import(
        actor=users["staff"], campaign=campaign, content=buffer.getvalue(), filename="plan.xlsx"
    )
    assert report.imported and Placement.objects.count() == 200


# --- who may open a campaign -----------------------------------------------------------------


def data() -> CampaignData:
    return CampaignData(
        name="Ma campagne", budget_cents=100, starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 3, 1), banner_colour="#112233",
    )  # fmt: skip


def test_an_event_organizer_cannot_open_a_campaign(client, users, other_org):
    # "other" owns a company: they may change it, not open campaigns for it.
    with pytest.raises(PermissionDenied, match="Seule l'équipe de campagne"):
        campaign_create(actor=users["other"], organization=other_org, data=data())
    client.force_login(users["other"])
    response = client.get("/organisateur/campagnes/nouvelle/")
    assert response.status_code == 403
    assert "Seule l'équipe de campagne peut créer une campagne." in text(response)
    response = client.post(
        "/organisateur/campagnes/nouvelle/",
        {"organization": other_org.pk, "name": "Pirate", "budget": "1", "starts_on": "2027-01-01",
         "ends_on": "2027-02-01", "banner_colour": "#000091", "attribution_window_days": "30"},
    )  # fmt: skip
    assert response.status_code == 403
    assert not Campaign.objects.filter(name="Pirate").exists()


def test_staff_cannot_open_one_for_a_company_either(users, other_org):
    with pytest.raises(PermissionDenied):
        campaign_create(actor=users["staff"], organization=other_org, data=data())


def test_the_campaign_team_opens_campaigns(users, team):
    assert campaign_create(actor=users["editor"], organization=team, data=data()).pk
